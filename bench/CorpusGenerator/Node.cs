namespace Bulwark.Bench.CorpusGenerator;

/// <summary>An ordered mapping, as manifests are written: keys keep the order they were added in.</summary>
public sealed class Map : List<KeyValuePair<string, object>>
{
    public Map Add(string key, object? value)
    {
        if (value is not null)
        {
            Add(new KeyValuePair<string, object>(key, value));
        }

        return this;
    }
}

/// <summary>A sequence of nodes (<see cref="Map"/>, <see cref="Seq"/>, string, long or bool).</summary>
public sealed class Seq : List<object>
{
    public Seq()
    {
    }

    public Seq(IEnumerable<object> items)
        : base(items)
    {
    }
}
