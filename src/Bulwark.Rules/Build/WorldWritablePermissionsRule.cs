using System.Buffers;
using System.IO.Enumeration;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Parsing.Shell;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Build;

public sealed class WorldWritablePermissionsRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2011",
        Slug = "world-writable-permissions",
        Title = "Files made writable by every user",
        Severity = Severity.Medium,
        Category = "Filesystem",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            `chmod 777` (or `o+w`, `a+w`) lets any user in the container, including a compromised unprivileged
            process, replace programs, scripts and configuration that a more privileged process later runs or
            reads. It is usually a shortcut around a wrong owner. Directories with the sticky bit (`1777`, as
            /tmp) are not reported, nor are paths the same RUN deletes afterwards (they never reach the layer).
            /tmp, /var/tmp and /dev/shm are world-writable by design, but only safe with the sticky bit: an octal
            mode such as 777 that drops it is reported. Only stages that end up in the final image are judged.
            """,
        Remediation = "Give the files to the user that needs them (`COPY --chown=app:app …`, `chown -R app:app /data`) and use modes such as 755/644 (or 775 with a shared group).",
        References =
        [
            new("CIS Docker Benchmark", "4.8: Ensure setuid and setgid permissions are removed"),
            new("CWE", "CWE-732: Incorrect Permission Assignment for Critical Resource", "https://cwe.mitre.org/data/definitions/732.html"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM alpine:3.20
                COPY --chmod=777 entrypoint.sh /usr/local/bin/ # expect: BW2011
                RUN mkdir -p /data && chmod -R 0777 /data # expect: BW2011
                RUN chmod a+rwx,o+w /opt/app # expect: BW2011
                RUN chmod 777 /tmp # expect: BW2011
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                COPY --chmod=755 entrypoint.sh /usr/local/bin/
                RUN mkdir -p /data /scratch && chown -R 10001:10001 /data && chmod 1777 /scratch && chmod u+w,go-w /data
                RUN mkdir /tmp/build && chmod 777 /tmp/build && make -C /tmp/build install && rm -rf /tmp/build
                RUN chmod 1777 /tmp && chmod a+w /var/tmp
                """),
        ],
    };

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        // A built image's RUN steps are in its history, written back as a Dockerfile.
        if (target.History is { } history)
        {
            Evaluate(history, context);
        }
    }

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var stage in DockerfileScope.FinalImageStages(target))
        {
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword is "COPY" or "ADD" && instruction.Flags.LastOrDefault(f => f.Name == "chmod") is { } flag && WorldWritable(flag.Value))
                {
                    context.Report(Descriptor, target, DockerfileScope.At(instruction, flag), $"{instruction.Keyword} --chmod={flag.Value} makes the files writable by every user.");
                }
            }
        }

        foreach (var stage in DockerfileScope.FinalImageStages(target))
        {
            foreach (var run in stage.InstructionsOf("RUN"))
            {
                var commands = DockerfileScope.Commands(target, run).ToList();
                foreach (var command in commands)
                {
                    if (command.Is("chmod") && Problem(command, commands) is { } problem)
                    {
                        context.Report(Descriptor, target, DockerfileScope.At(target, command, problem.Mode), problem.Message);
                    }
                }
            }
        }
    }

    // Directories every user shares: world-writable by design, safe only with the sticky bit (mode 1777).
    private static readonly HashSet<string> SharedTemporaryDirectories = new(StringComparer.Ordinal) { "/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock" };

    private static (ShellWord Mode, string Message)? Problem(ShellCommand chmod, List<ShellCommand> commands)
    {
        var mode = chmod.Arguments.FirstOrDefault(w => !w.Value.StartsWith('-') || IsSymbolicMode(w.Value));
        if (mode is null || !WorldWritable(mode.Value))
        {
            return null;
        }

        var paths = chmod.Arguments.SkipWhile(w => !ReferenceEquals(w, mode)).Skip(1).Where(w => !w.Value.StartsWith('-')).Select(w => w.Value.TrimEnd('/')).ToList();
        if (paths.Count > 0 && paths.All(p => SharedTemporaryDirectories.Contains(p)))
        {
            // `chmod a+w /tmp` keeps the sticky bit the directory already has; an octal mode without it drops it.
            return IsOctal(mode.Value)
                ? (mode, $"chmod {mode.Value} {string.Join(' ', paths)} drops the sticky bit: any user can delete or replace another user's files there (use 1777).")
                : null;
        }

        // Files a later command of the same RUN deletes never reach the layer with that mode.
        if (paths.Count > 0 && paths.All(p => RemovedLater(p, chmod, commands)))
        {
            return null;
        }

        return (mode, $"chmod {mode.Value} makes files writable by every user.");
    }

    private static bool RemovedLater(string path, ShellCommand chmod, List<ShellCommand> commands) =>
        commands.Any(c => c.Index > chmod.Index && c.Is("rm")
            && c.Arguments.Where(w => !w.Value.StartsWith('-')).Any(w => Covers(w.Value.TrimEnd('/'), path)));

    /// <summary>True when removing <paramref name="removed"/> (a path or a glob, <c>/tmp/build-*</c>) removes <paramref name="path"/>.</summary>
    private static bool Covers(string removed, string path)
    {
        if (removed.Length == 0)
        {
            return false;
        }

        var removedParts = removed.Split('/');
        var pathParts = path.Split('/');
        if (pathParts.Length < removedParts.Length)
        {
            return false;
        }

        for (var i = 0; i < removedParts.Length; i++)
        {
            if (removedParts[i] == pathParts[i])
            {
                continue;
            }

            // Pathname expansion: `*` and `?` stay within one component and `*` skips hidden names.
            if (removedParts[i].Length == 0 || !FileSystemName.MatchesSimpleExpression(removedParts[i], pathParts[i], ignoreCase: false)
                || (removedParts[i][0] is '*' or '?' && pathParts[i].StartsWith('.')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOctal(string mode) => mode.Length > 0 && mode.All(char.IsAsciiDigit);

    private static readonly SearchValues<char> ModeLetters = SearchValues.Create("rwxXstugo");

    private static readonly SearchValues<char> WhoLetters = SearchValues.Create("ugoa");

    private static bool IsSymbolicMode(string value) => value.Length > 1 && value[0] == '-' && value.AsSpan(1).IndexOfAnyExcept(ModeLetters) < 0;

    /// <summary>True when the octal or symbolic mode grants write to others (sticky-bit directories such as 1777 excepted).</summary>
    public static bool WorldWritable(string mode)
    {
        if (mode.Length > 0 && mode.All(char.IsAsciiDigit))
        {
            if (mode.Any(c => c > '7'))
            {
                return false;
            }

            var value = Convert.ToInt32(mode.Length > 5 ? mode[^5..] : mode, 8);
            var sticky = (value & 0x200) != 0;
            return (value & 0x2) != 0 && !sticky;
        }

        foreach (var clause in mode.Split(','))
        {
            var op = clause.IndexOfAny(['+', '=']);
            if (op < 0)
            {
                continue;
            }

            var who = clause[..op];
            var perms = clause[(op + 1)..];
            if (who.AsSpan().IndexOfAnyExcept(WhoLetters) >= 0)
            {
                continue;
            }

            // An empty "who" (`+w`) is limited by the umask, which normally removes write for others.
            if ((who.Contains('o', StringComparison.Ordinal) || who.Contains('a', StringComparison.Ordinal)) && perms.Contains('w', StringComparison.Ordinal)
                && !perms.Contains('t', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
