using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Compose;

/// <summary>One <c>KEY=VALUE</c> of a dotenv file, with the position of the key. <see cref="Value"/> is null for a bare <c>KEY</c> that is unset.</summary>
public sealed record DotEnvEntry(string Key, string? Value, SourceLocation Location)
{
    /// <summary>The value as written when <c>${VAR}</c> substitution changed it.</summary>
    public string? Original { get; init; }
}

/// <summary>
/// Reads <c>.env</c>, <c>--env-file</c> and service <c>env_file</c> files the way compose-go's dotenv parser does:
/// <c>KEY=VALUE</c> or <c>KEY: VALUE</c>, an optional <c>export</c> prefix, <c>#</c> comment lines, unquoted values
/// up to the end of the line (an inline comment starts at <c>" #"</c>), single-quoted values taken literally,
/// double-quoted values with <c>\n</c>/<c>\r</c> escapes, quoted values spanning lines, and <c>${VAR}</c>
/// substitution in unquoted and double-quoted values (from the lookup first, then from keys read before).
/// A bare <c>KEY</c> takes its value from the lookup.
/// </summary>
public static class DotEnvFile
{

    public sealed record Result(List<DotEnvEntry> Entries, List<InputError> Errors)
    {
        /// <summary>The values by key; later keys win.</summary>
        public Dictionary<string, string> ToDictionary()
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in Entries)
            {
                if (entry.Value is { } value)
                {
                    map[entry.Key] = value;
                }
            }

            return map;
        }
    }

    public static Result Load(string path, Func<string, string?> lookup, bool raw = false, long maxBytes = DocumentLimits.DefaultMaxFileBytes)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > maxBytes)
            {
                return new Result([], [new InputError(path, 0, 0, "env " + DocumentLimits.OverLimit(info.Length, maxBytes))]);
            }

            return Parse(path, File.ReadAllText(path), lookup, raw);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new Result([], [new InputError(path, 0, 0, "cannot read env file: " + ex.Message)]);
        }
    }

    /// <summary>Parses dotenv text; with <paramref name="raw"/> (<c>format: raw</c>) values are taken as written, without quotes or substitution.</summary>
    public static Result Parse(string path, string text, Func<string, string?> lookup, bool raw = false)
    {
        var entries = new List<DotEnvEntry>();
        var errors = new List<InputError>();
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new LineStarts(text);
        var i = 0;
        while (i < text.Length)
        {
            // Statement start: skip whitespace (including line breaks) and comment lines.
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            if (text[i] == '#')
            {
                i = SkipLine(text, i);
                continue;
            }

            var (line, column) = lines.Position(i);
            var location = new SourceLocation(path, line, column);
            if (raw)
            {
                var end = LineEnd(text, i);
                var statement = text[i..end].TrimEnd('\r');
                var eq = statement.IndexOf('=', StringComparison.Ordinal);
                var rawKey = (eq < 0 ? statement : statement[..eq]).Trim();
                entries.Add(new DotEnvEntry(rawKey, eq < 0 ? lookup(rawKey) : statement[(eq + 1)..], location));
                i = end;
                continue;
            }

            if (text.AsSpan(i).StartsWith("export", StringComparison.Ordinal))
            {
                i += "export".Length;
                while (i < text.Length && IsSpace(text[i]))
                {
                    i++;
                }
            }

            var keyStart = i;
            string? problem = null;
            while (i < text.Length && text[i] is not ('=' or ':' or '\n'))
            {
                var c = text[i];
                if (!IsSpace(c) && c is not ('_' or '.') && !char.IsLetterOrDigit(c))
                {
                    problem = $"unexpected character \"{c}\" in variable name";
                    break;
                }

                i++;
            }

            var key = text[keyStart..Math.Min(i, text.Length)].TrimEnd();
            if (problem is null && key.Contains(' ', StringComparison.Ordinal))
            {
                problem = "key cannot contain a space";
            }

            if (problem is null && key.Length == 0)
            {
                problem = "a line with no variable name";
            }

            if (problem is not null)
            {
                errors.Add(new InputError(path, line, column, problem));
                i = SkipLine(text, i);
                continue;
            }

            if (i >= text.Length || text[i] == '\n')
            {
                // A bare KEY: inherited from the environment.
                entries.Add(new DotEnvEntry(key, lookup(key), location));
                continue;
            }

            i++;
            while (i < text.Length && IsSpace(text[i]))
            {
                i++;
            }

            var value = ReadValue(text, ref i, path, lines, errors, out var substitute);
            if (value is null)
            {
                continue;
            }

            string? original = null;
            if (substitute && ComposeInterpolation.MayInterpolate(value))
            {
                var result = ComposeInterpolation.Substitute(value, name => lookup(name) ?? (known.TryGetValue(name, out var v) ? v : null));
                if (result.Error is { } error)
                {
                    errors.Add(new InputError(path, line, column, $"in the value of {key}: {error.Message}"));
                }
                else if (result.Value != value)
                {
                    original = value;
                    value = result.Value;
                }
            }

            known[key] = value;
            entries.Add(new DotEnvEntry(key, value, location) { Original = original });
        }

        return new Result(entries, errors);
    }

    private static string? ReadValue(string text, ref int i, string path, LineStarts lines, List<InputError> errors, out bool substitute)
    {
        substitute = true;
        if (i < text.Length && text[i] is '"' or '\'')
        {
            var quote = text[i];
            for (var j = i + 1; j < text.Length; j++)
            {
                if (text[j] != quote || text[j - 1] == '\\')
                {
                    continue;
                }

                var inner = text[(i + 1)..j];
                i = j + 1;
                if (quote == '\'')
                {
                    substitute = false;
                    return inner;
                }

                return ExpandEscapes(inner);
            }

            var (line, column) = lines.Position(i);
            errors.Add(new InputError(path, line, column, "unterminated quoted value"));
            i = text.Length;
            return null;
        }

        var end = LineEnd(text, i);
        var value = text[i..end];
        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        if (comment >= 0)
        {
            value = value[..comment];
        }

        i = end;
        return value.TrimEnd();
    }

    private static string ExpandEscapes(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[i + 1];
                switch (next)
                {
                    case 'n':
                        sb.Append('\n');
                        i++;
                        continue;
                    case 'r':
                        sb.Append('\r');
                        i++;
                        continue;
                    case '"' or '\\' or '$' or '`' or '!':
                        sb.Append(next);
                        i++;
                        continue;
                }
            }

            sb.Append(value[i]);
        }

        return sb.ToString();
    }

    private static int LineEnd(string text, int i)
    {
        var newline = text.IndexOf('\n', i);
        return newline < 0 ? text.Length : newline;
    }

    private static int SkipLine(string text, int i)
    {
        var end = LineEnd(text, i);
        return end < text.Length ? end + 1 : end;
    }

    private static bool IsSpace(char c) => c is '\t' or '\v' or '\f' or '\r' or ' ' or '\u0085' or '\u00A0';

    private sealed class LineStarts
    {
        private readonly List<int> _starts = [0];

        public LineStarts(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public (int Line, int Column) Position(int offset)
        {
            var line = _starts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }

            return (line + 1, offset - _starts[line] + 1);
        }
    }
}
