using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Seccomp;

namespace Bulwark.Rules.Seccomp;

public sealed class SeccompProfileUnknownSyscallRule : Rule<SeccompProfile>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1203",
        Slug = "seccomp-profile-unknown-syscall",
        Title = "Seccomp profile names a system call that does not exist",
        Severity = Severity.Medium,
        MinimumSeverity = Severity.Low,
        SeverityNote = "Low when the misnamed call is in an allow rule (it allows nothing it should not); medium when it is in a rule that blocks, which then blocks nothing.",
        Category = "Kernel attack surface",
        Sources = [SourceKind.SeccompProfile],
        Rationale = """
            Runtimes skip system call names they cannot resolve. A misspelt name in a block rule (`ptrce`) blocks
            nothing, and the profile looks stricter than it is.
            """,
        Remediation = "Correct the name (the names are the kernel's, e.g. `umount2`, `clock_nanosleep`), or remove it.",
        References =
        [
            new("libseccomp", "scmp_sys_resolver(1)", "https://man7.org/linux/man-pages/man1/scmp_sys_resolver.1.html"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.SeccompProfile, """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "syscalls": [
                    { "names": ["read", "wirte"], "action": "SCMP_ACT_ALLOW" } // expect: BW1203
                  ]
                }
                """),
            RuleExample.Good(SourceKind.SeccompProfile, """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "syscalls": [
                    { "names": ["read", "write", "clock_nanosleep", "arm_fadvise64_64"], "action": "SCMP_ACT_ALLOW" }
                  ]
                }
                """),
        ],
    };

    public override void Evaluate(SeccompProfile target, RuleContext context)
    {
        foreach (var rule in target.Rules)
        {
            foreach (var name in rule.Names)
            {
                if (!LinuxSyscalls.IsKnown(name.Value))
                {
                    var severity = SeccompProfile.Allows(rule.Action) ? Severity.Low : Severity.Medium;
                    var effect = SeccompProfile.Allows(rule.Action) ? "allows nothing" : "blocks nothing";
                    context.Report(Descriptor, target, name.Location, $"Profile names \"{name.Value}\", which is not a Linux system call, so the rule {effect}.", severity: severity);
                }
            }
        }
    }
}
