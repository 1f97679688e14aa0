using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Scanning.Inputs;

/// <summary>
/// A path glob: <c>*</c> matches within one path segment, <c>**</c> across segments, <c>?</c> one character.
/// A pattern without '/' matches a file or folder name anywhere in the path (as in .gitignore).
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    public GlobPattern(string pattern)
    {
        Pattern = pattern;
        var normalized = pattern.Replace('\\', '/').TrimEnd('/');
        var anchored = normalized.Contains('/', StringComparison.Ordinal);
        if (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        var body = new StringBuilder();
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (c == '*' && i + 1 < normalized.Length && normalized[i + 1] == '*')
            {
                var slashAfter = i + 2 < normalized.Length && normalized[i + 2] == '/';
                body.Append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*')
            {
                body.Append("[^/]*");
            }
            else if (c == '?')
            {
                body.Append("[^/]");
            }
            else
            {
                body.Append(Regex.Escape(c.ToString()));
            }
        }

        // Unanchored patterns match any trailing run of segments; a match on a folder covers what is below it.
        var prefix = anchored ? "^(?:.*/)?" : "(?:^|/)";
        _regex = new Regex(prefix + body + "(?:/.*)?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    public string Pattern { get; }

    public bool IsMatch(string path) => _regex.IsMatch(path.Replace('\\', '/'));
}
