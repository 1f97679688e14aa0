namespace Bulwark.Parsing.Dockerfile;

/// <summary>Variables the <see cref="ShellLexer"/> can look up. A variable may be set to an empty value.</summary>
public interface IShellEnvironment
{
    bool TryGetValue(string name, out string value);
}

/// <summary>
/// An ordered set of variables. Names are case-sensitive, as in BuildKit on Linux; setting a name again
/// replaces its value in place.
/// </summary>
public sealed class ShellEnvironment : IShellEnvironment
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public static ShellEnvironment Empty => new();

    /// <summary>Builds an environment from <c>NAME=value</c> strings (a bare <c>NAME</c> is set to empty); later entries win.</summary>
    public static ShellEnvironment FromPairs(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var env = new ShellEnvironment();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            env.Set(eq < 0 ? pair : pair[..eq], eq < 0 ? string.Empty : pair[(eq + 1)..]);
        }

        return env;
    }

    public static ShellEnvironment FromDictionary(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var env = new ShellEnvironment();
        foreach (var (key, value) in values)
        {
            env.Set(key, value);
        }

        return env;
    }

    public int Count => _order.Count;

    /// <summary>Names in the order they were first set.</summary>
    public IReadOnlyList<string> Names => _order;

    public void Set(string name, string value)
    {
        if (!_values.ContainsKey(name))
        {
            _order.Add(name);
        }

        _values[name] = value;
    }

    public bool Remove(string name)
    {
        if (!_values.Remove(name))
        {
            return false;
        }

        _order.Remove(name);
        return true;
    }

    public bool TryGetValue(string name, out string value)
    {
        if (_values.TryGetValue(name, out var found))
        {
            value = found;
            return true;
        }

        value = string.Empty;
        return false;
    }

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public ShellEnvironment Clone()
    {
        var copy = new ShellEnvironment();
        foreach (var name in _order)
        {
            copy.Set(name, _values[name]);
        }

        return copy;
    }

    /// <summary>The variables as ordered (name, value) pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToList() => [.. _order.Select(n => new KeyValuePair<string, string>(n, _values[n]))];

    /// <summary>Looks names up here first, then in <paramref name="fallback"/>.</summary>
    public IShellEnvironment Over(IShellEnvironment fallback) => new LayeredEnvironment(this, fallback);

    private sealed class LayeredEnvironment(IShellEnvironment top, IShellEnvironment bottom) : IShellEnvironment
    {
        public bool TryGetValue(string name, out string value) => top.TryGetValue(name, out value) || bottom.TryGetValue(name, out value);
    }
}
