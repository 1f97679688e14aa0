using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>A non-fatal finding of the parser, such as BuildKit's empty-continuation-line warning.</summary>
public sealed record DockerfileWarning(string Short, string Detail, string Url, int Line);

/// <summary>Outcome of <see cref="DockerfileParser.Parse(string, byte[])"/>: the syntax tree, or the error that stopped it.</summary>
public sealed class DockerfileParseResult
{
    public required string File { get; init; }

    /// <summary>The root node; its children are the instructions. Null when parsing failed.</summary>
    public DockerfileNode? Root { get; init; }

    public char EscapeToken { get; init; } = '\\';

    public IReadOnlyList<DockerfileDirective> Directives { get; init; } = [];

    public IReadOnlyList<DockerfileWarning> Warnings { get; init; } = [];

    /// <summary>Why the file could not be parsed, naming file and line; null on success.</summary>
    public InputError? Error { get; init; }

    public bool Succeeded => Error is null && Root is not null;

    /// <summary>The value of a directive (<c>syntax</c>, <c>escape</c>, <c>check</c>), or null.</summary>
    public string? Directive(string name) => Directives.FirstOrDefault(d => d.Name == name)?.Value;

    /// <summary>The <c># syntax=</c> frontend image, without options after a space (BuildKit's <c>DetectSyntax</c>), or null.</summary>
    public string? Syntax => Directive("syntax") is { } syntax ? syntax.Split(' ', 2)[0] : null;

    /// <summary>The <c># check=</c> options; <see cref="DockerfileCheckOptions.None"/> when absent or malformed.</summary>
    public DockerfileCheckOptions CheckOptions =>
        Directive("check") is { } check && DockerfileCheckOptions.TryParse(check, out var options, out _) ? options : DockerfileCheckOptions.None;
}

/// <summary>
/// BuildKit's Dockerfile parser (<c>frontend/dockerfile/parser.Parse</c>): directives, comments, line
/// continuation, heredocs, flags and the per-instruction argument parsers, giving the same tree and dump.
/// Input is bounded as BuildKit bounds it: no physical line may exceed 65,535 bytes.
/// </summary>
public static class DockerfileParser
{
    /// <summary>BuildKit's limit (bufio.MaxScanTokenSize - 1) on one physical line, in bytes.</summary>
    public const int MaxLineBytes = 65535;

    /// <summary>Largest file read, in bytes.</summary>
    public const long MaxFileBytes = DocumentLimits.DefaultMaxFileBytes;

    private static readonly UTF8Encoding LenientUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static DockerfileParseResult Parse(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(file, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Parses a Dockerfile. Never throws for bad input: problems come back in <see cref="DockerfileParseResult.Error"/>.</summary>
    public static DockerfileParseResult Parse(string file, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.LongLength > MaxFileBytes)
        {
            return Failed(file, 0, DocumentLimits.OverLimit(bytes.LongLength, MaxFileBytes));
        }

        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
        {
            var line = 1;
            for (var i = 0; i < nul; i++)
            {
                if (bytes[i] == '\n')
                {
                    line++;
                }
            }

            return Failed(file, line, "binary content (a NUL byte); not a Dockerfile");
        }

        try
        {
            return new Run(file, bytes).Parse();
        }
        catch (DockerfileSyntaxException ex)
        {
            return Failed(file, ex.StartLine, ex.Message);
        }
    }

    private static DockerfileParseResult Failed(string file, int line, string message) =>
        new() { File = file, Error = new InputError(file, line, line > 0 ? 1 : 0, message) };

    /// <summary>Reads physical lines, keeping their line endings, as BuildKit's scanner does.</summary>
    private sealed class LineReader(byte[] bytes)
    {
        private int _offset;

        public int LineNumber { get; private set; }

        public bool TryRead(out string line)
        {
            if (_offset >= bytes.Length)
            {
                line = string.Empty;
                return false;
            }

            var newline = Array.IndexOf(bytes, (byte)'\n', _offset);
            var end = newline < 0 ? bytes.Length : newline + 1;
            var contentLength = (newline < 0 ? bytes.Length : newline) - _offset;
            LineNumber++;
            if (contentLength > MaxLineBytes)
            {
                throw new DockerfileSyntaxException($"dockerfile line greater than max allowed size of {MaxLineBytes}", LineNumber, LineNumber);
            }

            var start = _offset;
            if (LineNumber == 1 && contentLength >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            {
                start += 3;
            }

            line = LenientUtf8.GetString(bytes, start, end - start);
            _offset = end;
            return true;
        }
    }

    private sealed class Run(string file, byte[] bytes)
    {
        private readonly LineReader _reader = new(bytes);
        private readonly DirectiveParser _directiveParser = new();
        private readonly List<DockerfileDirective> _directives = [];
        private readonly List<DockerfileWarning> _warnings = [];
        private char _escape = '\\';

        public DockerfileParseResult Parse()
        {
            var root = new DockerfileNode { StartLine = -1 };
            var comments = new List<string>();
            while (_reader.TryRead(out var raw))
            {
                var lineNumber = _reader.LineNumber;
                if (IsComment(raw))
                {
                    var comment = raw[1..].Trim(DockerfileNode.GoSpace);
                    if (comment.Length == 0)
                    {
                        comments.Clear();
                    }
                    else
                    {
                        comments.Add(comment);
                    }
                }

                var (processed, isDirective) = ProcessLine(raw, stripLeftWhitespace: true, lineNumber);
                if (isDirective && comments.Count > 0)
                {
                    comments.RemoveAt(comments.Count - 1);
                }

                var startLine = lineNumber;
                var column = raw.Length - raw.TrimStart(DockerfileNode.GoSpace).Length + 1;
                var (first, isEndOfLine) = TrimContinuation(processed);
                if (isEndOfLine && first.Length == 0)
                {
                    continue;
                }

                var line = new StringBuilder(first);
                var hasEmptyContinuationLine = false;
                while (!isEndOfLine && _reader.TryRead(out var next))
                {
                    var (continuation, _) = ProcessLine(next, stripLeftWhitespace: false, _reader.LineNumber);
                    if (IsComment(next))
                    {
                        continue;
                    }

                    if (continuation.AsSpan().TrimStart(DockerfileNode.GoSpace).IsEmpty)
                    {
                        hasEmptyContinuationLine = true;
                        continue;
                    }

                    (continuation, isEndOfLine) = TrimContinuation(continuation);
                    line.Append(continuation);
                }

                var logical = line.ToString();
                if (hasEmptyContinuationLine)
                {
                    _warnings.Add(new DockerfileWarning(
                        "Empty continuation line found in: " + logical,
                        "Empty continuation lines will become errors in a future release",
                        "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
                        _reader.LineNumber));
                }

                DockerfileNode child;
                try
                {
                    child = DockerfileLineParsers.NodeFromLine(logical, _escape, [.. comments]);
                }
                catch (DockerfileSyntaxException ex)
                {
                    throw new DockerfileSyntaxException(ex.Message, startLine, _reader.LineNumber);
                }

                child.Column = column;
                if (CanContainHeredoc(child) && logical.Contains("<<", StringComparison.Ordinal))
                {
                    ReadHeredocs(child, logical, startLine);
                }

                child.StartLine = startLine;
                child.EndLine = _reader.LineNumber;
                SetLines(child);
                if (root.StartLine < 0)
                {
                    root.StartLine = startLine;
                }

                root.EndLine = _reader.LineNumber;
                root.AddChild(child);
                comments.Clear();
            }

            if (root.StartLine < 0)
            {
                throw new DockerfileSyntaxException("file with no instructions", Math.Max(_reader.LineNumber, 1), _reader.LineNumber);
            }

            return new DockerfileParseResult
            {
                File = file,
                Root = root,
                EscapeToken = _escape,
                Directives = _directives,
                Warnings = _warnings,
            };
        }

        private static void SetLines(DockerfileNode child)
        {
            // The ONBUILD trigger shares its parent's position.
            foreach (var nested in child.Arguments.SelectMany(a => a.Children))
            {
                nested.StartLine = child.StartLine;
                nested.EndLine = child.EndLine;
                nested.Column = child.Column;
            }
        }

        private void ReadHeredocs(DockerfileNode child, string logical, int startLine)
        {
            List<Heredoc> heredocs;
            try
            {
                heredocs = HeredocsFromLine(logical);
            }
            catch (ShellLexException ex)
            {
                throw new DockerfileSyntaxException(ex.Message, startLine, _reader.LineNumber);
            }

            foreach (var heredoc in heredocs)
            {
                var content = new StringBuilder();
                var terminated = false;
                while (_reader.TryRead(out var body))
                {
                    var candidate = body.AsSpan().TrimEnd("\r\n");
                    if (heredoc.Chomp)
                    {
                        candidate = candidate.TrimStart('\t');
                    }

                    if (candidate.SequenceEqual(heredoc.Name))
                    {
                        terminated = true;
                        break;
                    }

                    content.Append(body);
                }

                if (!terminated)
                {
                    throw new DockerfileSyntaxException($"unterminated heredoc {GoQuote.Quote(heredoc.Name)} (opened on line {startLine})", startLine, _reader.LineNumber);
                }

                child.AddHeredoc(heredoc with { Content = content.ToString() });
            }
        }

        private (string Text, bool IsDirective) ProcessLine(string raw, bool stripLeftWhitespace, int lineNumber)
        {
            var token = raw.TrimEnd('\r', '\n');
            if (stripLeftWhitespace)
            {
                token = token.TrimStart(DockerfileNode.GoSpace);
            }

            var isDirective = false;
            var directive = _directiveParser.ParseLine(token);
            if (directive is not null)
            {
                if (directive.Name == "escape")
                {
                    if (directive.Value is not ("`" or "\\"))
                    {
                        throw new DockerfileSyntaxException($"invalid escape token '{directive.Value}' does not match ` or \\", lineNumber, lineNumber);
                    }

                    _escape = directive.Value[0];
                }

                _directives.Add(directive with { Line = lineNumber });
                isDirective = true;
            }

            return (IsComment(token) ? string.Empty : token, isDirective);
        }

        /// <summary>
        /// BuildKit's continuation regex <c>([^E])E[ \t]*$|^E[ \t]*$</c>: the escape token as the last non-blank
        /// character continues the line unless it is itself escaped.
        /// </summary>
        private (string Line, bool IsEndOfLine) TrimContinuation(string line)
        {
            var end = line.Length;
            while (end > 0 && line[end - 1] is ' ' or '\t')
            {
                end--;
            }

            if (end == 0 || line[end - 1] != _escape)
            {
                return (line, true);
            }

            if (end == 1)
            {
                return (string.Empty, false);
            }

            return line[end - 2] == _escape ? (line, true) : (line[..(end - 1)], false);
        }

        private static bool IsComment(string line)
        {
            var trimmed = line.AsSpan().TrimStart(DockerfileNode.GoSpace);
            return trimmed.Length > 0 && trimmed[0] == '#';
        }

        private static bool CanContainHeredoc(DockerfileNode node)
        {
            if (string.Equals(node.Value, "onbuild", StringComparison.OrdinalIgnoreCase) && node.Next is { Children.Count: > 0 } holder)
            {
                node = holder.Children[0];
            }

            return node.Value.ToLowerInvariant() is "add" or "copy" or "run" && !node.IsJson;
        }
    }

    /// <summary>BuildKit's <c>heredocsFromLine</c>: every word of the line that reads as <c>[n]&lt;&lt;[-]NAME</c>.</summary>
    public static List<Heredoc> HeredocsFromLine(string line)
    {
        // Without variables the result is no longer than the line, which the file size already bounds.
        var lexer = new ShellLexer('\\') { RawQuotes = true, RawEscapes = true, SkipUnsetEnv = true, MaxResultLength = int.MaxValue };
        IReadOnlyList<string> words;
        try
        {
            words = lexer.ProcessWords(line, ShellEnvironment.Empty);
        }
        catch (ShellLexException)
        {
            words = [];
        }

        var docs = new List<Heredoc>();
        foreach (var word in words)
        {
            if (ParseHeredoc(word) is { } heredoc)
            {
                docs.Add(heredoc);
            }
        }

        return docs;
    }

    /// <summary>
    /// BuildKit's <c>ParseHeredoc</c>: matches <c>^(\d*)&lt;&lt;(-?)\s*([^&lt;]*)$</c> and lexes the name twice
    /// (with and without quotes) to learn whether any part of it was quoted, which turns expansion off.
    /// </summary>
    public static Heredoc? ParseHeredoc(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var i = 0;
        while (i < word.Length && char.IsAsciiDigit(word[i]))
        {
            i++;
        }

        var digits = word[..i];
        if (!word.AsSpan(i).StartsWith("<<"))
        {
            return null;
        }

        i += 2;
        var chomp = i < word.Length && word[i] == '-';
        if (chomp)
        {
            i++;
        }

        while (i < word.Length && word[i] is ' ' or '\t' or '\n' or '\f' or '\r')
        {
            i++;
        }

        var rest = word[i..];
        if (rest.Contains('<', StringComparison.Ordinal) || rest.Length == 0)
        {
            return null;
        }

        ulong fd = 0;
        if (digits.Length > 0 && !ulong.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out fd))
        {
            fd = ulong.MaxValue;
        }

        var words = new ShellLexer('\\') { SkipUnsetEnv = true, MaxResultLength = int.MaxValue }.ProcessWords(rest, ShellEnvironment.Empty);
        if (words.Count != 1)
        {
            return null;
        }

        var raw = new ShellLexer('\\') { SkipUnsetEnv = true, RawQuotes = true, MaxResultLength = int.MaxValue }.ProcessWords(rest, ShellEnvironment.Empty);
        if (raw.Count != words.Count)
        {
            throw new ShellLexException("internal lexing of heredoc produced inconsistent results: " + rest);
        }

        var expand = CountQuotes(words[0]) == CountQuotes(raw[0]);
        return new Heredoc(words[0], fd, expand, chomp, string.Empty);
    }

    /// <summary>BuildKit's <c>MustParseHeredoc</c>: <see cref="ParseHeredoc"/> with errors read as "not a heredoc".</summary>
    public static Heredoc? TryParseHeredoc(string word)
    {
        try
        {
            return ParseHeredoc(word);
        }
        catch (ShellLexException)
        {
            return null;
        }
    }

    private static int CountQuotes(string s) => s.Count(c => c is '\'' or '"');
}
