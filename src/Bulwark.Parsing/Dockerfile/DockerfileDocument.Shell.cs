using System.Text;
using Bulwark.Parsing.Shell;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>The shell scripts a RUN instruction runs, read with the shell-word parser, with file positions.</summary>
public sealed partial class DockerfileDocument
{
    /// <summary>Longest shell text read per script; beyond it the rest is ignored (a RUN may span many 64 KiB lines).</summary>
    public const int MaxShellScriptLength = 1 << 22;

    private readonly Dictionary<DockerfileInstruction, IReadOnlyList<ShellScript>> _scripts = new(ReferenceEqualityComparer.Instance);

    // RUN instructions under a SHELL that is not a POSIX shell (PowerShell, cmd), found in one pass over the stages.
    private HashSet<DockerfileInstruction>? _nonPosixRuns;

    /// <summary>
    /// The scripts <paramref name="run"/> hands to a POSIX shell: its shell-form command (continuation lines kept
    /// with their positions, comment lines inside the instruction dropped as BuildKit drops them), its heredoc
    /// bodies when they are scripts (<c>RUN &lt;&lt;EOF</c>, <c>RUN bash &lt;&lt;EOF</c>), and the exec-form argv. Empty
    /// for other instructions and when the stage's SHELL is not a POSIX shell (PowerShell, cmd).
    /// </summary>
    public IReadOnlyList<ShellScript> ShellScripts(DockerfileInstruction run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_scripts)
        {
            if (!_scripts.TryGetValue(run, out var scripts))
            {
                scripts = run.Keyword == "RUN" ? ReadScripts(run) : [];
                _scripts[run] = scripts;
            }

            return scripts;
        }
    }

    private List<ShellScript> ReadScripts(DockerfileInstruction run)
    {
        var scripts = new List<ShellScript>();
        if (run.IsJsonForm)
        {
            // argv as the runtime passes it; quoting each element lets `sh -c '…'` be read as a script too.
            var text = string.Join(' ', run.Node.ArgumentValues.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
            text = text.Length > MaxShellScriptLength ? text[..MaxShellScriptLength] : text;
            var lines = new int[text.Length];
            var columns = new int[text.Length];
            Array.Fill(lines, run.StartLine);
            Array.Fill(columns, Math.Max(1, run.Column));
            scripts.Add(ShellCommandParser.Parse(new ShellSource(text, lines, columns)));
            return scripts;
        }

        if (EscapeToken != '\\' || !UsesPosixShell(run) || run.StartLine < 1 || run.StartLine > Lines.Count)
        {
            return scripts;
        }

        var bodyLines = 0;
        foreach (var heredoc in run.Heredocs)
        {
            bodyLines += CountLines(heredoc.Content) + 1;
        }

        var commandEnd = Math.Clamp(run.EndLine - bodyLines, run.StartLine, Math.Min(run.EndLine, Lines.Count));
        var command = ReadCommandPart(run, commandEnd);
        var commandScript = ShellCommandParser.Parse(command);
        scripts.Add(commandScript);

        var line = commandEnd + 1;
        foreach (var heredoc in run.Heredocs)
        {
            if (IsScriptHeredoc(commandScript, heredoc))
            {
                var body = heredoc.Content.Length > MaxShellScriptLength ? heredoc.Content[..MaxShellScriptLength] : heredoc.Content;
                scripts.Add(ShellCommandParser.Parse(Positioned(body, line)));
            }

            line += CountLines(heredoc.Content) + 1;
        }

        return scripts;
    }

    private bool UsesPosixShell(DockerfileInstruction run)
    {
        if (_nonPosixRuns is null)
        {
            _nonPosixRuns = new HashSet<DockerfileInstruction>(ReferenceEqualityComparer.Instance);
            var posixAtEnd = new Dictionary<DockerfileStage, bool>(ReferenceEqualityComparer.Instance);
            foreach (var stage in _stages)
            {
                // A stage built FROM another inherits its SHELL; Windows images run RUN with cmd unless SHELL says otherwise.
                var posix = stage.BaseStage is { } parent
                    ? !posixAtEnd.TryGetValue(parent, out var inherited) || inherited
                    : !stage.IsWindowsBase;
                foreach (var instruction in stage.Instructions)
                {
                    if (instruction.Keyword == "SHELL")
                    {
                        posix = instruction.Node.ArgumentValues is not [var program, ..]
                            || ShellCommandParser.IsShell(ShellCommandParser.BaseName(program.Replace('\\', '/')));
                    }
                    else if (!posix && instruction.Keyword == "RUN")
                    {
                        _nonPosixRuns.Add(instruction);
                    }
                }

                posixAtEnd[stage] = posix;
            }
        }

        return !_nonPosixRuns.Contains(run);
    }

    private static bool IsScriptHeredoc(ShellScript command, Heredoc heredoc)
    {
        if (heredoc.Content.StartsWith("#!", StringComparison.Ordinal))
        {
            var newline = heredoc.Content.IndexOf('\n', StringComparison.Ordinal);
            var firstLine = (newline < 0 ? heredoc.Content : heredoc.Content[..newline])[2..];
            var words = firstLine.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var interpreter = words.Length == 0 ? string.Empty : ShellCommandParser.BaseName(words[0]);
            if (interpreter == "env" && words.Length > 1)
            {
                interpreter = ShellCommandParser.BaseName(words[1]);
            }

            if (!ShellCommandParser.IsShell(interpreter))
            {
                return false;
            }
        }

        foreach (var c in command.Commands)
        {
            var feeds = c.Redirections.Any(r => r.IsHeredoc && r.Target is { } t && t.Value == heredoc.Name && r.IsInput);
            if (!feeds)
            {
                continue;
            }

            // `RUN <<EOF` alone: BuildKit runs the body as the script; `RUN bash <<EOF`: the shell reads it.
            return c.Name.Length == 0 || (ShellCommandParser.IsShell(c.Name) && !c.HasOption("-c"));
        }

        return false;
    }

    private static int CountLines(string content)
    {
        var count = 0;
        foreach (var c in content)
        {
            if (c == '\n')
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Lines <c>StartLine..end</c> after the keyword and the <c>--flags</c>, each character with its position.</summary>
    private ShellSource ReadCommandPart(DockerfileInstruction run, int end)
    {
        var text = new StringBuilder();
        var lines = new List<int>();
        var columns = new List<int>();
        for (var line = run.StartLine; line <= end && text.Length < MaxShellScriptLength; line++)
        {
            var content = Lines[line - 1];
            var from = 0;
            if (line == run.StartLine)
            {
                from = Math.Min(content.Length, Math.Max(0, run.Column - 1) + run.Node.Value.Length);
            }
            else
            {
                var trimmed = content.AsSpan().TrimStart();
                if (trimmed.IsEmpty || trimmed[0] == '#')
                {
                    continue;
                }

                text.Append('\n');
                lines.Add(line);
                columns.Add(content.Length + 1);
            }

            for (var i = from; i < content.Length; i++)
            {
                text.Append(content[i]);
                lines.Add(line);
                columns.Add(i + 1);
            }
        }

        var start = SkipFlags(text);
        var source = text.ToString(start, text.Length - start);
        return new ShellSource(source, [.. lines.Skip(start)], [.. columns.Skip(start)]);
    }

    /// <summary>The offset after leading blanks, line continuations and <c>--flag</c> words.</summary>
    private static int SkipFlags(StringBuilder text)
    {
        var i = 0;
        while (true)
        {
            while (i < text.Length && (text[i] is ' ' or '\t' or '\n' or '\r' || (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\n')))
            {
                i++;
            }

            if (i + 1 < text.Length && text[i] == '-' && text[i + 1] == '-')
            {
                while (i < text.Length && text[i] is not (' ' or '\t' or '\n'))
                {
                    i++;
                }

                continue;
            }

            return i;
        }
    }

    private static ShellSource Positioned(string body, int firstLine)
    {
        var lines = new int[body.Length];
        var columns = new int[body.Length];
        var line = firstLine;
        var column = 1;
        for (var i = 0; i < body.Length; i++)
        {
            lines[i] = line;
            columns[i] = column;
            if (body[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new ShellSource(body, lines, columns);
    }
}
