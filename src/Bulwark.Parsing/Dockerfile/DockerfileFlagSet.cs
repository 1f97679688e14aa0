using Bulwark.Core.Text;
namespace Bulwark.Parsing.Dockerfile;

/// <summary>
/// BuildKit's <c>BFlags</c>: the flags an instruction accepts and their values. Flags must be written
/// <c>--name=value</c>; booleans may be bare (<c>--link</c>); list flags (<c>--mount</c>) may repeat.
/// </summary>
internal sealed class DockerfileFlagSet
{
    private enum Kind
    {
        Bool,
        String,
        Strings,
    }

    private readonly Dictionary<string, Kind> _defined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private DockerfileFlagSet()
    {
    }

    /// <summary>The flags each instruction defines (BuildKit's stable frontend).</summary>
    public static DockerfileFlagSet For(string keyword, bool healthcheckNone = false)
    {
        var set = new DockerfileFlagSet();
        switch (keyword)
        {
            case "FROM":
                set.Add("platform", Kind.String);
                break;
            case "COPY":
                set.Add("chown", Kind.String).Add("from", Kind.String).Add("chmod", Kind.String).Add("link", Kind.Bool)
                    .Add("parents", Kind.Bool).Add("exclude", Kind.Strings);
                break;
            case "ADD":
                set.Add("chown", Kind.String).Add("chmod", Kind.String).Add("link", Kind.Bool).Add("keep-git-dir", Kind.Bool)
                    .Add("checksum", Kind.String).Add("exclude", Kind.Strings).Add("unpack", Kind.Bool);
                break;
            case "RUN":
                set.Add("mount", Kind.Strings).Add("network", Kind.String).Add("security", Kind.String).Add("device", Kind.Strings);
                break;
            case "HEALTHCHECK" when !healthcheckNone:
                set.Add("interval", Kind.String).Add("timeout", Kind.String).Add("start-period", Kind.String)
                    .Add("start-interval", Kind.String).Add("retries", Kind.String);
                break;
        }

        return set;
    }

    private DockerfileFlagSet Add(string name, Kind kind)
    {
        _defined[name] = kind;
        return this;
    }

    /// <summary>Parses the instruction's flags; returns BuildKit's error message, or null.</summary>
    public string? Parse(IReadOnlyList<string> args)
    {
        foreach (var raw in args)
        {
            if (raw == "--")
            {
                // POSIX: "--" ends the options.
                return null;
            }

            if (!raw.StartsWith("--", StringComparison.Ordinal))
            {
                return "arg should start with -- : " + raw;
            }

            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var flagName = eq >= 0 ? raw[..eq] : raw;
            var value = eq >= 0 ? raw[(eq + 1)..] : string.Empty;
            var name = flagName[2..];
            if (!_defined.TryGetValue(name, out var kind))
            {
                return "unknown flag: " + flagName + SuggestFlag(name);
            }

            if (_values.ContainsKey(name) && kind != Kind.Strings)
            {
                return "duplicate flag specified: " + flagName;
            }

            var list = _values.TryGetValue(name, out var existing) ? existing : _values[name] = [];
            switch (kind)
            {
                case Kind.Bool:
                    if (eq >= 0 && value.Length == 0)
                    {
                        return "missing a value on flag: " + flagName;
                    }

                    var lower = value.ToLowerInvariant();
                    if (lower is "" or "true")
                    {
                        list.Add("true");
                    }
                    else if (lower == "false")
                    {
                        list.Add("false");
                    }
                    else
                    {
                        return $"expecting boolean value for flag {flagName}, not: {value}";
                    }

                    break;
                default:
                    if (eq < 0)
                    {
                        return "missing a value on flag: " + flagName;
                    }

                    list.Add(value);
                    break;
            }
        }

        return null;
    }

    private string SuggestFlag(string name) => Suggestions.DidYouMean(name, _defined.Keys.Order(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, List<string>> Values => _values;
}
