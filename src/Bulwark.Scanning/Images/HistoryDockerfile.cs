using System.Text.RegularExpressions;
using Bulwark.Images.Config;
using Bulwark.Parsing.Dockerfile;

namespace Bulwark.Scanning.Images;

/// <summary>
/// An image's build history (<c>created_by</c> of each config history entry) written back as the Dockerfile it came
/// from, one line per entry, so the Dockerfile rules that judge RUN steps can judge a built image too. Line 1 is a
/// <c>FROM scratch</c> standing for the empty start; line N+1 is history entry N. Builders record steps differently:
/// the classic builder and buildah as <c>/bin/sh -c #(nop) INSTRUCTION</c> or, for RUN, <c>/bin/sh -c COMMAND</c>
/// (after <c>|N NAME=value…</c> build arguments); BuildKit as the instruction itself, marked <c># buildkit</c>.
/// What is not a step (an import, an empty entry) becomes a comment, so the numbering holds.
/// </summary>
public static partial class HistoryDockerfile
{
    public static DockerfileDocument? From(string file, IReadOnlyList<ImageHistoryEntry> history)
    {
        if (history.Count == 0)
        {
            return null;
        }

        return DockerfileDocument.Parse(file, string.Join('\n', history.Select(e => Instruction(e.CreatedBy)).Prepend("FROM scratch")));
    }

    /// <summary>The Dockerfile line a <c>created_by</c> stands for, on one line.</summary>
    public static string Instruction(string? createdBy)
    {
        var line = OneLine(createdBy ?? string.Empty).Trim();
        if (line.EndsWith("# buildkit", StringComparison.Ordinal))
        {
            line = line[..^"# buildkit".Length].TrimEnd();
        }

        var nop = line.IndexOf("#(nop)", StringComparison.Ordinal);
        if (nop >= 0)
        {
            // ADD file:0a1b… in /   COPY dir:2c3d… in /app
            line = AddedContent().Replace(line[(nop + "#(nop)".Length)..].Trim(), "$1 $2");
            return Known(line) ? line : Comment(line);
        }

        if (line.StartsWith("RUN ", StringComparison.Ordinal))
        {
            return "RUN " + ShellCommand(line[4..].TrimStart());
        }

        if (Known(line))
        {
            return line;
        }

        var command = ShellCommand(line);
        return command.Length > 0 && command != line ? "RUN " + command : Comment(line);
    }

    // "|2 A=1 B=2 /bin/sh -c cmd" or "/bin/sh -c cmd" → "cmd"; anything else is returned as it is.
    private static string ShellCommand(string line)
    {
        var match = BuildArgs().Match(line);
        if (match.Success)
        {
            line = line[match.Length..];
        }

        var shell = Shell().Match(line);
        return shell.Success ? line[shell.Length..].Trim() : line;
    }

    private static bool Known(string instruction)
    {
        var space = instruction.IndexOf(' ', StringComparison.Ordinal);
        var keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
        return keyword is "ADD" or "COPY" or "ENV" or "ARG" or "USER" or "WORKDIR" or "EXPOSE" or "CMD" or "ENTRYPOINT"
            or "LABEL" or "VOLUME" or "STOPSIGNAL" or "SHELL" or "ONBUILD" or "MAINTAINER" or "RUN";
    }

    private static string Comment(string text) => text.Length == 0 ? "#" : "# " + text;

    // A heredoc or a multi-line command is one history entry: joined with "; " it stays one line, and one command each.
    private static string OneLine(string text) => text.Contains('\n', StringComparison.Ordinal)
        ? string.Join("; ", text.Split('\n').Select(l => l.Trim().TrimEnd('\\').TrimEnd()).Where(l => l.Length > 0))
        : text;

    [GeneratedRegex(@"^\|\d+(?:\s+[A-Za-z_][A-Za-z0-9_]*=(?:""[^""]*""|'[^']*'|\S*))*\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BuildArgs();

    [GeneratedRegex(@"^(?:(?:/bin/|/usr/bin/)?(?:ba|da)?sh\s+-[a-z]*c\s+|cmd(?:\.exe)?\s+/S\s+/C\s+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Shell();

    [GeneratedRegex(@"^((?:ADD|COPY)\s+(?:--\S+\s+)*(?:file|dir|multi):[0-9a-f]+)\s+in\s+(\S.*)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddedContent();
}
