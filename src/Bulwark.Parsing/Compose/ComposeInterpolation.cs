using System.Text;

namespace Bulwark.Parsing.Compose;

public enum InterpolationErrorKind
{
    /// <summary>A <c>$</c> that starts a malformed reference, such as <c>${}</c> or <c>${foo!}</c>.</summary>
    InvalidTemplate,

    /// <summary><c>${VAR:?message}</c> or <c>${VAR?message}</c> with the variable missing.</summary>
    MissingRequired,

    /// <summary>References nested deeper than <see cref="ComposeInterpolation.MaxNesting"/>.</summary>
    TooDeep,
}

public sealed record InterpolationError(InterpolationErrorKind Kind, string Message, string? Variable = null);

/// <summary>A variable a Compose file refers to, with the default (<c>:-</c>, <c>-</c>), replacement (<c>:+</c>, <c>+</c>) or requirement (<c>:?</c>, <c>?</c>) written with it.</summary>
public sealed record ComposeVariable(string Name, string DefaultValue = "", string PresenceValue = "", bool Required = false);

/// <summary>The substituted text, the first error (the text is then not usable) and the variables read while unset.</summary>
public sealed record InterpolationResult(string Value, InterpolationError? Error, IReadOnlyList<string> UnsetVariables)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Compose variable substitution with the semantics of compose-go's <c>template</c> package (named mappings
/// disabled, as the loader uses it): <c>$$</c>, <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>,
/// <c>${VAR-default}</c>, <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+replacement}</c>,
/// <c>${VAR+replacement}</c>, nested references inside the default, error and replacement texts. Names are
/// <c>[_a-z][_a-z0-9]*</c> case-insensitively. A <c>$</c> followed by nothing valid stays literal; <c>${</c>
/// that does not form a reference is an error.
/// </summary>
/// <remarks>
/// compose-go matches with a regular expression whose braced form is greedy up to the last <c>}</c> of the line,
/// cuts the match at the first balanced brace and substitutes the remainder separately. This scanner reproduces
/// that in linear time (no backtracking): it precomputes, per line, the last closing brace, and continues
/// scanning at the cut instead of recursing, which gives the same text. Only the default, error and replacement
/// texts recurse, bounded by <see cref="MaxNesting"/>.
/// </remarks>
public static class ComposeInterpolation
{
    public const int MaxNesting = 64;

    /// <summary>Substitutes <paramref name="template"/>; <paramref name="lookup"/> answers null for unset variables.</summary>
    public static InterpolationResult Substitute(string template, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(lookup);
        var state = new State(lookup);
        var value = Run(template, state, 0);
        return new InterpolationResult(state.Error is null ? value : string.Empty, state.Error, state.Unset);
    }

    /// <summary>
    /// The variables referred to by <paramref name="values"/>, as compose-go's <c>ExtractVariables</c> finds them
    /// (references nested in defaults, replacements and error messages included). A variable used several times is
    /// required if any use requires it, and keeps the first default and replacement written for it.
    /// </summary>
    public static Dictionary<string, ComposeVariable> ExtractVariables(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var found = new List<ComposeVariable>();
        foreach (var value in values)
        {
            Extract(value, found, 0);
        }

        var result = new Dictionary<string, ComposeVariable>(StringComparer.Ordinal);
        foreach (var variable in found)
        {
            if (!result.TryGetValue(variable.Name, out var existing))
            {
                result[variable.Name] = variable;
                continue;
            }

            result[variable.Name] = existing with
            {
                Required = existing.Required || variable.Required,
                DefaultValue = existing.DefaultValue.Length == 0 ? variable.DefaultValue : existing.DefaultValue,
                PresenceValue = existing.PresenceValue.Length == 0 ? variable.PresenceValue : existing.PresenceValue,
            };
        }

        return result;
    }

    private static void Extract(string s, List<ComposeVariable> found, int depth)
    {
        if (depth > MaxNesting)
        {
            return;
        }

        LineFacts? facts = null;
        var i = s.IndexOf('$', StringComparison.Ordinal);
        while (i >= 0 && i < s.Length)
        {
            var match = MatchAt(s, i, ref facts);
            if (match.Kind == MatchKind.None)
            {
                i = s.IndexOf('$', i + 1);
                continue;
            }

            var text = s[i..match.End];
            i = s.IndexOf('$', match.End);
            if (match.Kind == MatchKind.Escaped)
            {
                continue;
            }

            var value = match.Kind == MatchKind.Braced ? s[match.InnerStart..match.InnerEnd] : string.Empty;
            if (match.Kind == MatchKind.Named)
            {
                value = s[match.InnerStart..match.InnerEnd];
            }
            else
            {
                var closing = FirstBraceClosingIndex(text, 0, text.Length);
                if (closing > 0)
                {
                    value = text[2..closing];
                    if (text.Length > closing + 1)
                    {
                        Extract(text[(closing + 1)..], found, depth + 1);
                    }
                }
            }

            if (value.Length == 0)
            {
                continue;
            }

            var nameEnd = 0;
            while (nameEnd < value.Length && (char.IsAsciiLetterOrDigit(value[nameEnd]) || value[nameEnd] == '_'))
            {
                nameEnd++;
            }

            var name = nameEnd > 0 ? value[..nameEnd] : value;
            var rest = nameEnd > 0 ? value[nameEnd..] : string.Empty;
            var variable = rest switch
            {
                _ when rest.StartsWith(":?", StringComparison.Ordinal) => new ComposeVariable(name, Required: true),
                _ when rest.StartsWith('?') => new ComposeVariable(name, Required: true),
                _ when rest.StartsWith(":-", StringComparison.Ordinal) => new ComposeVariable(name, DefaultValue: rest[2..]),
                _ when rest.StartsWith('-') => new ComposeVariable(name, DefaultValue: rest[1..]),
                _ when rest.StartsWith(":+", StringComparison.Ordinal) => new ComposeVariable(name, PresenceValue: rest[2..]),
                _ when rest.StartsWith('+') => new ComposeVariable(name, PresenceValue: rest[1..]),
                _ => new ComposeVariable(name),
            };
            found.Add(variable);

            var message = variable.Required ? rest[(rest.StartsWith(':') ? 2 : 1)..] : string.Empty;
            foreach (var nested in (string[])[variable.DefaultValue, variable.PresenceValue, message])
            {
                if (nested.Length > 0)
                {
                    Extract(nested, found, depth + 1);
                }
            }
        }
    }

    /// <summary>True when the text holds a <c>$</c> and so may change under substitution.</summary>
    public static bool MayInterpolate(string text) => text.Contains('$', StringComparison.Ordinal);

    private sealed class State(Func<string, string?> lookup)
    {
        public Func<string, string?> Lookup { get; } = lookup;

        public List<string> Unset { get; } = [];

        public InterpolationError? Error { get; set; }

        public string? Get(string name, bool warn)
        {
            var value = Lookup(name);
            if (value is null && warn && !Unset.Contains(name, StringComparer.Ordinal))
            {
                Unset.Add(name);
            }

            return value;
        }

        public void Fail(InterpolationError error) => Error ??= error;
    }

    private enum MatchKind
    {
        None,
        Escaped,
        Named,
        Braced,
        Mapping,
        Invalid,
    }

    /// <summary>A reference found at a <c>$</c>: its kind, end (exclusive) and, for named and braced, the inner text.</summary>
    private readonly record struct Match(MatchKind Kind, int End, int InnerStart, int InnerEnd);

    /// <summary>Per-position facts about the line a position is on, so that each match attempt costs O(1).</summary>
    private sealed class LineFacts
    {
        /// <summary>Index of the last <c>}</c> on the line of each position (-1 if none).</summary>
        public required int[] LastBrace { get; init; }

        /// <summary>Smallest index at or after each position, on its line, of a <c>]</c> that can end a <c>${name[key]...}</c> form.</summary>
        public required int[] NextBracket { get; init; }

        public static LineFacts Of(string s)
        {
            var lastBrace = new int[s.Length + 1];
            var nextBracket = new int[s.Length + 1];
            var lineStart = 0;
            while (lineStart <= s.Length)
            {
                var newline = s.IndexOf('\n', lineStart);
                var lineEnd = newline < 0 ? s.Length : newline;
                var last = -1;
                for (var p = lineEnd - 1; p >= lineStart; p--)
                {
                    if (s[p] == '}')
                    {
                        last = p;
                        break;
                    }
                }

                var next = -1;
                for (var p = lineEnd; p >= lineStart; p--)
                {
                    lastBrace[p] = last;
                    if (p < lineEnd && s[p] == ']' && BracketCanClose(s, p, last))
                    {
                        next = p;
                    }

                    nextBracket[p] = next;
                }

                if (newline < 0)
                {
                    break;
                }

                lineStart = newline + 1;
            }

            return new LineFacts { LastBrace = lastBrace, NextBracket = nextBracket };
        }

        // After "name[key]": ":" then one of "-+?}" then up to the last brace; or one of "-+?}" then up to the
        // last brace; or directly "}".
        private static bool BracketCanClose(string s, int p, int lastBrace)
        {
            if (p + 1 >= s.Length)
            {
                return false;
            }

            var next = s[p + 1];
            if (next == ':' && p + 2 < s.Length && s[p + 2] is '-' or '+' or '?' or '}' && lastBrace >= p + 3)
            {
                return true;
            }

            return (next is '-' or '+' or '?' or '}' && lastBrace >= p + 2) || next == '}';
        }
    }

    private static string Run(string s, State state, int depth)
    {
        if (depth > MaxNesting)
        {
            state.Fail(new InterpolationError(InterpolationErrorKind.TooDeep, $"variable references nested deeper than {MaxNesting} levels"));
            return string.Empty;
        }

        var dollar = s.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0)
        {
            return s;
        }

        LineFacts? facts = null;
        var output = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var next = s.IndexOf('$', i);
            if (next < 0)
            {
                output.Append(s, i, s.Length - i);
                break;
            }

            output.Append(s, i, next - i);
            i = next;
            var match = MatchAt(s, i, ref facts);
            if (match.Kind == MatchKind.None)
            {
                output.Append('$');
                i++;
                continue;
            }

            // Cut the match at its first balanced closing brace and read the piece again on its own; what
            // follows the cut is substituted on its own too, which is the same as scanning on from the cut.
            var length = match.End - i;
            var closing = FirstBraceClosingIndex(s, i, length);
            var piece = closing < 0 || closing + 1 == length ? s.Substring(i, length) : s.Substring(i, closing + 1);
            LineFacts? pieceFacts = null;
            var pieceMatch = piece.Length == length ? match with { End = length, InnerStart = match.InnerStart - i, InnerEnd = match.InnerEnd - i } : MatchAt(piece, 0, ref pieceFacts);
            output.Append(Replace(s, piece, pieceMatch, state, depth));
            if (state.Error is not null)
            {
                return string.Empty;
            }

            i += piece.Length;
        }

        return output.ToString();
    }

    private static string Replace(string template, string piece, Match match, State state, int depth) => match.Kind switch
    {
        MatchKind.Escaped => "$",
        MatchKind.Named => state.Get(piece[match.InnerStart..match.InnerEnd], warn: true) ?? string.Empty,

        // Named mappings (${name[key]}) are not enabled in the loader: the text stays as written.
        MatchKind.Mapping => piece,
        MatchKind.Braced => Braced(piece[match.InnerStart..match.InnerEnd], state, depth),
        _ => Invalid(template, state),
    };

    private static string Invalid(string template, State state)
    {
        state.Fail(new InterpolationError(InterpolationErrorKind.InvalidTemplate, $"Invalid template: \"{template}\""));
        return string.Empty;
    }

    private static string Braced(string inner, State state, int depth)
    {
        var nameEnd = 0;
        while (nameEnd < inner.Length && IsNameChar(inner[nameEnd]))
        {
            nameEnd++;
        }

        var name = inner[..nameEnd];
        if (nameEnd == inner.Length)
        {
            return state.Get(name, warn: true) ?? string.Empty;
        }

        var colon = inner[nameEnd] == ':';
        var op = inner[nameEnd + (colon ? 1 : 0)];
        var argument = inner[(nameEnd + (colon ? 2 : 1))..];

        // The argument is substituted first, whether or not it is used (as compose-go does).
        var resolved = Run(argument, state, depth + 1);
        if (state.Error is not null)
        {
            return string.Empty;
        }

        var value = state.Get(name, warn: false);
        switch (op)
        {
            case '-':
                return value is null || (colon && value.Length == 0) ? resolved : value;
            case '+':
                return value is not null && (!colon || value.Length > 0) ? resolved : value ?? string.Empty;
            default:
                if (value is null || (colon && value.Length == 0))
                {
                    var message = resolved.Length > 0
                        ? $"required variable {name} is missing a value: {resolved}"
                        : $"required variable {name} is missing a value";
                    state.Fail(new InterpolationError(InterpolationErrorKind.MissingRequired, message, name));
                    return string.Empty;
                }

                return value;
        }
    }

    private static Match MatchAt(string s, int i, ref LineFacts? facts)
    {
        if (i + 1 >= s.Length)
        {
            return default;
        }

        var next = s[i + 1];
        if (next == '$')
        {
            return new Match(MatchKind.Escaped, i + 2, i + 1, i + 2);
        }

        if (IsNameStart(next))
        {
            var end = i + 2;
            while (end < s.Length && IsNameChar(s[end]))
            {
                end++;
            }

            return new Match(MatchKind.Named, end, i + 1, end);
        }

        if (next != '{')
        {
            return default;
        }

        facts ??= LineFacts.Of(s);
        var j = i + 2;
        if (j < s.Length && IsNameStart(s[j]))
        {
            var k = j + 1;
            while (k < s.Length && IsNameChar(s[k]))
            {
                k++;
            }

            if (k < s.Length && s[k] == '}')
            {
                return new Match(MatchKind.Braced, k + 1, j, k);
            }

            var opEnd = -1;
            if (k + 1 < s.Length && s[k] == ':' && s[k + 1] is '-' or '+' or '?')
            {
                opEnd = k + 2;
            }
            else if (k < s.Length && s[k] is '-' or '+' or '?')
            {
                opEnd = k + 1;
            }

            if (opEnd > 0 && facts.LastBrace[k] >= opEnd)
            {
                var last = facts.LastBrace[k];
                return new Match(MatchKind.Braced, last + 1, j, last);
            }

            if (k < s.Length && s[k] == '[' && facts.NextBracket[k + 1] >= 0)
            {
                var last = facts.LastBrace[facts.NextBracket[k + 1]];
                return new Match(MatchKind.Mapping, last + 1, j, last);
            }
        }

        return new Match(MatchKind.Invalid, i + 2, i + 2, i + 2);
    }

    /// <summary>
    /// Index, relative to <paramref name="start"/>, of the brace closing the first one opened, or -1. Like
    /// compose-go, the character after each <c>{</c> is skipped.
    /// </summary>
    private static int FirstBraceClosingIndex(string s, int start, int length)
    {
        var open = 0;
        for (var i = 0; i < length; i++)
        {
            var c = s[start + i];
            if (c == '}')
            {
                open--;
                if (open == 0)
                {
                    return i;
                }
            }

            if (c == '{')
            {
                open++;
                i++;
            }
        }

        return -1;
    }

    // Go's case-insensitive [_a-z] also matches the Kelvin sign and the long s, which fold to k and s.
    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c) || c is '\u212A' or '\u017F';

    private static bool IsNameChar(char c) => IsNameStart(c) || char.IsAsciiDigit(c);
}
