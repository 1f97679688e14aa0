using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class PrivilegedContainerRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1001",
        Slug = "privileged-container",
        Title = "Container runs privileged",
        Severity = Severity.Critical,
        Category = "Privileges",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["privileged"],
        Rationale = """
            A privileged container gets every capability, every host device and no seccomp or AppArmor
            confinement: root in it is root on the host, and escaping takes one mount command.
            """,
        Remediation = "Remove `privileged: true`; grant the one capability or device the workload really needs instead.",
        References =
        [
            new("Pod Security Standards", "baseline: Privileged Containers", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("CIS Kubernetes Benchmark", "5.2.2"),
            new("CIS Docker Benchmark", "5.4"),
            new("NSA/CISA Kubernetes Hardening Guide", "Pod security: non-root and unprivileged containers"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: debug
                spec:
                  containers:
                    - name: shell
                      image: busybox:1.36
                      securityContext:
                        privileged: true # expect: BW1001
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: debug
                spec:
                  containers:
                    - name: shell
                      image: busybox:1.36
                      securityContext:
                        privileged: false
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  debug:
                    image: busybox:1.36
                    privileged: true # expect: BW1001
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  debug:
                    image: busybox:1.36
                    cap_drop: [ALL]
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/debug",
                    "Config": { "Image": "busybox:1.36", "User": "1000" },
                    "HostConfig": {
                      "Privileged": true, // expect: BW1001
                      "CapDrop": ["ALL"]
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/debug",
                    "Config": { "Image": "busybox:1.36", "User": "1000" },
                    "HostConfig": {
                      "Privileged": false,
                      "CapDrop": ["ALL"]
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Remove `securityContext.privileged: true`; grant the one capability or device the workload really needs instead.",
        "Remove `privileged: true` from the service; grant only the capability (`cap_add`) or device (`devices`) it really needs.",
        "Run the container without `--privileged`; use `--cap-add` or `--device` for what it really needs.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            if (container.Privileged is { Value: true } privileged)
            {
                context.Report(Descriptor, target, privileged.Location, $"Container \"{container.Name}\" runs privileged.", container.Name, remediation: Fix.For(target.Source));
            }
        }
    }
}
