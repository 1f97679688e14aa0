namespace Bulwark.Parsing.Shell;

/// <summary>
/// Shell text with, for every character, the place it was written: a RUN line whose continuation lines were
/// joined, a heredoc body, or a plain string (line 1, columns from 1).
/// </summary>
public sealed class ShellSource
{
    private readonly int[]? _lines;
    private readonly int[]? _columns;

    /// <summary>Text whose character <c>i</c> was written at <c>(lines[i], columns[i])</c>; both arrays have <c>Text.Length</c> items.</summary>
    public ShellSource(string text, int[]? lines = null, int[]? columns = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (lines is not null && (columns is null || lines.Length != text.Length || columns.Length != text.Length))
        {
            throw new ArgumentException("a position is needed for every character", nameof(lines));
        }

        Text = text;
        _lines = lines;
        _columns = columns;
    }

    public string Text { get; }

    /// <summary>The 1-based line and column of <paramref name="offset"/> (the end of the text maps to its last character).</summary>
    public (int Line, int Column) PositionOf(int offset)
    {
        if (Text.Length == 0)
        {
            return _lines is null ? (1, 1) : (0, 0);
        }

        offset = Math.Clamp(offset, 0, Text.Length - 1);
        if (_lines is not null)
        {
            return (_lines[offset], _columns![offset]);
        }

        // Line starts are found once, so asking for every word's position stays linear in the text.
        var starts = _lineStarts ??= LineStarts(Text);
        var index = Array.BinarySearch(starts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - starts[line] + 1);
    }

    private int[]? _lineStarts;

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }
}

/// <summary>
/// One shell word: its value with quotes removed and escapes resolved (expansions such as <c>$HOME</c>,
/// <c>$(…)</c> and backticks are kept as written, never evaluated), the text as written, and where it starts
/// in the root <see cref="ShellSource"/>.
/// </summary>
public sealed class ShellWord
{
    internal ShellWord(string value, string raw, int start, bool isLiteral, bool isQuoted)
    {
        Value = value;
        Raw = raw;
        Start = start;
        IsLiteral = isLiteral;
        IsQuoted = isQuoted;
    }

    /// <summary>The word after quote removal; expansions are left in place, as written.</summary>
    public string Value { get; }

    /// <summary>The word as written.</summary>
    public string Raw { get; }

    /// <summary>Offset of the word's first character in the root source (for a word from <c>sh -c '…'</c>, inside the quoted script).</summary>
    public int Start { get; }

    /// <summary>True when the word has no parameter expansion, command substitution or arithmetic: its value is known.</summary>
    public bool IsLiteral { get; }

    /// <summary>True when any part of the word was quoted or escaped (so it is never a reserved word or an operator).</summary>
    public bool IsQuoted { get; }

    public override string ToString() => Value;
}

/// <summary>A redirection such as <c>&gt; /dev/null</c>, <c>2&gt;&amp;1</c> or <c>&lt;&lt;EOF</c>.</summary>
/// <param name="Operator">The operator: <c>&gt;</c>, <c>&gt;&gt;</c>, <c>&lt;</c>, <c>&lt;&lt;</c>, <c>&lt;&lt;-</c>, <c>&lt;&lt;&lt;</c>, <c>&gt;&amp;</c>, <c>&amp;&gt;</c>…</param>
/// <param name="FileDescriptor">The explicit descriptor (<c>2</c> in <c>2&gt;</c>), or null.</param>
/// <param name="Target">The file, descriptor or heredoc delimiter; null when the text ended first.</param>
/// <param name="Start">Offset of the operator (or of its descriptor) in the root source.</param>
public sealed record ShellRedirection(string Operator, int? FileDescriptor, ShellWord? Target, int Start)
{
    /// <summary>True for <c>&lt;&lt;</c> and <c>&lt;&lt;-</c> (a heredoc feeds the command's input).</summary>
    public bool IsHeredoc => Operator is "<<" or "<<-";

    /// <summary>True when this redirection gives the command its standard input (<c>&lt;</c>, heredocs, here-strings).</summary>
    public bool IsInput => FileDescriptor is null or 0 && Operator is "<" or "<<" or "<<-" or "<<<";
}

/// <summary>Commands joined by <c>|</c>: each one's output is the next one's input.</summary>
public sealed class ShellPipeline
{
    private readonly List<ShellCommand> _commands = [];

    public IReadOnlyList<ShellCommand> Commands => _commands;

    /// <summary>True for <c>! cmd</c>.</summary>
    public bool Negated { get; internal set; }

    /// <summary>The operator that ended the pipeline: <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>&amp;</c>, a newline (<c>\n</c>) or null at the end.</summary>
    public string? Terminator { get; internal set; }

    internal void Add(ShellCommand command) => _commands.Add(command);
}

/// <summary>
/// A simple command: assignments, words and redirections. <see cref="Name"/> and <see cref="Arguments"/> look
/// through wrappers that run another command (<c>sudo</c>, <c>env</c>, <c>nohup</c>, <c>exec</c>,
/// <c>timeout</c>, <c>xargs</c>, <c>gosu</c>, <c>busybox</c>…), which stay visible in <see cref="Wrappers"/>.
/// </summary>
public sealed class ShellCommand
{
    private readonly List<ShellWord> _words = [];
    private readonly List<ShellWord> _assignments = [];
    private readonly List<ShellRedirection> _redirections = [];
    private readonly List<ShellWord> _wrappers = [];

    internal ShellCommand(ShellScript script, ShellPipeline pipeline, int depth, ShellCommand? parent)
    {
        Script = script;
        Pipeline = pipeline;
        Depth = depth;
        Parent = parent;
    }

    /// <summary>The script the command belongs to (its root holds the positions).</summary>
    public ShellScript Script { get; }

    public ShellPipeline Pipeline { get; }

    /// <summary>Nesting: subshells, brace groups and <c>sh -c</c> scripts each add one.</summary>
    public int Depth { get; }

    /// <summary>The command whose <c>sh -c</c> (or <c>eval</c>, <c>su -c</c>) argument this command came from.</summary>
    public ShellCommand? Parent { get; }

    /// <summary>Position in <see cref="ShellScript.Commands"/> (source order, nested scripts after their parent).</summary>
    public int Index { get; internal set; }

    /// <summary>Every word after the leading assignments and without redirections: argv as the shell passes it (wrappers included).</summary>
    public IReadOnlyList<ShellWord> Words => _words;

    /// <summary><c>NAME=value</c> words before the command, and those an <c>env</c> or <c>sudo</c> wrapper sets.</summary>
    public IReadOnlyList<ShellWord> Assignments => _assignments;

    public IReadOnlyList<ShellRedirection> Redirections => _redirections;

    /// <summary>The wrapper commands in front of the real one (<c>sudo</c>, <c>env</c>…), outermost first.</summary>
    public IReadOnlyList<ShellWord> Wrappers => _wrappers;

    /// <summary>Index in <see cref="Words"/> of the command that really runs (after the wrappers and their options).</summary>
    public int CommandWordIndex { get; internal set; }

    /// <summary>The word naming the command that runs, or null for a bare assignment or redirection.</summary>
    public ShellWord? CommandWord => CommandWordIndex < _words.Count ? _words[CommandWordIndex] : null;

    /// <summary>The command name without its directory (<c>/usr/bin/curl</c> gives <c>curl</c>); empty when there is none.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The words after <see cref="Name"/>.</summary>
    public IEnumerable<ShellWord> Arguments => _words.Skip(CommandWordIndex + 1);

    /// <summary>Position in its pipeline (0: the first command).</summary>
    public int PipelineIndex { get; internal set; }

    /// <summary>The command this one's output is piped to, if any.</summary>
    public ShellCommand? PipedTo => PipelineIndex + 1 < Pipeline.Commands.Count ? Pipeline.Commands[PipelineIndex + 1] : null;

    /// <summary>The command whose output this one reads, if any.</summary>
    public ShellCommand? PipedFrom => PipelineIndex > 0 ? Pipeline.Commands[PipelineIndex - 1] : null;

    /// <summary>Offset of the command's first word, assignment or redirection in the root source.</summary>
    public int Start { get; internal set; }

    public bool Is(string name) => string.Equals(Name, name, StringComparison.Ordinal);

    public bool IsAny(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (Is(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Arguments up to a <c>--</c> that ends the options.</summary>
    public IEnumerable<ShellWord> OptionWords => Arguments.TakeWhile(w => w.Value != "--");

    /// <summary>True when an argument equals one of <paramref name="options"/> exactly, or is <c>--long=value</c> for a long one.</summary>
    public bool HasOption(params ReadOnlySpan<string> options) => FindOption(options) is not null;

    /// <summary>The first argument equal to one of <paramref name="options"/> (or <c>--long=…</c>), or null.</summary>
    public ShellWord? FindOption(params ReadOnlySpan<string> options)
    {
        foreach (var word in OptionWords)
        {
            foreach (var option in options)
            {
                if (word.Value == option
                    || (option.StartsWith("--", StringComparison.Ordinal) && word.Value.StartsWith(option, StringComparison.Ordinal)
                        && word.Value.Length > option.Length && word.Value[option.Length] == '='))
                {
                    return word;
                }
            }
        }

        return null;
    }

    /// <summary>The first cluster of short options (<c>-fsSLk</c>) holding <paramref name="letter"/>, or null.</summary>
    public ShellWord? FindShortOption(char letter)
    {
        foreach (var word in OptionWords)
        {
            var v = word.Value;
            if (v.Length >= 2 && v[0] == '-' && v[1] != '-' && v.AsSpan(1).IndexOf(letter) >= 0 && IsOptionCluster(v))
            {
                return word;
            }
        }

        return null;
    }

    /// <summary>The first argument that is not an option (does not start with <c>-</c>), e.g. <c>install</c> in <c>apt-get -y install</c>.</summary>
    public ShellWord? FirstOperand => Arguments.FirstOrDefault(w => !w.Value.StartsWith('-'));

    /// <summary>True when the command writes its standard output somewhere other than the pipe (<c>&gt; file</c>).</summary>
    public bool RedirectsOutput => _redirections.Any(r => r.FileDescriptor is null or 1 && r.Operator is ">" or ">>" or ">|" or "&>" or "&>>");

    public override string ToString() => string.Join(' ', _words.Select(w => w.Value));

    private static bool IsOptionCluster(string v)
    {
        for (var i = 1; i < v.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(v[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal void AddWord(ShellWord word) => _words.Add(word);

    internal void AddAssignment(ShellWord word) => _assignments.Add(word);

    internal void AddRedirection(ShellRedirection redirection) => _redirections.Add(redirection);

    internal void AddWrapper(ShellWord word) => _wrappers.Add(word);

    internal bool IsEmpty => _words.Count == 0 && _assignments.Count == 0 && _redirections.Count == 0;

    internal bool IsEmptyForStart { get; set; } = true;
}

/// <summary>
/// A parsed shell script: its pipelines and, flattened in source order, every simple command, including those
/// in subshells, brace groups, <c>if</c>/<c>for</c>/<c>while</c>/<c>case</c> bodies and <c>sh -c '…'</c> arguments.
/// </summary>
public sealed class ShellScript
{
    internal ShellScript(ShellSource source) => Source = source;

    /// <summary>The source the positions refer to (a nested script shares its root's).</summary>
    public ShellSource Source { get; }

    public List<ShellPipeline> Pipelines { get; } = [];

    public List<ShellCommand> Commands { get; } = [];

    /// <summary>True when the parser gave up part of the text (nesting too deep, work bound); what it read is kept.</summary>
    public bool Truncated { get; internal set; }

    public (int Line, int Column) PositionOf(ShellWord word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Source.PositionOf(word.Start);
    }

    public (int Line, int Column) PositionOf(ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Source.PositionOf(command.Start);
    }

    /// <summary>The commands named <paramref name="name"/>, in order.</summary>
    public IEnumerable<ShellCommand> Named(string name) => Commands.Where(c => c.Is(name));
}
