using System.Text;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>
/// The shell patterns of <c>${v#p}</c>, <c>${v%p}</c> and <c>${v/p/r}</c>: <c>*</c>, <c>?</c> and <c>\</c> escapes,
/// no bracket expressions. BuildKit turns them into a Go regular expression; this matcher gives the same
/// results (leftmost match, lazy or greedy stars in priority order, <c>*</c> and <c>?</c> never matching a
/// newline) with a dynamic programme over (token, position) in O(tokens × length) time and O(length) memory,
/// so no input can make it backtrack.
/// </summary>
internal sealed class ShellPattern
{
    private const int Star = -1;
    private const int AnyOne = -2;

    /// <summary>Upper bound on tokens × text length for one match; beyond it the expansion is refused.</summary>
    internal const long MaxWork = 200_000_000;

    private readonly int[] _tokens;

    private ShellPattern(int[] tokens) => _tokens = tokens;

    /// <summary>Parses a pattern; errors read like BuildKit's (<c>invalid escape '\x'</c>).</summary>
    public static ShellPattern Parse(string pattern)
    {
        var tokens = new List<int>(pattern.Length);
        var runes = ToRunes(pattern);
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            switch (r)
            {
                case '*':
                    tokens.Add(Star);
                    break;
                case '?':
                    tokens.Add(AnyOne);
                    break;
                case '\\':
                    var next = i + 1 < runes.Length ? runes[i + 1] : -1;
                    if (next is '}' or '/')
                    {
                        // The escape only kept the brace or slash from ending ${...}; it is not part of the pattern.
                        break;
                    }

                    i++;
                    if (next is not ('*' or '?' or '\\'))
                    {
                        throw new ShellLexException("invalid escape '\\" + (next < 0 ? "\uFFFD" : char.ConvertFromUtf32(SafeRune(next))) + "'");
                    }

                    tokens.Add(next);
                    break;
                default:
                    tokens.Add(r);
                    break;
            }
        }

        return new ShellPattern([.. tokens]);
    }

    /// <summary><c>${v#p}</c> / <c>${v##p}</c>: removes the shortest (or longest) matching prefix.</summary>
    public static string TrimPrefix(string pattern, string value, bool greedy)
    {
        var p = ParseForSubstitution(pattern);
        var text = ToRunes(value);
        var row = p.MatchEnds(text, greedy);
        var end = row[0];
        return end < 0 ? value : FromRunes(text, end, text.Length);
    }

    /// <summary><c>${v%p}</c> / <c>${v%%p}</c>: removes the shortest (or longest) matching suffix.</summary>
    public static string TrimSuffix(string pattern, string value, bool greedy)
    {
        var p = ParseForSubstitution(pattern);
        var reversed = new ShellPattern([.. p._tokens.Reverse()]);
        var text = ToRunes(value);
        Array.Reverse(text);
        var row = reversed.MatchEnds(text, greedy);
        var end = row[0];
        if (end < 0)
        {
            return value;
        }

        var kept = text[end..];
        Array.Reverse(kept);
        return FromRunes(kept, 0, kept.Length);
    }

    /// <summary><c>${v/p/r}</c> and <c>${v//p/r}</c>, with Go's <c>ReplaceAllString</c> template rules for the latter.</summary>
    public static string Replace(string pattern, string value, string replacement, bool all)
    {
        var p = ParseForSubstitution(pattern);
        var text = ToRunes(value);
        var row = p.MatchEnds(text, greedy: true);
        if (!all)
        {
            for (var s = 0; s <= text.Length; s++)
            {
                if (row[s] >= 0)
                {
                    return FromRunes(text, 0, s) + replacement + FromRunes(text, row[s], text.Length);
                }
            }

            return value;
        }

        var output = new StringBuilder();
        var lastMatchEnd = 0;
        var searchPos = 0;
        var start = 0;
        while (searchPos <= text.Length)
        {
            start = Math.Max(start, searchPos);
            while (start <= text.Length && row[start] < 0)
            {
                start++;
            }

            if (start > text.Length)
            {
                break;
            }

            var end = row[start];
            AppendRunes(output, text, lastMatchEnd, start);
            if (end > lastMatchEnd || start == 0)
            {
                ExpandTemplate(output, replacement, text, start, end);
            }

            lastMatchEnd = end;
            searchPos = Math.Max(searchPos + 1, end);
        }

        AppendRunes(output, text, lastMatchEnd, text.Length);
        return output.ToString();
    }

    private static ShellPattern ParseForSubstitution(string pattern)
    {
        try
        {
            return Parse(pattern);
        }
        catch (ShellLexException ex)
        {
            throw new ShellLexException($"invalid pattern ({pattern}) in substitution: {ex.Message}");
        }
    }

    /// <summary>
    /// For every start position, the end of the match that Go's leftmost-first regexp semantics would pick
    /// (stars lazy or greedy), or -1 when the pattern does not match there.
    /// </summary>
    private int[] MatchEnds(int[] text, bool greedy)
    {
        var n = text.Length;
        if ((long)(_tokens.Length + 1) * (n + 1) > MaxWork)
        {
            throw new ShellLexException($"pattern of {_tokens.Length} characters against a value of {n} characters is over the matching work limit");
        }

        var next = new int[n + 1];
        var current = new int[n + 1];
        for (var i = 0; i <= n; i++)
        {
            next[i] = i;
        }

        for (var t = _tokens.Length - 1; t >= 0; t--)
        {
            var token = _tokens[t];
            if (token == Star)
            {
                // The star covers text[i..j) within one newline-free run; greedy takes the largest j that lets
                // the rest match, lazy the smallest.
                var chosen = -1;
                for (var i = n; i >= 0; i--)
                {
                    if (i < n && text[i] == '\n')
                    {
                        chosen = -1;
                    }

                    if (next[i] >= 0 && (!greedy || chosen < 0))
                    {
                        chosen = next[i];
                    }

                    current[i] = chosen;
                }
            }
            else
            {
                for (var i = 0; i <= n; i++)
                {
                    var matches = i < n && (token == AnyOne ? text[i] != '\n' : text[i] == token);
                    current[i] = matches ? next[i + 1] : -1;
                }
            }

            (next, current) = (current, next);
        }

        return next;
    }

    /// <summary>Go's <c>Regexp.Expand</c> for a pattern without capture groups: <c>$0</c> is the match, <c>$$</c> a dollar.</summary>
    private static void ExpandTemplate(StringBuilder output, string template, int[] text, int matchStart, int matchEnd)
    {
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                output.Append(template, i, template.Length - i);
                return;
            }

            output.Append(template, i, dollar - i);
            i = dollar;
            if (i + 1 < template.Length && template[i + 1] == '$')
            {
                output.Append('$');
                i += 2;
                continue;
            }

            if (!TryExtractTemplateName(template, i, out var name, out var after))
            {
                output.Append('$');
                i++;
                continue;
            }

            i = after;
            if (IsAllDigits(name) && int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number == 0)
            {
                AppendRunes(output, text, matchStart, matchEnd);
            }
        }
    }

    private static bool TryExtractTemplateName(string template, int dollar, out string name, out int after)
    {
        name = string.Empty;
        after = dollar;
        var i = dollar + 1;
        if (i >= template.Length)
        {
            return false;
        }

        var brace = template[i] == '{';
        if (brace)
        {
            i++;
        }

        var start = i;
        while (i < template.Length)
        {
            var rune = Rune.GetRuneAt(template, i);
            if (!Rune.IsLetter(rune) && !Rune.IsDigit(rune) && rune.Value != '_')
            {
                break;
            }

            i += rune.Utf16SequenceLength;
        }

        if (i == start)
        {
            return false;
        }

        name = template[start..i];
        if (brace)
        {
            if (i >= template.Length || template[i] != '}')
            {
                return false;
            }

            i++;
        }

        after = i;
        return true;
    }

    private static bool IsAllDigits(string s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return s.Length > 0;
    }

    internal static int[] ToRunes(string s)
    {
        var result = new int[s.Length];
        var count = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result[count++] = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else
            {
                result[count++] = s[i];
            }
        }

        return count == result.Length ? result : result[..count];
    }

    private static string FromRunes(int[] runes, int start, int end)
    {
        var sb = new StringBuilder(end - start);
        AppendRunes(sb, runes, start, end);
        return sb.ToString();
    }

    private static void AppendRunes(StringBuilder sb, int[] runes, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            AppendRune(sb, runes[i]);
        }
    }

    internal static void AppendRune(StringBuilder sb, int rune)
    {
        if (rune < 0x10000)
        {
            sb.Append((char)rune);
        }
        else
        {
            sb.Append(char.ConvertFromUtf32(rune));
        }
    }

    private static int SafeRune(int r) => r is >= 0xD800 and <= 0xDFFF ? 0xFFFD : r;
}
