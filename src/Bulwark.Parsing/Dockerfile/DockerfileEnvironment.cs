using System.Collections;
using System.Collections.Immutable;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>
/// The variables visible at one point of a stage: valued ARGs and ENV, ENV winning on a shared name, in
/// declaration order. Snapshots share structure, so keeping one per instruction costs O(log n) each, even
/// for a file with thousands of ENV lines.
/// </summary>
public sealed class DockerfileEnvironment : IShellEnvironment, IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly ImmutableDictionary<string, string> _args;
    private readonly ImmutableList<string> _argOrder;
    private readonly ImmutableDictionary<string, string> _env;
    private readonly ImmutableList<string> _envOrder;
    private List<KeyValuePair<string, string>>? _materialized;

    public static DockerfileEnvironment Empty { get; } = new(
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal), [], ImmutableDictionary.Create<string, string>(StringComparer.Ordinal), []);

    private DockerfileEnvironment(ImmutableDictionary<string, string> args, ImmutableList<string> argOrder, ImmutableDictionary<string, string> env, ImmutableList<string> envOrder)
    {
        _args = args;
        _argOrder = argOrder;
        _env = env;
        _envOrder = envOrder;
    }

    /// <summary>With an ARG value set (ARGs never hide an ENV of the same name).</summary>
    public DockerfileEnvironment WithArg(string name, string value) =>
        new(_args.SetItem(name, value), _args.ContainsKey(name) ? _argOrder : _argOrder.Add(name), _env, _envOrder);

    /// <summary>With an ENV value set.</summary>
    public DockerfileEnvironment WithEnv(string name, string value) =>
        new(_args, _argOrder, _env.SetItem(name, value), _env.ContainsKey(name) ? _envOrder : _envOrder.Add(name));

    /// <summary>The ENV variables only (what the image configuration keeps), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ImageEnvironment => [.. _envOrder.Select(n => new KeyValuePair<string, string>(n, _env[n]))];

    /// <summary>The valued ARGs only, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Args => [.. _argOrder.Select(n => new KeyValuePair<string, string>(n, _args[n]))];

    public bool TryGetValue(string name, out string value)
    {
        if (_env.TryGetValue(name, out var fromEnv))
        {
            value = fromEnv;
            return true;
        }

        if (_args.TryGetValue(name, out var fromArg))
        {
            value = fromArg;
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>The value of a variable, or null when it is not set.</summary>
    public string? this[string name] => TryGetValue(name, out var value) ? value : null;

    public bool IsEnv(string name) => _env.ContainsKey(name);

    public int Count => Materialized.Count;

    public KeyValuePair<string, string> this[int index] => Materialized[index];

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Materialized.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private List<KeyValuePair<string, string>> Materialized
    {
        get
        {
            if (_materialized is null)
            {
                var list = new List<KeyValuePair<string, string>>(_argOrder.Count + _envOrder.Count);
                list.AddRange(_argOrder.Where(n => !_env.ContainsKey(n)).Select(n => new KeyValuePair<string, string>(n, _args[n])));
                list.AddRange(_envOrder.Select(n => new KeyValuePair<string, string>(n, _env[n])));
                _materialized = list;
            }

            return _materialized;
        }
    }
}
