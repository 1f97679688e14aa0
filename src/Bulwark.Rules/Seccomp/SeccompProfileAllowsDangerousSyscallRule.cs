using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Seccomp;

namespace Bulwark.Rules.Seccomp;

public sealed class SeccompProfileAllowsDangerousSyscallRule : Rule<SeccompProfile>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1202",
        Slug = "seccomp-profile-allows-dangerous-syscall",
        Title = "Seccomp profile allows a system call used to escape containers",
        Severity = Severity.High,
        MinimumSeverity = Severity.Medium,
        MaximumSeverity = Severity.Critical,
        SeverityNote = "Follows the call: critical for loading kernel modules or BPF programs, replacing the kernel and `open_by_handle_at`; high for mounts, namespaces, tracing, keyrings and the like; medium for clock, accounting and obsolete calls.",
        Category = "Kernel attack surface",
        Sources = [SourceKind.SeccompProfile],
        Rationale = """
            Some system calls reach past the container: loading kernel modules or a new kernel, mounting, creating
            namespaces, loading BPF, tracing other processes, opening host files by handle. The runtime's default
            profile blocks them, or allows them only with the capability they need; a profile that allows them
            outright removes that line of defence. Entries conditioned on a capability (`includes.caps`) or on
            argument values are not reported.
            """,
        Remediation = "Remove the call from the `SCMP_ACT_ALLOW` entry, or limit it with `includes.caps` or argument filters as the runtime's default profile does.",
        References =
        [
            new("Docker documentation", "Significant syscalls blocked by the default profile", "https://docs.docker.com/engine/security/seccomp/"),
            new("CIS Docker Benchmark", "5.21"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.SeccompProfile, """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "syscalls": [
                    {
                      "names": [
                        "read",
                        "mount", // expect: BW1202
                        "unshare" // expect: BW1202
                      ],
                      "action": "SCMP_ACT_ALLOW"
                    }
                  ]
                }
                """),
            RuleExample.Good(SourceKind.SeccompProfile, """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "syscalls": [
                    { "names": ["read", "write"], "action": "SCMP_ACT_ALLOW" },
                    { "names": ["mount", "umount2"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN"] } }
                  ]
                }
                """),
        ],
    };

    public override void Evaluate(SeccompProfile target, RuleContext context)
    {
        foreach (var rule in target.Rules)
        {
            if (!SeccompProfile.Allows(rule.Action) || !rule.IsUnconditional)
            {
                continue;
            }

            foreach (var name in rule.Names)
            {
                if (DangerousSyscalls.TryGet(name.Value, out var severity, out var why))
                {
                    context.Report(Descriptor, target, name.Location, $"Profile allows {name.Value} ({why}).", severity: severity);
                }
            }
        }
    }
}
