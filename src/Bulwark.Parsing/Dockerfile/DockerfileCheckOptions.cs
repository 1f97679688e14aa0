namespace Bulwark.Parsing.Dockerfile;

/// <summary>
/// The <c># check=</c> directive as BuildKit's linter reads it: <c>skip=Rule1,Rule2|all</c>, <c>error=true</c>
/// and <c>experimental=Rule|all</c>, separated by <c>;</c>.
/// </summary>
public sealed record DockerfileCheckOptions(IReadOnlyList<string> Skip, bool Error, IReadOnlyList<string> Experimental)
{
    public static DockerfileCheckOptions None { get; } = new([], false, []);

    /// <summary>True when <paramref name="rule"/> (a BuildKit check name) is skipped, by name or by <c>all</c>.</summary>
    public bool IsSkipped(string rule) => Skip.Any(s => s == "all" || string.Equals(s, rule, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses the directive value; returns BuildKit's error text for a malformed option.</summary>
    public static bool TryParse(string value, out DockerfileCheckOptions options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        var skip = new List<string>();
        var experimental = new List<string>();
        var isError = false;
        options = None;
        error = null;
        foreach (var part in value.Split(';'))
        {
            var trimmed = part.Trim(DockerfileNode.GoSpace);
            if (trimmed.Length == 0)
            {
                continue;
            }

            var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                error = $"invalid check option {GoQuote.Quote(trimmed)}";
                return false;
            }

            var key = trimmed[..eq].Trim(DockerfileNode.GoSpace).ToLowerInvariant();
            var v = trimmed[(eq + 1)..].Trim(DockerfileNode.GoSpace);
            switch (key)
            {
                case "skip":
                    skip.AddRange(v.Split(',').Select(s => s.Trim(DockerfileNode.GoSpace)).Where(s => s.Length > 0));
                    break;
                case "experimental":
                    experimental.AddRange(v.Split(',').Select(s => s.Trim(DockerfileNode.GoSpace)).Where(s => s.Length > 0));
                    break;
                case "error":
                    if (!TryParseGoBool(v, out isError))
                    {
                        error = $"invalid check option {GoQuote.Quote(trimmed)}";
                        return false;
                    }

                    break;
                default:
                    error = $"invalid check option {GoQuote.Quote(trimmed)}";
                    return false;
            }
        }

        options = new DockerfileCheckOptions(skip, isError, experimental);
        return true;
    }

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    private static bool TryParseGoBool(string s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
