using System.Text;
using System.Text.Json;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>An error BuildKit's parser reports, with the lines it covers.</summary>
public sealed class DockerfileSyntaxException(string message, int startLine, int endLine) : Exception(message)
{
    public int StartLine { get; } = startLine;

    public int EndLine { get; } = endLine;
}

/// <summary>BuildKit's per-instruction argument parsers (<c>line_parsers.go</c>) and <c>splitCommand</c>.</summary>
public static class DockerfileLineParsers
{
    private sealed record ParsedArgs(DockerfileNode? Next, bool IsJson);

    private static readonly ParsedArgs None = new(null, false);

    /// <summary>Splits a logical line and dispatches to the instruction's argument parser (<c>newNodeFromLine</c>).</summary>
    public static DockerfileNode NodeFromLine(string line, char escapeToken, IReadOnlyList<string> comments)
    {
        var (cmd, flags, args) = SplitCommand(line);
        var parsed = cmd.ToLowerInvariant() switch
        {
            "add" or "copy" or "volume" => ParseMaybeJsonToList(args),
            "arg" => ParseNameOrNameVal(args, escapeToken),
            "cmd" or "entrypoint" or "run" or "shell" => ParseMaybeJson(args),
            "env" => ParseNameVal(args, "ENV", escapeToken),
            "label" => ParseNameVal(args, "LABEL", escapeToken),
            "expose" or "from" => ParseStringsWhitespaceDelimited(args),
            "healthcheck" => ParseHealthConfig(args),
            "maintainer" or "stopsignal" or "user" or "workdir" => ParseString(args),
            "onbuild" => ParseSubCommand(args, escapeToken),
            _ => new ParsedArgs(new DockerfileNode(), false),
        };

        return new DockerfileNode
        {
            Value = cmd,
            Original = line,
            Flags = flags,
            Next = parsed.Next,
            IsJson = parsed.IsJson,
            PrevComment = comments,
        };
    }

    /// <summary><c>splitCommand</c>: keyword, flags, and the rest of the line, trimmed.</summary>
    public static (string Cmd, IReadOnlyList<string> Flags, string Args) SplitCommand(string line)
    {
        var trimmed = line.Trim(DockerfileNode.GoSpace);
        var split = IndexOfWhitespaceRun(trimmed, 0, out var runEnd);
        if (split < 0)
        {
            return (trimmed, [], string.Empty);
        }

        var cmd = trimmed[..split];
        var (rest, flags) = ExtractBuilderFlags(trimmed[runEnd..]);
        return (cmd, flags, rest.Trim(DockerfileNode.GoSpace));
    }

    /// <summary>
    /// <c>extractBuilderFlags</c>. Go walks the UTF-8 bytes here and appends each byte as a rune, so non-ASCII
    /// text inside a flag reads as Latin-1; this does the same.
    /// </summary>
    internal static (string Remainder, List<string> Flags) ExtractBuilderFlags(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var words = new List<string>();
        var word = new StringBuilder();
        const int InSpaces = 0, InWord = 1, InQuote = 2;
        var phase = InSpaces;
        byte quote = 0;
        var blankOk = false;
        byte ch = 0;
        for (var pos = 0; pos <= bytes.Length; pos++)
        {
            if (pos != bytes.Length)
            {
                ch = bytes[pos];
            }

            if (phase == InSpaces)
            {
                if (pos == bytes.Length)
                {
                    break;
                }

                if (IsGoSpace(ch))
                {
                    continue;
                }

                if (ch != '-' || pos + 1 == bytes.Length || bytes[pos + 1] != '-')
                {
                    return (Encoding.UTF8.GetString(bytes, pos, bytes.Length - pos), words);
                }

                phase = InWord;
            }

            if (phase is InWord or InQuote && pos == bytes.Length)
            {
                if (!word.Equals("--".AsSpan()) && (blankOk || word.Length > 0))
                {
                    words.Add(word.ToString());
                }

                break;
            }

            if (phase == InWord)
            {
                if (IsGoSpace(ch))
                {
                    phase = InSpaces;
                    if (word.Equals("--".AsSpan()))
                    {
                        return (Encoding.UTF8.GetString(bytes, pos, bytes.Length - pos), words);
                    }

                    if (blankOk || word.Length > 0)
                    {
                        words.Add(word.ToString());
                    }

                    word.Clear();
                    blankOk = false;
                    continue;
                }

                if (ch is (byte)'\'' or (byte)'"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = InQuote;
                    continue;
                }

                if (ch == '\\')
                {
                    if (pos + 1 == bytes.Length)
                    {
                        continue;
                    }

                    pos++;
                    ch = bytes[pos];
                }

                word.Append((char)ch);
                continue;
            }

            if (ch == quote)
            {
                phase = InWord;
                continue;
            }

            if (ch == '\\')
            {
                if (pos + 1 == bytes.Length)
                {
                    phase = InWord;
                    continue;
                }

                pos++;
                ch = bytes[pos];
            }

            word.Append((char)ch);
        }

        return (string.Empty, words);
    }

    /// <summary>Go's <c>unicode.IsSpace(rune(b))</c> for one byte.</summary>
    private static bool IsGoSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r' or 0x85 or 0xA0;

    private static bool IsTokenWhitespace(char c) => c is '\t' or '\v' or '\f' or '\r' or ' ';

    /// <summary>Finds the first run of <c>[\t\v\f\r ]+</c> at or after <paramref name="from"/>.</summary>
    private static int IndexOfWhitespaceRun(string s, int from, out int runEnd)
    {
        for (var i = from; i < s.Length; i++)
        {
            if (IsTokenWhitespace(s[i]))
            {
                runEnd = i + 1;
                while (runEnd < s.Length && IsTokenWhitespace(s[runEnd]))
                {
                    runEnd++;
                }

                return i;
            }
        }

        runEnd = -1;
        return -1;
    }

    /// <summary><c>reWhitespace.Split(rest, -1)</c>.</summary>
    private static List<string> SplitOnWhitespace(string s)
    {
        var parts = new List<string>();
        var start = 0;
        while (true)
        {
            var at = IndexOfWhitespaceRun(s, start, out var runEnd);
            if (at < 0)
            {
                parts.Add(s[start..]);
                return parts;
            }

            parts.Add(s[start..at]);
            start = runEnd;
        }
    }

    private static DockerfileNode? Chain(IEnumerable<string> values)
    {
        DockerfileNode? head = null, tail = null;
        foreach (var value in values)
        {
            var node = new DockerfileNode { Value = value };
            if (tail is null)
            {
                head = node;
            }
            else
            {
                tail.Next = node;
            }

            tail = node;
        }

        return head;
    }

    private static ParsedArgs ParseSubCommand(string rest, char escapeToken)
    {
        if (rest.Length == 0)
        {
            return None;
        }

        var child = NodeFromLine(rest, escapeToken, []);
        var holder = new DockerfileNode();
        holder.AddChild(child);
        return new ParsedArgs(holder, false);
    }

    /// <summary><c>parseWords</c>: splits on whitespace outside quotes, keeping quotes and escapes.</summary>
    public static List<string> ParseWords(string rest, char escapeToken)
    {
        const int InSpaces = 0, InWord = 1, InQuote = 2;
        var words = new List<string>();
        var phase = InSpaces;
        var quote = '\0';
        var blankOk = false;
        var sb = new StringBuilder();
        for (var pos = 0; pos <= rest.Length; pos++)
        {
            var ch = pos < rest.Length ? rest[pos] : '\0';
            if (phase == InSpaces)
            {
                if (pos == rest.Length)
                {
                    break;
                }

                if (char.IsWhiteSpace(ch))
                {
                    continue;
                }

                phase = InWord;
            }

            if (phase is InWord or InQuote && pos == rest.Length)
            {
                if (blankOk || sb.Length > 0)
                {
                    words.Add(sb.ToString());
                }

                break;
            }

            if (phase == InWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = InSpaces;
                    if (blankOk || sb.Length > 0)
                    {
                        words.Add(sb.ToString());
                    }

                    sb.Clear();
                    blankOk = false;
                    continue;
                }

                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = InQuote;
                }

                if (ch == escapeToken)
                {
                    if (pos + 1 == rest.Length)
                    {
                        continue;
                    }

                    sb.Append(ch);
                    pos++;
                    ch = rest[pos];
                }

                sb.Append(ch);
                continue;
            }

            if (ch == quote)
            {
                phase = InWord;
            }

            if (ch == escapeToken && quote != '\'')
            {
                if (pos + 1 == rest.Length)
                {
                    phase = InWord;
                    continue;
                }

                pos++;
                sb.Append(ch);
                ch = rest[pos];
            }

            sb.Append(ch);
        }

        return words;
    }

    private static ParsedArgs ParseNameVal(string rest, string key, char escapeToken)
    {
        var words = ParseWords(rest, escapeToken);
        if (words.Count == 0)
        {
            return None;
        }

        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            var at = IndexOfWhitespaceRun(rest, 0, out var runEnd);
            if (at < 0)
            {
                throw new DockerfileSyntaxException($"{key} must have two arguments", 0, 0);
            }

            return new ParsedArgs(Chain([rest[..at], rest[runEnd..], string.Empty]), false);
        }

        var values = new List<string>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new DockerfileSyntaxException($"Syntax error - can't find = in {GoQuote.Quote(word)}. Must be of the form: name=value", 0, 0);
            }

            values.Add(word[..eq]);
            values.Add(word[(eq + 1)..]);
            values.Add("=");
        }

        return new ParsedArgs(Chain(values), false);
    }

    private static ParsedArgs ParseNameOrNameVal(string rest, char escapeToken)
    {
        var words = ParseWords(rest, escapeToken);
        return words.Count == 0 ? None : new ParsedArgs(Chain(words), false);
    }

    private static ParsedArgs ParseStringsWhitespaceDelimited(string rest) =>
        rest.Length == 0 ? None : new ParsedArgs(Chain(SplitOnWhitespace(rest)), false);

    private static ParsedArgs ParseString(string rest) =>
        rest.Length == 0 ? None : new ParsedArgs(new DockerfileNode { Value = rest }, false);

    private enum JsonOutcome
    {
        NotJson,
        Strings,
        NotStrings,
    }

    private static JsonOutcome ParseJson(string rest, out List<string> values)
    {
        values = [];
        var trimmed = rest.TrimStart(DockerfileNode.GoSpace);
        if (!trimmed.StartsWith('['))
        {
            return JsonOutcome.NotJson;
        }

        var utf8 = Encoding.UTF8.GetBytes(trimmed);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 10000, CommentHandling = JsonCommentHandling.Disallow });
        var allStrings = true;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        values.Add(ReadString(ref reader));
                    }
                    else
                    {
                        allStrings = false;
                    }
                }

                // Go decodes numbers into float64 and fails (so the line falls back to shell form) when one overflows.
                if (reader.TokenType == JsonTokenType.Number && (!reader.TryGetDouble(out var number) || !double.IsFinite(number)))
                {
                    return JsonOutcome.NotJson;
                }
            }
        }
        catch (JsonException)
        {
            return JsonOutcome.NotJson;
        }

        return allStrings ? JsonOutcome.Strings : JsonOutcome.NotStrings;
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape (\ud800): Go decodes it as U+FFFD.
            return UnescapeLenient(reader.ValueSpan);
        }
    }

    private static string UnescapeLenient(ReadOnlySpan<byte> raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }

            var e = text[++i];
            switch (e)
            {
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u' when i + 4 < text.Length:
                    var code = Convert.ToInt32(text.Substring(i + 1, 4), 16);
                    i += 4;
                    if (char.IsHighSurrogate((char)code) && i + 6 < text.Length && text[i + 1] == '\\' && text[i + 2] == 'u')
                    {
                        var low = Convert.ToInt32(text.Substring(i + 3, 4), 16);
                        if (char.IsLowSurrogate((char)low))
                        {
                            sb.Append((char)code).Append((char)low);
                            i += 6;
                            break;
                        }
                    }

                    sb.Append(char.IsSurrogate((char)code) ? '\uFFFD' : (char)code);
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }

    private static readonly string NotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

    private static ParsedArgs ParseMaybeJson(string rest)
    {
        if (rest.Length == 0)
        {
            return None;
        }

        switch (ParseJson(rest, out var values))
        {
            case JsonOutcome.Strings:
                return new ParsedArgs(Chain(values), true);
            case JsonOutcome.NotStrings:
                throw new DockerfileSyntaxException(NotStringArray, 0, 0);
            default:
                return new ParsedArgs(new DockerfileNode { Value = rest }, false);
        }
    }

    private static ParsedArgs ParseMaybeJsonToList(string rest)
    {
        return ParseJson(rest, out var values) switch
        {
            JsonOutcome.Strings => new ParsedArgs(Chain(values), true),
            JsonOutcome.NotStrings => throw new DockerfileSyntaxException(NotStringArray, 0, 0),
            _ => ParseStringsWhitespaceDelimited(rest),
        };
    }

    private static ParsedArgs ParseHealthConfig(string rest)
    {
        // Go scans the UTF-8 bytes for the end of the first word, so a byte 0x85 or 0xA0 inside a
        // multi-byte character ends it too; scanning bytes keeps that.
        var bytes = Encoding.UTF8.GetBytes(rest);
        var sep = 0;
        while (sep < bytes.Length && !IsGoSpace(bytes[sep]))
        {
            sep++;
        }

        var next = sep;
        while (next < bytes.Length && IsGoSpace(bytes[next]))
        {
            next++;
        }

        if (sep == 0)
        {
            return None;
        }

        var cmd = ParseMaybeJson(Encoding.UTF8.GetString(bytes, next, bytes.Length - next));
        return new ParsedArgs(new DockerfileNode { Value = Encoding.UTF8.GetString(bytes, 0, sep), Next = cmd.Next }, cmd.IsJson);
    }
}
