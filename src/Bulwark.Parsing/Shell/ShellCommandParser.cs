using System.Text;

namespace Bulwark.Parsing.Shell;

/// <summary>
/// Reads POSIX shell text (with the bash extensions Dockerfiles use) into pipelines of simple commands, so
/// rules ask "is a <c>curl</c> piped into <c>sh</c>?" instead of matching raw text. It understands words with
/// single and double quotes and backslash escapes, <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>|</c>, <c>&amp;</c>,
/// newlines, comments, line continuations, subshells and brace groups, <c>if</c>/<c>for</c>/<c>while</c>/<c>case</c>,
/// function definitions, redirections and heredocs, <c>VAR=value cmd</c> assignments, and reads the script of
/// <c>sh -c '…'</c>, <c>bash -c "…"</c>, <c>su -c</c> and <c>eval</c> as commands too. <c>$(…)</c>, backticks and
/// <c>${…}</c> stay opaque parts of their words: nothing is expanded or executed.
/// </summary>
/// <remarks>
/// It never throws and does linear work per level: nesting deeper than <see cref="MaxNesting"/> is read as
/// plain text, and <c>sh -c</c> scripts are followed <see cref="MaxScriptDepth"/> levels deep.
/// </remarks>
public static class ShellCommandParser
{
    /// <summary>Deepest nesting of quotes, substitutions and parentheses followed inside a word.</summary>
    public const int MaxNesting = 128;

    /// <summary>How many levels of <c>sh -c '…'</c> inside <c>sh -c '…'</c> are read as commands.</summary>
    public const int MaxScriptDepth = 4;

    public static ShellScript Parse(string text) => Parse(new ShellSource(text ?? string.Empty));

    public static ShellScript Parse(ShellSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var script = new ShellScript(source);
        new Reader(script, source.Text, null, 0, null, 0).Run();
        for (var i = 0; i < script.Commands.Count; i++)
        {
            script.Commands[i].Index = i;
        }

        return script;
    }

    /// <summary>Shells whose <c>-c</c> argument is a script.</summary>
    public static bool IsShell(string name) => name is "sh" or "bash" or "dash" or "ash" or "zsh" or "ksh" or "mksh" or "yash" or "posh";

    /// <summary>True for <c>NAME=value</c> (or <c>NAME+=value</c>) with an unquoted, valid name.</summary>
    public static bool IsAssignment(ShellWord word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var raw = word.Raw;
        if (raw.Length == 0 || !(char.IsAsciiLetter(raw[0]) || raw[0] == '_'))
        {
            return false;
        }

        for (var i = 1; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '=' || (c == '+' && i + 1 < raw.Length && raw[i + 1] == '='))
            {
                return true;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The name of an assignment word (<c>A</c> for <c>A=1</c>).</summary>
    public static string AssignmentName(ShellWord word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var eq = word.Value.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? word.Value : word.Value[..eq].TrimEnd('+');
    }

    /// <summary>The value of an assignment word (<c>1</c> for <c>A=1</c>).</summary>
    public static string AssignmentValue(ShellWord word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var eq = word.Value.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? string.Empty : word.Value[(eq + 1)..];
    }

    /// <summary>The last path segment: <c>curl</c> for <c>/usr/bin/curl</c>.</summary>
    public static string BaseName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.LastIndexOf('/');
        return slash >= 0 && slash < path.Length - 1 ? path[(slash + 1)..] : path;
    }

    private enum TokenKind
    {
        End,
        Word,
        Operator,
        Redirect,
    }

    private readonly record struct Token(TokenKind Kind, string Op, ShellWord? Word, int Start, int LocalStart, int? Fd);

    private sealed class Reader(ShellScript script, string text, int[]? map, int baseDepth, ShellCommand? parent, int scriptDepth)
    {
        private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
        {
            "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "select", "case", "esac", "in", "{", "}", "!", "function",
        };

        private readonly Queue<(string Delimiter, bool StripTabs)> _pendingHeredocs = new();
        private readonly Stack<char> _closers = new();
        private readonly StringBuilder _value = new();
        private int _pos;
        private Token? _lookahead;

        // Words and their local start, remembered so a sh -c script can be re-read with positions.
        private readonly Dictionary<ShellWord, int> _localStarts = new(ReferenceEqualityComparer.Instance);

        private int Root(int local) => map is null ? local : map.Length == 0 ? 0 : map[Math.Clamp(local, 0, map.Length - 1)];

        public void Run()
        {
            var pipeline = new ShellPipeline();
            ShellCommand? command = null;
            var parenDepth = 0;
            var braceDepth = 0;
            var caseDepth = 0;
            var patternMode = false;
            var caseHeader = 0;
            var skipForHeader = false;
            var functionParens = 0;
            var pendingNegation = false;

            // After `done`, `fi`, `esac`, `}` or `)`, a redirection belongs to the compound command, not to a new one.
            var compoundEnded = false;

            ShellCommand Current()
            {
                if (command is null)
                {
                    command = new ShellCommand(script, pipeline, baseDepth + parenDepth + braceDepth, parent);
                    if (pendingNegation)
                    {
                        pipeline.Negated = true;
                        pendingNegation = false;
                    }
                }

                return command;
            }

            void FinishCommand()
            {
                if (command is null)
                {
                    return;
                }

                var finished = command;
                command = null;
                if (finished.IsEmpty)
                {
                    return;
                }

                ResolveWrappers(finished);
                finished.PipelineIndex = pipeline.Commands.Count;
                pipeline.Add(finished);
                script.Commands.Add(finished);
                ReadNestedScript(finished);
            }

            void FinishPipeline(string? terminator)
            {
                FinishCommand();
                if (pipeline.Commands.Count > 0)
                {
                    pipeline.Terminator = terminator;
                    script.Pipelines.Add(pipeline);
                    pipeline = new ShellPipeline();
                }
            }

            while (true)
            {
                var token = Next();
                var endedBefore = compoundEnded;
                compoundEnded = false;
                switch (token.Kind)
                {
                    case TokenKind.End:
                        FinishPipeline(null);
                        return;

                    case TokenKind.Word:
                        {
                            var word = token.Word!;
                            var bare = !word.IsQuoted && word.IsLiteral;
                            if (caseHeader > 0)
                            {
                                caseHeader--;
                                patternMode = caseHeader == 0;
                                continue;
                            }

                            if (patternMode)
                            {
                                if (bare && word.Value == "esac")
                                {
                                    caseDepth = Math.Max(0, caseDepth - 1);
                                    patternMode = false;
                                }

                                continue;
                            }

                            if (skipForHeader)
                            {
                                skipForHeader = !(bare && word.Value == "do");
                                continue;
                            }

                            if (functionParens == -1)
                            {
                                // The name after "function"; an optional "()" follows.
                                functionParens = 1;
                                continue;
                            }

                            if (functionParens > 0)
                            {
                                functionParens = 0;
                            }

                            var atCommandStart = command is null || command.Words.Count == 0;
                            if (atCommandStart && bare && Reserved.Contains(word.Value) && (command is null || command.Assignments.Count == 0))
                            {
                                compoundEnded = word.Value is "done" or "fi" or "esac" or "}";
                                switch (word.Value)
                                {
                                    case "for" or "select":
                                        skipForHeader = true;
                                        break;
                                    case "case":
                                        caseDepth++;
                                        caseHeader = 2;
                                        break;
                                    case "esac":
                                        caseDepth = Math.Max(0, caseDepth - 1);
                                        break;
                                    case "{":
                                        FinishCommand();
                                        braceDepth++;
                                        break;
                                    case "}":
                                        FinishPipeline(";");
                                        braceDepth = Math.Max(0, braceDepth - 1);
                                        break;
                                    case "!":
                                        pendingNegation = true;
                                        break;
                                    case "function":
                                        functionParens = -1;
                                        break;
                                }

                                continue;
                            }

                            if (atCommandStart && ShellCommandParser.IsAssignment(word))
                            {
                                Current().AddAssignment(word);
                                SetStart(Current(), token.Start);
                                continue;
                            }

                            Current().AddWord(word);
                            SetStart(command!, token.Start);
                            _localStarts[word] = token.LocalStart;
                            break;
                        }

                    case TokenKind.Redirect:
                        {
                            ShellWord? target = null;
                            if (Peek().Kind == TokenKind.Word)
                            {
                                var t = Next();
                                target = t.Word;
                            }

                            if (patternMode || skipForHeader || caseHeader > 0 || (endedBefore && command is null))
                            {
                                compoundEnded = endedBefore;
                                continue;
                            }

                            var redirection = new ShellRedirection(token.Op, token.Fd, target, token.Start);
                            Current().AddRedirection(redirection);
                            SetStart(command!, token.Start);
                            if (redirection.IsHeredoc && target is not null)
                            {
                                _pendingHeredocs.Enqueue((target.Value, token.Op == "<<-"));
                            }

                            break;
                        }

                    case TokenKind.Operator:
                        switch (token.Op)
                        {
                            case "|" or "|&":
                                if (patternMode || skipForHeader || caseHeader > 0)
                                {
                                    continue;
                                }

                                FinishCommand();
                                break;

                            case "&&" or "||" or ";" or "&" or "\n":
                                if (patternMode || skipForHeader || caseHeader > 0)
                                {
                                    continue;
                                }

                                FinishPipeline(token.Op);
                                break;

                            case ";;" or ";&" or ";;&":
                                FinishPipeline(token.Op);
                                patternMode = caseDepth > 0;
                                break;

                            case "(":
                                if (patternMode)
                                {
                                    continue;
                                }

                                if (functionParens == 1)
                                {
                                    functionParens = 2;
                                    continue;
                                }

                                if (command is { Words.Count: 1, Assignments.Count: 0 } && Peek() is { Kind: TokenKind.Operator, Op: ")" })
                                {
                                    // name() { … }: a function definition, not a command.
                                    Next();
                                    command = null;
                                    continue;
                                }

                                if (command is null || command.Words.Count == 0)
                                {
                                    FinishCommand();
                                    parenDepth = Math.Min(parenDepth + 1, MaxNesting);
                                }

                                break;

                            case ")":
                                if (patternMode)
                                {
                                    patternMode = false;
                                    continue;
                                }

                                if (functionParens == 2)
                                {
                                    functionParens = 0;
                                    continue;
                                }

                                FinishPipeline(")");
                                parenDepth = Math.Max(0, parenDepth - 1);
                                compoundEnded = true;
                                break;
                        }

                        if (functionParens > 0 && token.Op is not ("(" or ")"))
                        {
                            functionParens = 0;
                        }

                        break;
                }
            }
        }

        private static void SetStart(ShellCommand command, int start)
        {
            if (command.IsEmptyForStart)
            {
                command.Start = start;
                command.IsEmptyForStart = false;
            }
        }

        private Token Peek() => _lookahead ??= ReadToken();

        private Token Next()
        {
            if (_lookahead is { } token)
            {
                _lookahead = null;
                return token;
            }

            return ReadToken();
        }

        private Token ReadToken()
        {
            while (true)
            {
                while (_pos < text.Length)
                {
                    var c = text[_pos];
                    if (c is ' ' or '\t' or '\r' or '\f' or '\v')
                    {
                        _pos++;
                    }
                    else if (c == '\\' && _pos + 1 < text.Length && text[_pos + 1] == '\n')
                    {
                        _pos += 2;
                    }
                    else
                    {
                        break;
                    }
                }

                if (_pos >= text.Length)
                {
                    return new Token(TokenKind.End, string.Empty, null, Root(text.Length), text.Length, null);
                }

                var start = _pos;
                var ch = text[_pos];
                if (ch == '#')
                {
                    while (_pos < text.Length && text[_pos] != '\n')
                    {
                        _pos++;
                    }

                    continue;
                }

                if (ch == '\n')
                {
                    _pos++;
                    SkipHeredocBodies();
                    return Operator("\n", start);
                }

                switch (ch)
                {
                    case '&':
                        if (At("&&"))
                        {
                            return Operator("&&", start);
                        }

                        if (At("&>>"))
                        {
                            return Redirect("&>>", start, null);
                        }

                        if (At("&>"))
                        {
                            return Redirect("&>", start, null);
                        }

                        _pos++;
                        return Operator("&", start);
                    case '|':
                        if (At("||"))
                        {
                            return Operator("||", start);
                        }

                        if (At("|&"))
                        {
                            return Operator("|&", start);
                        }

                        _pos++;
                        return Operator("|", start);
                    case ';':
                        if (At(";;&"))
                        {
                            return Operator(";;&", start);
                        }

                        if (At(";;"))
                        {
                            return Operator(";;", start);
                        }

                        if (At(";&"))
                        {
                            return Operator(";&", start);
                        }

                        _pos++;
                        return Operator(";", start);
                    case '(' or ')':
                        _pos++;
                        return Operator(ch == '(' ? "(" : ")", start);
                    case '<' or '>':
                        if (_pos + 1 < text.Length && text[_pos + 1] == '(')
                        {
                            // Process substitution <(…) / >(…): an opaque word.
                            return ReadWordToken(start);
                        }

                        return RedirectOperator(start, null);
                }

                return ReadWordToken(start);
            }
        }

        private Token ReadWordToken(int start)
        {
            var word = ReadWord(start, null);
            if (!word.IsQuoted && word.Raw.Length is > 0 and <= 9 && word.Raw.All(char.IsAsciiDigit)
                && _pos < text.Length && text[_pos] is '<' or '>')
            {
                return RedirectOperator(start, int.Parse(word.Raw, System.Globalization.CultureInfo.InvariantCulture));
            }

            return new Token(TokenKind.Word, string.Empty, word, word.Start, start, null);
        }

        private Token RedirectOperator(int start, int? fd)
        {
            foreach (var op in (ReadOnlySpan<string>)["<<<", "<<-", "<<", "<>", "<&", ">>", ">&", ">|", "<", ">"])
            {
                if (At(op))
                {
                    return Redirect(op, start, fd);
                }
            }

            _pos++;
            return Redirect(">", start, fd);
        }

        private bool At(string op)
        {
            if (string.CompareOrdinal(text, _pos, op, 0, op.Length) == 0)
            {
                _pos += op.Length;
                return true;
            }

            return false;
        }

        private Token Operator(string op, int start) => new(TokenKind.Operator, op, null, Root(start), start, null);

        private Token Redirect(string op, int start, int? fd) => new(TokenKind.Redirect, op, null, Root(start), start, fd);

        /// <summary>After a newline, the bodies of the heredocs opened on the line before are data, not commands.</summary>
        private void SkipHeredocBodies()
        {
            while (_pendingHeredocs.Count > 0)
            {
                var (delimiter, stripTabs) = _pendingHeredocs.Dequeue();
                while (_pos < text.Length)
                {
                    var end = text.IndexOf('\n', _pos);
                    var lineEnd = end < 0 ? text.Length : end;
                    var line = text.AsSpan(_pos, lineEnd - _pos).TrimEnd('\r');
                    if (stripTabs)
                    {
                        line = line.TrimStart('\t');
                    }

                    _pos = end < 0 ? text.Length : end + 1;
                    if (line.SequenceEqual(delimiter))
                    {
                        break;
                    }
                }
            }
        }

        /// <summary>
        /// Reads one word from <paramref name="start"/>. With <paramref name="offsets"/>, records for each character
        /// of the value the local offset it came from (used to read a <c>sh -c</c> script with positions).
        /// </summary>
        private ShellWord ReadWord(int start, List<int>? offsets)
        {
            _pos = start;
            _value.Clear();
            var literal = true;
            var quoted = false;

            void Append(char c, int from)
            {
                _value.Append(c);
                offsets?.Add(from);
            }

            void AppendRaw(int from, int to)
            {
                for (var k = from; k < to; k++)
                {
                    Append(text[k], k);
                }
            }

            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c is ' ' or '\t' or '\n' or '\r' or ';' or '&' or '|' or '<' or '>' or ')')
                {
                    if (_pos == start && c is '<' or '>')
                    {
                        // <(…) or >(…) at the start of a word.
                        var from = _pos;
                        _pos += 2;
                        SkipNested(')');
                        AppendRaw(from, _pos);
                        literal = false;
                        continue;
                    }

                    break;
                }

                if (c == '(')
                {
                    if (_value.Length > 0 && _value[^1] == '=')
                    {
                        // name=(a b c): a bash array, one opaque word.
                        var from = _pos;
                        _pos++;
                        SkipNested(')');
                        AppendRaw(from, _pos);
                        continue;
                    }

                    if (_pos > start && text[_pos - 1] is '@' or '?' or '*' or '+' or '!')
                    {
                        // Extended glob @(a|b).
                        var from = _pos;
                        _pos++;
                        SkipNested(')');
                        AppendRaw(from, _pos);
                        continue;
                    }

                    break;
                }

                switch (c)
                {
                    case '\\':
                        quoted = true;
                        if (_pos + 1 < text.Length)
                        {
                            if (text[_pos + 1] != '\n')
                            {
                                Append(text[_pos + 1], _pos + 1);
                            }

                            _pos += 2;
                        }
                        else
                        {
                            Append('\\', _pos);
                            _pos++;
                        }

                        break;

                    case '\'':
                        {
                            quoted = true;
                            var close = text.IndexOf('\'', _pos + 1);
                            var end = close < 0 ? text.Length : close;
                            AppendRaw(_pos + 1, end);
                            _pos = close < 0 ? text.Length : close + 1;
                            break;
                        }

                    case '"':
                        quoted = true;
                        _pos++;
                        ReadDoubleQuoted(ref literal, offsets);
                        break;

                    case '$':
                        if (_pos + 1 < text.Length && text[_pos + 1] == '\'')
                        {
                            quoted = true;
                            ReadAnsiC(offsets);
                        }
                        else if (_pos + 1 < text.Length && text[_pos + 1] == '"')
                        {
                            quoted = true;
                            _pos += 2;
                            ReadDoubleQuoted(ref literal, offsets);
                        }
                        else
                        {
                            var from = _pos;
                            if (ReadDollar())
                            {
                                literal = false;
                            }

                            AppendRaw(from, _pos);
                        }

                        break;

                    case '`':
                        {
                            var from = _pos;
                            _pos++;
                            SkipNested('`');
                            AppendRaw(from, _pos);
                            literal = false;
                            break;
                        }

                    default:
                        Append(c, _pos);
                        _pos++;
                        break;
                }
            }

            var raw = text[start.._pos];
            return new ShellWord(_value.ToString(), raw, Root(start), literal, quoted);
        }

        private void ReadDoubleQuoted(ref bool literal, List<int>? offsets)
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '"')
                {
                    _pos++;
                    return;
                }

                if (c == '\\' && _pos + 1 < text.Length)
                {
                    var next = text[_pos + 1];
                    if (next is '$' or '`' or '"' or '\\')
                    {
                        _value.Append(next);
                        offsets?.Add(_pos + 1);
                        _pos += 2;
                        continue;
                    }

                    if (next == '\n')
                    {
                        _pos += 2;
                        continue;
                    }
                }

                if (c == '$' || c == '`')
                {
                    var from = _pos;
                    if (c == '`')
                    {
                        _pos++;
                        SkipNested('`');
                        literal = false;
                    }
                    else if (ReadDollar())
                    {
                        literal = false;
                    }

                    for (var k = from; k < _pos; k++)
                    {
                        _value.Append(text[k]);
                        offsets?.Add(k);
                    }

                    continue;
                }

                _value.Append(c);
                offsets?.Add(_pos);
                _pos++;
            }
        }

        /// <summary>$'…' with the escapes Dockerfiles use (\n, \t, \\, \', \").</summary>
        private void ReadAnsiC(List<int>? offsets)
        {
            _pos += 2;
            while (_pos < text.Length && text[_pos] != '\'')
            {
                var c = text[_pos];
                if (c == '\\' && _pos + 1 < text.Length)
                {
                    var e = text[_pos + 1];
                    _value.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'a' => '\a', 'b' => '\b', 'e' or 'E' => '\u001b', 'v' => '\v', 'f' => '\f', _ => e });
                    offsets?.Add(_pos);
                    _pos += 2;
                    continue;
                }

                _value.Append(c);
                offsets?.Add(_pos);
                _pos++;
            }

            if (_pos < text.Length)
            {
                _pos++;
            }
        }

        /// <summary>At a <c>$</c>: skips an expansion. Returns false when the <c>$</c> is a literal dollar sign.</summary>
        private bool ReadDollar()
        {
            _pos++;
            if (_pos >= text.Length)
            {
                return false;
            }

            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                SkipNested(')');
                return true;
            }

            if (c == '{')
            {
                _pos++;
                SkipNested('}');
                return true;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                {
                    _pos++;
                }

                return true;
            }

            if (char.IsAsciiDigit(c) || c is '@' or '*' or '#' or '?' or '$' or '!' or '-')
            {
                _pos++;
                return true;
            }

            return false;
        }

        /// <summary>
        /// Skips to just after the <paramref name="closer"/> matching an opener already read, following quotes and
        /// nested substitutions iteratively (an explicit stack, bounded by <see cref="MaxNesting"/>), so deep
        /// nesting costs neither recursion nor more than one pass.
        /// </summary>
        private void SkipNested(char closer)
        {
            _closers.Clear();
            _closers.Push(closer);
            while (_pos < text.Length && _closers.Count > 0)
            {
                var c = text[_pos];
                var top = _closers.Peek();
                if (top == '"')
                {
                    if (c == '\\')
                    {
                        _pos += 2;
                    }
                    else if (c == '"')
                    {
                        _closers.Pop();
                        _pos++;
                    }
                    else if (c == '$' && _pos + 1 < text.Length && text[_pos + 1] is '(' or '{')
                    {
                        Push(text[_pos + 1] == '(' ? ')' : '}');
                        _pos += 2;
                    }
                    else if (c == '`')
                    {
                        Push('`');
                        _pos++;
                    }
                    else
                    {
                        _pos++;
                    }

                    continue;
                }

                if (top == '`')
                {
                    if (c == '\\')
                    {
                        _pos += 2;
                    }
                    else
                    {
                        if (c == '`')
                        {
                            _closers.Pop();
                        }

                        _pos++;
                    }

                    continue;
                }

                switch (c)
                {
                    case '\\':
                        _pos += 2;
                        break;
                    case '\'':
                        {
                            var close = text.IndexOf('\'', _pos + 1);
                            _pos = close < 0 ? text.Length : close + 1;
                            break;
                        }

                    case '"':
                        Push('"');
                        _pos++;
                        break;
                    case '`':
                        Push('`');
                        _pos++;
                        break;
                    case '$' when _pos + 1 < text.Length && text[_pos + 1] is '(' or '{':
                        Push(text[_pos + 1] == '(' ? ')' : '}');
                        _pos += 2;
                        break;
                    case '(' when top == ')':
                        Push(')');
                        _pos++;
                        break;
                    case '{' when top == '}':
                        Push('}');
                        _pos++;
                        break;
                    default:
                        if (c == top)
                        {
                            _closers.Pop();
                        }

                        _pos++;
                        break;
                }
            }

            _pos = Math.Min(_pos, text.Length);
            if (_closers.Count > 0)
            {
                _closers.Clear();
            }
        }

        private void Push(char closer)
        {
            if (_closers.Count < MaxNesting)
            {
                _closers.Push(closer);
            }
            else
            {
                script.Truncated = true;
            }
        }

        /// <summary>Finds the command behind wrappers (<c>sudo -u x env A=1 nohup cmd</c> runs <c>cmd</c>).</summary>
        private static void ResolveWrappers(ShellCommand command)
        {
            var words = command.Words;
            var i = 0;
            while (i < words.Count)
            {
                var word = words[i];
                if (!word.IsLiteral)
                {
                    break;
                }

                var name = BaseName(word.Value);
                var before = i;
                switch (name)
                {
                    case "sudo" or "doas":
                        i = SkipOptions(words, i + 1, ["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group", "--host", "--prompt", "--chdir", "--role", "--type", "--other-user", "--close-from"]);
                        while (i < words.Count && IsAssignment(words[i]))
                        {
                            command.AddAssignment(words[i]);
                            i++;
                        }

                        break;
                    case "env":
                        i++;
                        while (i < words.Count)
                        {
                            var v = words[i].Value;
                            if (v == "--")
                            {
                                i++;
                                break;
                            }

                            if (v is "-u" or "--unset" or "-C" or "--chdir" or "-S" or "--split-string")
                            {
                                i += 2;
                            }
                            else if (v.StartsWith('-'))
                            {
                                i++;
                            }
                            else if (IsAssignment(words[i]))
                            {
                                command.AddAssignment(words[i]);
                                i++;
                            }
                            else
                            {
                                break;
                            }
                        }

                        break;
                    case "nohup" or "setsid" or "eatmydata" or "fakeroot" or "unbuffer" or "busybox" or "time":
                        i = SkipOptions(words, i + 1, ["-f", "-o", "--format", "--output"]);
                        break;
                    case "exec":
                        i = SkipOptions(words, i + 1, ["-a"]);
                        break;
                    case "command":
                        if (i + 1 < words.Count && words[i + 1].Value is "-v" or "-V")
                        {
                            break;
                        }

                        i = SkipOptions(words, i + 1, []);
                        break;
                    case "nice" or "ionice":
                        i = SkipOptions(words, i + 1, ["-n", "-c", "-t", "--adjustment", "--class", "--classdata"]);
                        break;
                    case "stdbuf":
                        i = SkipOptions(words, i + 1, ["-i", "-o", "-e", "--input", "--output", "--error"]);
                        break;
                    case "timeout":
                        i = SkipOptions(words, i + 1, ["-s", "-k", "--signal", "--kill-after"]);
                        i++;
                        break;
                    case "xargs":
                        i = SkipOptions(words, i + 1, ["-I", "-n", "-P", "-d", "-a", "-E", "-L", "-s", "--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-lines", "--max-chars", "--replace", "--eof", "--process-slot-var"]);
                        break;
                    case "gosu" or "su-exec":
                        i += 2;
                        break;
                    case "chroot":
                        i = SkipOptions(words, i + 1, ["--userspec", "--groups"]);
                        i++;
                        break;
                    case "tini" or "dumb-init":
                        i = SkipOptions(words, i + 1, ["-p", "-e", "-r", "--rewrite"]);
                        break;
                    default:
                        break;
                }

                if (i == before)
                {
                    break;
                }

                command.AddWrapper(word);
            }

            command.CommandWordIndex = Math.Min(i, words.Count);
            command.Name = command.CommandWordIndex < words.Count ? BaseName(words[command.CommandWordIndex].Value) : string.Empty;
        }

        /// <summary>Skips options (and the values of <paramref name="withValue"/>) up to the first operand or past <c>--</c>.</summary>
        private static int SkipOptions(IReadOnlyList<ShellWord> words, int i, ReadOnlySpan<string> withValue)
        {
            while (i < words.Count)
            {
                var v = words[i].Value;
                if (v == "--")
                {
                    return i + 1;
                }

                if (v.Length < 2 || v[0] != '-')
                {
                    return i;
                }

                var takesValue = false;
                foreach (var option in withValue)
                {
                    if (v == option)
                    {
                        takesValue = true;
                        break;
                    }
                }

                i += takesValue ? 2 : 1;
            }

            return i;
        }

        /// <summary>Reads the script of <c>sh -c '…'</c>, <c>su -c '…'</c> or <c>eval '…'</c> as commands nested in <paramref name="command"/>.</summary>
        private void ReadNestedScript(ShellCommand command)
        {
            if (scriptDepth >= MaxScriptDepth)
            {
                return;
            }

            var scriptWord = NestedScriptWord(command);
            if (scriptWord is null || !_localStarts.TryGetValue(scriptWord, out var localStart))
            {
                return;
            }

            // Re-read the word recording where each character of its value came from.
            var saved = _pos;
            var offsets = new List<int>(scriptWord.Value.Length);
            var reread = ReadWord(localStart, offsets);
            _pos = saved;
            if (!string.Equals(reread.Value, scriptWord.Value, StringComparison.Ordinal) || offsets.Count != reread.Value.Length)
            {
                return;
            }

            var nestedMap = new int[offsets.Count];
            for (var k = 0; k < offsets.Count; k++)
            {
                nestedMap[k] = Root(offsets[k]);
            }

            new Reader(script, scriptWord.Value, nestedMap, command.Depth + 1, command, scriptDepth + 1).Run();
        }

        private static ShellWord? NestedScriptWord(ShellCommand command)
        {
            var words = command.Words;
            var start = command.CommandWordIndex + 1;
            if (IsShell(command.Name))
            {
                var sawC = false;
                for (var i = start; i < words.Count; i++)
                {
                    var v = words[i].Value;
                    if (v == "--")
                    {
                        continue;
                    }

                    if (v.Length > 1 && v[0] is '-' or '+')
                    {
                        if (v.StartsWith("--", StringComparison.Ordinal))
                        {
                            if (v is "--rcfile" or "--init-file")
                            {
                                i++;
                            }

                            continue;
                        }

                        if (v[0] == '-' && v.Contains('c', StringComparison.Ordinal))
                        {
                            sawC = true;
                        }

                        if (v[^1] is 'o' or 'O')
                        {
                            // -o pipefail, -euxo pipefail: the option's value follows.
                            i++;
                        }

                        continue;
                    }

                    return sawC ? words[i] : null;
                }

                return null;
            }

            if (command.Name is "su" or "runuser")
            {
                for (var i = start; i < words.Count - 1; i++)
                {
                    if (words[i].Value is "-c" or "--command")
                    {
                        return words[i + 1];
                    }
                }

                return null;
            }

            if (command.Name == "eval" && words.Count == start + 1)
            {
                return words[start];
            }

            return null;
        }
    }
}
