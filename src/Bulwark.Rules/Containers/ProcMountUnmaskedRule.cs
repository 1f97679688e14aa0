using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class ProcMountUnmaskedRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1019",
        Slug = "proc-mount-unmasked",
        Title = "Container unmasks /proc",
        Severity = Severity.High,
        MinimumSeverity = Severity.Medium,
        SeverityNote = "Medium in a pod with its own user namespace (`hostUsers: false`), where the unmasked `/proc` is the pod's own.",
        Category = "Kernel attack surface",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose],
        PodSecurityChecks = ["procMount", "procMount_restricted"],
        Rationale = """
            The runtime masks and makes read-only the parts of /proc that expose or control the host kernel
            (/proc/kcore, /proc/sysrq-trigger, /proc/sys, …). `procMount: Unmasked` removes that protection,
            which only nested container runtimes inside user namespaces need.
            """,
        Remediation = "Remove `procMount` or set it to `Default`.",
        References =
        [
            new("Pod Security Standards", "baseline: /proc Mount Type", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nested
                spec:
                  containers:
                    - name: runtime
                      image: podman:5.0.0
                      securityContext:
                        procMount: Unmasked # expect: BW1019
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nested
                spec:
                  containers:
                    - name: runtime
                      image: podman:5.0.0
                      securityContext:
                        procMount: Default
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  nested:
                    image: podman:5.0.0
                    security_opt:
                      - systempaths=unconfined # expect: BW1019
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  nested:
                    image: podman:5.0.0
                """),
        ],
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        // In a user namespace (hostUsers: false) an unmasked /proc exposes only the pod's own view.
        var userNamespace = target.HostUsers is { Value: false };
        foreach (var container in target.Containers)
        {
            if (container.ProcMount is { } procMount && procMount.Value != "Default")
            {
                context.Report(Descriptor, target, procMount.Location, $"Container \"{container.Name}\" sets procMount: {procMount.Value}.",
                    container.Name, userNamespace ? Severity.Medium : Severity.High);
            }
        }
    }
}
