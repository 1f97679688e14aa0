using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Seccomp;

namespace Bulwark.Rules.Seccomp;

public sealed class SeccompProfileAllowsByDefaultRule : Rule<SeccompProfile>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1201",
        Slug = "seccomp-profile-allows-by-default",
        Title = "Seccomp profile allows every system call it does not name",
        Severity = Severity.High,
        MinimumSeverity = Severity.Medium,
        SeverityNote = "Medium when the profile blocks every known escape-prone call by name, so only the calls it forgot to name are open.",
        Category = "Kernel attack surface",
        Sources = [SourceKind.SeccompProfile],
        Rationale = """
            A profile whose `defaultAction` is `SCMP_ACT_ALLOW` (or `SCMP_ACT_LOG`) is a deny-list: every system
            call it forgets, and every one added to Linux later, is allowed. The runtime's default profile is an
            allow-list for that reason. A deny-list that does not even block the calls containers use to escape
            (mount, unshare, bpf, kexec_load, init_module, open_by_handle_at, …) protects nothing.
            """,
        Remediation = "Make `defaultAction` `SCMP_ACT_ERRNO` and list the calls the application needs with `SCMP_ACT_ALLOW` (start from the runtime's default profile).",
        References =
        [
            new("Docker documentation", "Seccomp security profiles for Docker", "https://docs.docker.com/engine/security/seccomp/"),
            new("CIS Docker Benchmark", "5.21"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.SeccompProfile, """
                {
                  "defaultAction": "SCMP_ACT_ALLOW", // expect: BW1201
                  "syscalls": [
                    { "names": ["reboot"], "action": "SCMP_ACT_ERRNO" }
                  ]
                }
                """),
            RuleExample.Good(SourceKind.SeccompProfile, """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "syscalls": [
                    { "names": ["read", "write", "exit_group", "futex"], "action": "SCMP_ACT_ALLOW" }
                  ]
                }
                """),
        ],
    };

    public override void Evaluate(SeccompProfile target, RuleContext context)
    {
        if (target.DefaultAction is not { } action || !SeccompProfile.Allows(action.Value))
        {
            return;
        }

        var blocked = target.Rules.Where(r => !SeccompProfile.Allows(r.Action) && r.IsUnconditional)
            .SelectMany(r => r.Names).Select(n => n.Value).ToHashSet(StringComparer.Ordinal);
        var open = DangerousSyscalls.All.Where(n => !blocked.Contains(n)).Order(StringComparer.Ordinal).ToList();
        var detail = open.Count == 0
            ? "it blocks the known escape calls, but every call it does not name is allowed"
            : $"{open.Count} escape-prone calls are not blocked ({string.Join(", ", open.Take(8))}{(open.Count > 8 ? ", …" : string.Empty)})";
        context.Report(Descriptor, target, action.Location, $"Profile's defaultAction is {action.Value}: {detail}.",
            severity: open.Count == 0 ? Severity.Medium : Severity.High);
    }
}
