namespace Bulwark.Parsing.Dockerfile;

/// <summary>A parser directive (<c># syntax=…</c>, <c># escape=…</c>, <c># check=…</c>) and its 1-based line.</summary>
public sealed record DockerfileDirective(string Name, string Value, int Line);

/// <summary>
/// BuildKit's <c>DirectiveParser</c>: directives are read only while every line so far has been one; the first
/// other line (instruction, blank line, ordinary comment, unknown directive) ends the search.
/// </summary>
internal sealed class DirectiveParser
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _line;

    public bool Done { get; private set; }

    /// <summary>Looks at one line; returns the directive, null when it is none, or throws <see cref="DockerfileSyntaxException"/> for a repeat.</summary>
    public DockerfileDirective? ParseLine(string line)
    {
        _line++;
        if (Done)
        {
            return null;
        }

        if (!line.StartsWith('#'))
        {
            Done = true;
            return null;
        }

        var rest = line.AsSpan(1).TrimStart(DockerfileNode.GoSpace);
        if (!TryMatch(rest, out var key, out var value))
        {
            Done = true;
            return null;
        }

        key = key.ToLowerInvariant();
        if (key is not ("syntax" or "escape" or "check"))
        {
            Done = true;
            return null;
        }

        if (!_seen.Add(key))
        {
            throw new DockerfileSyntaxException($"only one {key} parser directive can be used", _line, _line);
        }

        return new DockerfileDirective(key, value, _line);
    }

    /// <summary><c>^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$</c> with Go's ASCII <c>\s</c>.</summary>
    private static bool TryMatch(ReadOnlySpan<char> text, out string key, out string value)
    {
        key = value = string.Empty;
        if (text.IsEmpty || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        var i = 1;
        while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
        {
            i++;
        }

        var name = text[..i];
        while (i < text.Length && IsGoRegexSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length || text[i] != '=')
        {
            return false;
        }

        i++;
        var afterEquals = i;
        while (i < text.Length && IsGoRegexSpace(text[i]))
        {
            i++;
        }

        var end = text.Length;
        while (end > i && IsGoRegexSpace(text[end - 1]))
        {
            end--;
        }

        if (end <= i)
        {
            // Only blanks after '=': the lazy group still takes the last blank, as Go's regexp does.
            if (afterEquals >= text.Length || text[^1] == '\n')
            {
                return false;
            }

            key = name.ToString();
            value = text[^1].ToString();
            return true;
        }

        // (.+?) cannot match a newline; lines never contain one here.
        if (text[i..end].Contains('\n'))
        {
            return false;
        }

        key = name.ToString();
        value = text[i..end].ToString();
        return true;
    }

    private static bool IsGoRegexSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';
}
