using System.Buffers;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Build;

public sealed class WorldWritablePermissionsRule : Rule<DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2011",
        Slug = "world-writable-permissions",
        Title = "Files made writable by every user",
        Severity = Severity.Medium,
        Category = "Filesystem",
        Sources = [SourceKind.Dockerfile],
        Rationale = """
            `chmod 777` (or `o+w`, `a+w`) lets any user in the container, including a compromised unprivileged
            process, replace programs, scripts and configuration that a more privileged process later runs or
            reads. It is usually a shortcut around a wrong owner. Directories with the sticky bit (`1777`, as
            /tmp) are not reported. Only stages that end up in the final image are judged.
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
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                COPY --chmod=755 entrypoint.sh /usr/local/bin/
                RUN mkdir -p /data /scratch && chown -R 10001:10001 /data && chmod 1777 /scratch && chmod u+w,go-w /data
                """),
        ],
    };

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

        foreach (var (_, command) in DockerfileScope.Commands(target, DockerfileScope.FinalImageStages(target)))
        {
            if (!command.Is("chmod"))
            {
                continue;
            }

            var mode = command.Arguments.FirstOrDefault(w => !w.Value.StartsWith('-') || IsSymbolicMode(w.Value));
            if (mode is not null && WorldWritable(mode.Value))
            {
                context.Report(Descriptor, target, DockerfileScope.At(target, command, mode), $"chmod {mode.Value} makes files writable by every user.");
            }
        }
    }

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
