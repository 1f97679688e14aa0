using System.Text;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>A word that BuildKit's shell lexer rejects (unterminated quote, bad substitution, <c>${x:?msg}</c>…).</summary>
public sealed class ShellLexException(string message) : Exception(message)
{
}

/// <summary>What <see cref="ShellLexer.ProcessWordWithMatches"/> found: the word, its split, and which variables were looked up.</summary>
public sealed record ShellWordResult(string Result, IReadOnlyList<string> Words, IReadOnlySet<string> Matched, IReadOnlySet<string> Unmatched);

/// <summary>
/// Word expansion and splitting as BuildKit's <c>shell.Lex</c> does it for Dockerfile instructions: quotes,
/// the escape token, <c>$name</c>, <c>${name}</c> and the modifiers <c>:- - :+ + :? ? # ## % %% / //</c>.
/// Errors are thrown as <see cref="ShellLexException"/> where BuildKit returns an error, worded like it.
/// An instance is not thread-safe; create one per thread.
/// </summary>
public sealed class ShellLexer
{
    private const int Eof = -1;

    private readonly char _escapeToken;

    // BuildKit shares one word buffer between nested ${...} scans (shellWord.wordsBuffer); a nested scan
    // resets it. Kept so that word splitting around ${x:-y} gives BuildKit's words.
    private readonly StringBuilder _wordsBuffer = new();

    private string _source = string.Empty;
    private int _pos;
    private IShellEnvironment _env = ShellEnvironment.Empty;
    private bool _rawEscapes;
    private bool _capture;
    private HashSet<string>? _matches;
    private HashSet<string>? _nonMatches;
    private int _depth;

    public ShellLexer(char escapeToken = '\\')
    {
        _escapeToken = escapeToken;
    }

    public char EscapeToken => _escapeToken;

    /// <summary>Keep quote characters in the result.</summary>
    public bool RawQuotes { get; init; }

    /// <summary>Keep escape tokens in the result.</summary>
    public bool RawEscapes { get; init; }

    /// <summary>Treat quotes as ordinary characters (heredoc bodies).</summary>
    public bool SkipProcessQuotes { get; init; }

    /// <summary>Leave references to unset variables as written instead of expanding them to empty.</summary>
    public bool SkipUnsetEnv { get; init; }

    /// <summary>Longest result (in characters) one word may expand to; bounds inputs that double a variable on every line.</summary>
    public int MaxResultLength { get; init; } = 1 << 20;

    /// <summary>Deepest nesting of <c>${...}</c> inside <c>${...}</c>.</summary>
    public int MaxNesting { get; init; } = 100;

    public string ProcessWord(string word, IShellEnvironment env) => Process(word, env, capture: false).Result;

    public IReadOnlyList<string> ProcessWords(string word, IShellEnvironment env) => Process(word, env, capture: false).Words;

    public ShellWordResult ProcessWordWithMatches(string word, IShellEnvironment env) => Process(word, env, capture: true);

    /// <summary>Like <see cref="ProcessWord"/>, without throwing.</summary>
    public bool TryProcessWord(string word, IShellEnvironment env, out string result, out string? error)
    {
        try
        {
            result = ProcessWord(word, env);
            error = null;
            return true;
        }
        catch (ShellLexException ex)
        {
            result = string.Empty;
            error = ex.Message;
            return false;
        }
    }

    private ShellWordResult Process(string word, IShellEnvironment env, bool capture)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(env);
        _source = word;
        _pos = 0;
        _env = env;
        _capture = capture;
        _rawEscapes = RawEscapes;
        _matches = null;
        _nonMatches = null;
        _depth = 0;
        try
        {
            var (result, words) = ProcessStopOn(Eof, RawEscapes);
            return new ShellWordResult(result, words, _matches ?? [], _nonMatches ?? []);
        }
        catch (ShellLexException ex)
        {
            throw new ShellLexException($"failed to process {GoQuote.Quote(word)}: {ex.Message}");
        }
    }

    private int Peek()
    {
        if (_pos >= _source.Length)
        {
            return Eof;
        }

        var c = _source[_pos];
        return char.IsHighSurrogate(c) && _pos + 1 < _source.Length && char.IsLowSurrogate(_source[_pos + 1])
            ? char.ConvertToUtf32(c, _source[_pos + 1])
            : c;
    }

    private int Next()
    {
        var r = Peek();
        if (r != Eof)
        {
            _pos += r >= 0x10000 ? 2 : 1;
        }

        return r;
    }

    private void CheckLength(StringBuilder sb)
    {
        if (sb.Length > MaxResultLength)
        {
            throw new ShellLexException($"expansion is longer than {MaxResultLength} characters");
        }
    }

    private (string Result, List<string> Words) ProcessStopOn(int stopChar, bool rawEscapes)
    {
        var result = new StringBuilder();
        _wordsBuffer.Clear();
        var words = new WordSplitter(_wordsBuffer);
        var saved = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            while (Peek() != Eof)
            {
                var ch = Peek();
                if (stopChar != Eof && ch == stopChar)
                {
                    Next();
                    return (result.ToString(), words.GetWords());
                }

                string? special = ch switch
                {
                    '$' => ProcessDollar(),
                    '\'' when !SkipProcessQuotes => ProcessSingleQuote(),
                    '"' when !SkipProcessQuotes => ProcessDoubleQuote(),
                    '<' => ProcessPossibleHeredoc(),
                    _ => null,
                };

                if (special is not null)
                {
                    result.Append(special);
                    if (ch == '$')
                    {
                        words.AddString(special);
                    }
                    else
                    {
                        words.AddRawString(special);
                    }
                }
                else
                {
                    ch = Next();
                    if (ch == _escapeToken)
                    {
                        if (_rawEscapes)
                        {
                            words.AddRawChar(ch);
                            ShellPattern.AppendRune(result, ch);
                        }

                        ch = Next();
                        if (ch == Eof)
                        {
                            break;
                        }

                        words.AddRawChar(ch);
                    }
                    else
                    {
                        words.AddChar(ch);
                    }

                    ShellPattern.AppendRune(result, ch);
                }

                CheckLength(result);
            }

            if (stopChar != Eof)
            {
                throw new ShellLexException("unexpected end of statement while looking for matching " + char.ConvertFromUtf32(stopChar));
            }

            return (result.ToString(), words.GetWords());
        }
        finally
        {
            _rawEscapes = saved;
        }
    }

    private string ProcessPossibleHeredoc()
    {
        Next();
        if (Peek() != '<')
        {
            return "<";
        }

        Next();
        var sb = new StringBuilder("<<");
        if (Peek() == '-')
        {
            sb.Append((char)Next());
        }

        // A heredoc may have blanks between << (or <<-) and its name; keep them in the same word.
        while (Peek() is var c and not Eof && Rune.IsWhiteSpace(new Rune(SafeRune(c))))
        {
            ShellPattern.AppendRune(sb, Next());
        }

        return sb.ToString();
    }

    private string ProcessSingleQuote()
    {
        var result = new StringBuilder();
        var ch = Next();
        if (RawQuotes)
        {
            result.Append((char)ch);
        }

        while (true)
        {
            ch = Next();
            switch (ch)
            {
                case Eof:
                    throw new ShellLexException("unexpected end of statement while looking for matching single-quote");
                case '\'':
                    if (RawQuotes)
                    {
                        result.Append('\'');
                    }

                    return result.ToString();
            }

            ShellPattern.AppendRune(result, ch);
        }
    }

    private string ProcessDoubleQuote()
    {
        var result = new StringBuilder();
        var ch = Next();
        if (RawQuotes)
        {
            result.Append((char)ch);
        }

        while (true)
        {
            switch (Peek())
            {
                case Eof:
                    throw new ShellLexException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    Next();
                    if (RawQuotes)
                    {
                        result.Append('"');
                    }

                    return result.ToString();
                case '$':
                    result.Append(ProcessDollar());
                    break;
                default:
                    ch = Next();
                    if (ch == _escapeToken)
                    {
                        if (_rawEscapes)
                        {
                            ShellPattern.AppendRune(result, ch);
                        }

                        var after = Peek();
                        if (after == Eof)
                        {
                            continue;
                        }

                        if (after == '"' || after == '$' || after == _escapeToken)
                        {
                            ch = Next();
                        }
                    }

                    ShellPattern.AppendRune(result, ch);
                    break;
            }

            CheckLength(result);
        }
    }

    private string ProcessDollar()
    {
        Next();
        if (Peek() != '{')
        {
            var simple = ProcessName();
            if (simple.Length == 0)
            {
                return "$";
            }

            var found = GetEnv(simple, out var simpleValue);
            return !found && SkipUnsetEnv ? "$" + simple : simpleValue;
        }

        Next();
        switch (Peek())
        {
            case Eof:
                throw new ShellLexException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new ShellLexException("syntax error: bad substitution");
        }

        if (++_depth > MaxNesting)
        {
            throw new ShellLexException($"variable substitutions nested deeper than {MaxNesting}");
        }

        try
        {
            return ProcessBraced();
        }
        finally
        {
            _depth--;
        }
    }

    private string ProcessBraced()
    {
        var name = ProcessName();
        var ch = Next();
        var chs = RuneText(ch);
        var nullIsUnset = false;
        switch (ch)
        {
            case '}':
                {
                    var set = GetEnv(name, out var value);
                    return !set && SkipUnsetEnv ? "${" + name + "}" : value;
                }

            case ':' or '+' or '-' or '?' or '#' or '%':
                {
                    if (ch == ':')
                    {
                        nullIsUnset = true;
                        ch = Next();
                        chs += RuneText(ch);
                    }

                    var rawEscapes = ch is '#' or '%';
                    if (nullIsUnset && rawEscapes)
                    {
                        throw new ShellLexException($"unsupported modifier ({chs}) in substitution");
                    }

                    string word;
                    try
                    {
                        word = ProcessStopOn('}', rawEscapes).Result;
                    }
                    catch (ShellLexException) when (Peek() == Eof)
                    {
                        throw new ShellLexException("syntax error: missing '}'");
                    }

                    var set = GetEnv(name, out var value);
                    if (SkipUnsetEnv && !set)
                    {
                        return "${" + name + chs + word + "}";
                    }

                    switch (ch)
                    {
                        case '-':
                            return !set || (nullIsUnset && value.Length == 0) ? word : value;
                        case '+':
                            return !set || (nullIsUnset && value.Length == 0) ? string.Empty : word;
                        case '?':
                            if (!set)
                            {
                                throw new ShellLexException($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                            }

                            if (nullIsUnset && value.Length == 0)
                            {
                                throw new ShellLexException($"{name}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                            }

                            return value;
                        case '%' or '#':
                            var greedy = false;
                            if (word.Length > 0 && word[0] == ch)
                            {
                                greedy = true;
                                word = word[1..];
                            }

                            return ch == '%' ? ShellPattern.TrimSuffix(word, value, greedy) : ShellPattern.TrimPrefix(word, value, greedy);
                        default:
                            throw new ShellLexException($"unsupported modifier ({chs}) in substitution");
                    }
                }

            case '/':
                {
                    var replaceAll = Peek() == '/';
                    if (replaceAll)
                    {
                        Next();
                    }

                    string pattern;
                    try
                    {
                        pattern = ProcessStopOn('/', true).Result;
                    }
                    catch (ShellLexException) when (Peek() == Eof)
                    {
                        throw new ShellLexException("syntax error: missing '/' in ${}");
                    }

                    string replacement;
                    try
                    {
                        replacement = ProcessStopOn('}', true).Result;
                    }
                    catch (ShellLexException) when (Peek() == Eof)
                    {
                        throw new ShellLexException("syntax error: missing '}'");
                    }

                    var set = GetEnv(name, out var value);
                    if (SkipUnsetEnv && !set)
                    {
                        return "${" + name + "/" + pattern + "/" + replacement + "}";
                    }

                    return ShellPattern.Replace(pattern, value, replacement, replaceAll);
                }

            default:
                throw new ShellLexException($"unsupported modifier ({chs}) in substitution");
        }
    }

    private string ProcessName()
    {
        var name = new StringBuilder();
        while (Peek() != Eof)
        {
            var ch = Peek();
            var rune = new Rune(SafeRune(ch));
            if (name.Length == 0 && Rune.IsDigit(rune))
            {
                while (Peek() != Eof && Rune.IsDigit(new Rune(SafeRune(Peek()))))
                {
                    ShellPattern.AppendRune(name, Next());
                }

                return name.ToString();
            }

            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
            {
                Next();
                return ((char)ch).ToString();
            }

            if (!Rune.IsLetter(rune) && !Rune.IsDigit(rune) && ch != '_')
            {
                break;
            }

            ShellPattern.AppendRune(name, Next());
        }

        return name.ToString();
    }

    private bool GetEnv(string name, out string value)
    {
        if (_env.TryGetValue(name, out value))
        {
            if (_capture)
            {
                (_matches ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }

            return true;
        }

        if (_capture)
        {
            (_nonMatches ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }

        value = string.Empty;
        return false;
    }

    // Go's string(rune(-1)) is the replacement character.
    private static string RuneText(int ch) => ch == Eof ? "\uFFFD" : char.ConvertFromUtf32(SafeRune(ch));

    private static int SafeRune(int r) => r is >= 0xD800 and <= 0xDFFF ? 0xFFFD : r;

    private sealed class WordSplitter(StringBuilder buffer)
    {
        private readonly List<string> _words = [];
        private bool _inWord;

        public void AddChar(int ch)
        {
            var space = Rune.IsWhiteSpace(new Rune(SafeRune(ch)));
            if (space && _inWord)
            {
                if (buffer.Length != 0)
                {
                    _words.Add(buffer.ToString());
                    buffer.Clear();
                    _inWord = false;
                }
            }
            else if (!space)
            {
                AddRawChar(ch);
            }
        }

        public void AddRawChar(int ch)
        {
            ShellPattern.AppendRune(buffer, ch);
            _inWord = true;
        }

        public void AddString(string s)
        {
            foreach (var rune in s.EnumerateRunes())
            {
                AddChar(rune.Value);
            }
        }

        public void AddRawString(string s)
        {
            buffer.Append(s);
            _inWord = true;
        }

        public List<string> GetWords()
        {
            if (buffer.Length > 0)
            {
                _words.Add(buffer.ToString());
                buffer.Clear();
                _inWord = false;
            }

            return _words;
        }
    }
}
