namespace Bulwark.Parsing.Documents;

/// <summary>
/// Shares equal short strings among the nodes a thread builds. Manifests repeat the same keys and many
/// values ("name", "image", "IfNotPresent", "TCP") thousands of times; YamlDotNet makes a new string for
/// each, and a scan keeps every tree until it has evaluated them all. Sharing lets the duplicates die young,
/// which cuts the retained heap, and so the garbage collector's copying, of a large scan.
/// </summary>
internal static class StringPool
{
    /// <summary>Longer strings rarely repeat (descriptions, file contents); hashing them would cost more than it saves.</summary>
    private const int MaxLength = 48;

    /// <summary>Bounds the pool's own memory on inputs with many distinct short strings.</summary>
    private const int MaxEntries = 64 * 1024;

    [ThreadStatic]
    private static HashSet<string>? _pool;

    public static string Share(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }

        if (value.Length == 0)
        {
            return string.Empty;
        }

        var pool = _pool ??= new HashSet<string>(StringComparer.Ordinal);
        if (pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (pool.Count < MaxEntries)
        {
            pool.Add(value);
        }

        return value;
    }
}
