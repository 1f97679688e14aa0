using System.Text;
using YamlDotNet.Core;

namespace Bulwark.Parsing.Documents;

/// <summary>
/// Makes YamlDotNet read what go-yaml reads. Kubernetes (sigs.k8s.io/yaml over go-yaml v2), kubectl and docker
/// compose (go-yaml v3) accept a few constructs that YamlDotNet, stricter or following YAML 1.2 more closely,
/// rejects. When YamlDotNet stops at one of them, this rewrites the text at the place it reports into a text that
/// means the same to go-yaml and that YamlDotNet accepts, and <see cref="YamlDocumentReader"/> reads it again;
/// <see cref="Original"/> maps positions in the rewritten text back to the file. See docs/adr/0006 (amendment).
/// </summary>
/// <remarks>
/// The constructs (each checked against go-yaml's scanner, scannerc.go):
/// <list type="bullet">
/// <item>a block scalar whose leading blank lines hold spaces (YamlDotNet: "found extra spaces in first line",
/// "found more spaces in lines above first content line"): go-yaml takes the spaces as indentation and the lines as
/// line breaks; they are emptied, where that provably keeps the value;</item>
/// <item>a comment right after a block scalar header (<c>|#c</c>): go-yaml skips it; a space is put before it;</item>
/// <item>a multi-line double-quoted scalar whose continuation lines are not indented past the enclosing block
/// (YamlDotNet: "found wrong indentation"): go-yaml has no such check and folding drops the leading blanks; the
/// lines are indented;</item>
/// <item>the escape <c>\'</c> in a double-quoted scalar: go-yaml reads a quote; the backslash is removed.</item>
/// </list>
/// Each rewrite re-reads the whole text, so their number is bounded (hostile input).
/// </remarks>
internal sealed class GoYamlLeniency
{
    /// <summary>Characters re-read over all rewrites of one file, at most (at least two rewrites are allowed).</summary>
    private const int RereadBudget = 16 * 1024 * 1024;

    private const int MaxRewrites = 256;

    private List<Edit>? _edits;

    private int _rewritesLeft;

    public GoYamlLeniency(string text)
    {
        Text = text;
        _rewritesLeft = Math.Clamp(RereadBudget / Math.Max(1, text.Length), 2, MaxRewrites);
    }

    /// <summary>The text to read: the file's, rewritten where YamlDotNet stopped at a construct go-yaml accepts.</summary>
    public string Text { get; private set; }

    /// <summary>
    /// An edit of one line: <see cref="Delta"/> characters inserted (positive) or removed (negative) at 0-based
    /// <see cref="Column"/>, in the text as it was before the edit.
    /// </summary>
    private readonly record struct Edit(int Line, int Column, int Delta);

    /// <summary>The 1-based position in the file of a position in <see cref="Text"/>.</summary>
    public (int Line, int Column) Original(Mark mark)
    {
        var line = (int)mark.Line;
        var column = (int)mark.Column;
        if (_edits is null)
        {
            return (line, column);
        }

        for (var i = _edits.Count - 1; i >= 0; i--)
        {
            var edit = _edits[i];
            if (edit.Line != line || column - 1 < edit.Column)
            {
                continue;
            }

            // Inserted characters stand for the one they were inserted before.
            column = edit.Delta > 0 ? Math.Max(edit.Column, column - 1 - edit.Delta) + 1 : column - edit.Delta;
        }

        return (line, column);
    }

    /// <summary>Rewrites <see cref="Text"/> if <paramref name="error"/> is a construct go-yaml accepts; false when it is not (or the budget is spent).</summary>
    public bool TryRewrite(YamlException error)
    {
        if (_rewritesLeft == 0 || Text.AsSpan().IndexOfAny('\u0085', '\u2028', '\u2029') >= 0)
        {
            // Lines YamlDotNet counts differently from here: positions would not match.
            return false;
        }

        var message = error.Message;
        var lines = new Lines(Text);
        var rewritten =
            message.Contains("found extra spaces in first line", StringComparison.Ordinal)
            || message.Contains("found more spaces in lines above first content line", StringComparison.Ordinal)
                ? EmptyLeadingBlankLines(lines, (int)error.End.Line)
            : message.Contains("found a comment without wh", StringComparison.Ordinal)
                ? SeparateHeaderComment(lines, error.End)
            : message.Contains("multi-line double-quoted scalar, found wrong indentation", StringComparison.Ordinal)
                ? IndentQuotedContinuation(lines, error.Start, error.End)
            : message.Contains("found unknown escape character", StringComparison.Ordinal)
                && EscapedSingleQuote(lines, error) is { } backslash && Apply([new Edit(backslash.Line, backslash.Column, -1)]);
        if (rewritten)
        {
            _rewritesLeft--;
        }

        return rewritten;
    }

    /// <summary>
    /// The leading blank lines of a block scalar, which YamlDotNet read up to <paramref name="stopLine"/> (1-based;
    /// the first line with content, or the end of the text). go-yaml takes the most indented of them as the
    /// scalar's indentation (when it is not given), so emptying them keeps the value when that indentation is not
    /// more than the line at which it stopped, or when that line ends the scalar anyway: it is less indented than the
    /// collection around the scalar (known only when the header line holds a key or an entry indicator), the text
    /// ends, or the indentation is explicit. Otherwise go-yaml ends the scalar there and rejects the line after it,
    /// and YamlDotNet's error stands.
    /// </summary>
    private bool EmptyLeadingBlankLines(Lines lines, int stopLine)
    {
        if (stopLine < 2 || stopLine > lines.Count)
        {
            return false;
        }

        var stop = lines.Text(stopLine);
        var stopIndent = stop.IndexOfAnyExcept(' ');
        bool ends;
        if (stopIndent < 0)
        {
            // A line of spaces: the end of the text, or (with an explicit indentation indicator) a content line of
            // spaces, which go-yaml keeps and YamlDotNet rejects: nothing to rewrite then.
            if (stopLine < lines.Count)
            {
                return false;
            }

            ends = true;
            stopIndent = stop.Length;
        }
        else
        {
            ends = false;
        }

        var header = stopLine - 1;
        var maxLeading = 0;
        while (header >= 1 && lines.Text(header).IndexOfAnyExcept(' ') < 0)
        {
            maxLeading = Math.Max(maxLeading, lines.Text(header).Length);
            header--;
        }

        if (header < 1 || header == stopLine - 1 || BlockScalarHeader(lines.Text(header)) is not { } parsed)
        {
            return false;
        }

        if (!(ends || parsed.ExplicitIndentation || maxLeading <= stopIndent || stopIndent <= parsed.EnclosingIndentAtLeast))
        {
            return false;
        }

        var edits = new List<Edit>();
        for (var line = header + 1; line < stopLine; line++)
        {
            if (lines.Text(line).Length > 0)
            {
                edits.Add(new Edit(line, 0, -lines.Text(line).Length));
            }
        }

        return Apply(edits);
    }

    /// <summary>
    /// Reads a block scalar header line: whether it gives an explicit indentation, and a column the collection
    /// around the scalar is known to be indented at least to (-1 when the line does not tell).
    /// </summary>
    private static (bool ExplicitIndentation, int EnclosingIndentAtLeast)? BlockScalarHeader(ReadOnlySpan<char> line)
    {
        // The indicator is the last '|' or '>' followed only by indicator characters, blanks and a comment.
        for (var i = line.Length - 1; i >= 0; i--)
        {
            if (line[i] is not ('|' or '>'))
            {
                continue;
            }

            var j = i + 1;
            var explicitIndentation = false;
            while (j < line.Length && line[j] is (>= '1' and <= '9') or '+' or '-')
            {
                explicitIndentation |= line[j] != '+' && line[j] != '-';
                j++;
            }

            while (j < line.Length && line[j] is ' ' or '\t')
            {
                j++;
            }

            if (j < line.Length && line[j] != '#')
            {
                continue;
            }

            return (explicitIndentation, EnclosingIndentAtLeast(line[..i]));
        }

        return null;
    }

    /// <summary>
    /// From what precedes a block scalar's indicator on its line: the innermost collection's column if the line
    /// starts it (a key after any "- " entry indicators starts a mapping there; else the last "- " a sequence entry),
    /// or -1 when the scalar is alone on its line (or after "---") and its collection started on an earlier line.
    /// </summary>
    private static int EnclosingIndentAtLeast(ReadOnlySpan<char> before)
    {
        var i = before.IndexOfAnyExcept(' ');
        if (i < 0)
        {
            return -1;
        }

        var lastDash = -1;
        while (i + 1 < before.Length && before[i] == '-' && before[i + 1] is ' ' or '\t')
        {
            lastDash = i;
            i += 2;
            while (i < before.Length && before[i] is ' ' or '\t')
            {
                i++;
            }
        }

        var rest = before[i..];
        if (rest.IndexOf(": ", StringComparison.Ordinal) >= 0 || rest.IndexOf(":\t", StringComparison.Ordinal) >= 0)
        {
            return i;
        }

        if (lastDash >= 0)
        {
            return lastDash;
        }

        // An explicit key or value ("? ", ": ") first on the line is at its mapping's column.
        return rest.Length >= 2 && rest[0] is '?' or ':' && rest[1] is ' ' or '\t' ? i : -1;
    }

    /// <summary><c>|#comment</c>: go-yaml skips the comment; YamlDotNet wants a blank before it.</summary>
    private bool SeparateHeaderComment(Lines lines, Mark at)
    {
        var line = (int)at.Line;
        var column = (int)at.Column - 1;
        if (line < 1 || line > lines.Count || column < 1 || column >= lines.Text(line).Length || lines.Text(line)[column] != '#')
        {
            return false;
        }

        return Apply([new Edit(line, column, 1)]);
    }

    /// <summary>
    /// A double-quoted scalar that starts at <paramref name="quote"/> has a continuation line, at
    /// <paramref name="at"/>, that YamlDotNet finds not indented enough: indents it and the scalar's further lines
    /// past the opening quote. Folding drops a continuation line's leading blanks, so the value stays.
    /// </summary>
    private bool IndentQuotedContinuation(Lines lines, Mark quote, Mark at)
    {
        var target = (int)quote.Column;
        var edits = new List<Edit>();
        var line = (int)at.Line;
        if (line <= (int)quote.Line || line > lines.Count)
        {
            return false;
        }

        for (; line <= lines.Count; line++)
        {
            var text = lines.Text(line);
            var indent = text.IndexOfAnyExcept(' ', '\t');
            if (indent < 0)
            {
                continue;
            }

            if (indent == 0 && (text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal)) && (text.Length == 3 || text[3] is ' ' or '\t'))
            {
                // go-yaml rejects a document marker in a quoted scalar too: leave it to YamlDotNet's error.
                break;
            }

            if (indent < target)
            {
                edits.Add(new Edit(line, 0, target - indent));
            }

            if (ClosingQuote(text[indent..]))
            {
                break;
            }
        }

        return edits.Count > 0 && Apply(edits);
    }

    /// <summary>Whether a line of a double-quoted scalar (from its first non-blank) holds the closing quote.</summary>
    private static bool ClosingQuote(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where the backslash of a <c>\'</c> escape is, if that is the unknown escape YamlDotNet stopped at.</summary>
    private static (int Line, int Column)? EscapedSingleQuote(Lines lines, YamlException error)
    {
        // YamlDotNet reports the scalar's start and the escape's backslash.
        var line = (int)error.End.Line;
        var column = (int)error.End.Column - 1;
        if (line < 1 || line > lines.Count)
        {
            return null;
        }

        var text = lines.Text(line);
        return column >= 0 && column + 1 < text.Length && text[column] == '\\' && text[column + 1] == '\'' ? (line, column) : null;
    }

    private bool Apply(List<Edit> edits)
    {
        var lines = new Lines(Text);
        var sb = new StringBuilder(Text.Length + 64);
        var done = 0;
        foreach (var edit in edits.OrderBy(e => e.Line).ThenBy(e => e.Column))
        {
            var offset = lines.Start(edit.Line) + edit.Column;
            sb.Append(Text, done, offset - done);
            if (edit.Delta > 0)
            {
                sb.Append(' ', edit.Delta);
                done = offset;
            }
            else
            {
                done = offset - edit.Delta;
            }
        }

        sb.Append(Text, done, Text.Length - done);
        Text = sb.ToString();
        (_edits ??= []).AddRange(edits);
        return true;
    }

    /// <summary>The lines of a text (breaks: LF, CRLF, CR), 1-based.</summary>
    private readonly struct Lines
    {
        private readonly string _text;
        private readonly List<int> _starts;

        public Lines(string text)
        {
            _text = text;
            _starts = [0];
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public int Count => _starts.Count;

        public int Start(int line) => _starts[line - 1];

        /// <summary>The line without its break.</summary>
        public ReadOnlySpan<char> Text(int line)
        {
            var start = _starts[line - 1];
            var end = line < _starts.Count ? _starts[line] : _text.Length;
            while (end > start && _text[end - 1] is '\n' or '\r')
            {
                end--;
            }

            return _text.AsSpan(start, end - start);
        }
    }
}
