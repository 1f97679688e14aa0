using System.Text.RegularExpressions;

namespace Bulwark.Scanning.Suppressions;

/// <summary>
/// Comments <c># bulwark:ignore RULE[,RULE…] reason</c> in a file. A comment applies to its own line and
/// to the line below it; placed just above an object, it applies to the whole object.
/// </summary>
public sealed partial class InlineSuppressions
{
    private readonly Dictionary<int, Entry> _byLine;

    private InlineSuppressions(Dictionary<int, Entry> byLine) => _byLine = byLine;

    public static InlineSuppressions Empty { get; } = new([]);

    public sealed record Entry(int Line, IReadOnlyList<string> Rules, string? Reason)
    {
        /// <summary>Where the comment's rule list starts, for a warning about a name in it.</summary>
        public int Column { get; init; } = 1;
    }

    public IEnumerable<Entry> Entries => _byLine.Values.OrderBy(e => e.Line);

    public static InlineSuppressions Parse(string text)
    {
        if (!text.Contains("bulwark:ignore", StringComparison.Ordinal))
        {
            return Empty;
        }

        var byLine = new Dictionary<int, Entry>();
        var line = 1;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            if (raw.Contains("bulwark:ignore", StringComparison.Ordinal))
            {
                var match = CommentPattern().Match(raw.ToString());
                if (match.Success)
                {
                    var rules = match.Groups["rules"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var reason = match.Groups["reason"].Success ? match.Groups["reason"].Value.Trim() : null;
                    byLine[line] = new Entry(line, rules, string.IsNullOrEmpty(reason) ? null : reason) { Column = match.Groups["rules"].Index + 1 };
                }
            }

            line++;
        }

        return new InlineSuppressions(byLine);
    }

    /// <summary>The comment that suppresses a rule (<paramref name="namesRule"/>) at <paramref name="line"/>, if any.</summary>
    public Entry? Find(int line, Func<string, bool> namesRule, int objectLine)
    {
        if (_byLine.Count == 0)
        {
            return null;
        }

        foreach (var candidate in (ReadOnlySpan<int>)[line, line - 1, objectLine - 1])
        {
            if (_byLine.TryGetValue(candidate, out var entry) && entry.Rules.Any(namesRule))
            {
                return entry;
            }
        }

        return null;
    }

    [GeneratedRegex(@"#\s*bulwark:ignore[\s:=]+(?<rules>[A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)(?:\s+(?<reason>.*))?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CommentPattern();
}
