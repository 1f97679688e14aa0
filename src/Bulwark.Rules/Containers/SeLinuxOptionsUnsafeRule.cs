using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.DockerInspect;

namespace Bulwark.Rules.Containers;

public sealed class SeLinuxOptionsUnsafeRule : Rule<Workload>
{
    private static readonly HashSet<string> SafeTypes = new(StringComparer.Ordinal)
    {
        string.Empty, "container_t", "container_init_t", "container_kvm_t", "container_engine_t",
    };

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1020",
        Slug = "selinux-options-unsafe",
        Title = "Container sets a custom SELinux user, role or type",
        Severity = Severity.Medium,
        Category = "Kernel attack surface",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["seLinuxOptions"],
        Rationale = """
            SELinux confines containers through the container_t domain. A custom type (spc_t, unconfined_t, a
            host domain) or a custom user or role can lift that confinement entirely.
            """,
        Remediation = "Remove `seLinuxOptions.user`, `.role` and any `.type` other than container_t, container_init_t, container_kvm_t or container_engine_t; set only `level` when needed.",
        References =
        [
            new("Pod Security Standards", "baseline: SELinux", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("CIS Docker Benchmark", "5.2"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  containers:
                    - name: app
                      image: app:1.0.0
                      securityContext:
                        seLinuxOptions: # expect: BW1020
                          type: spc_t
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  securityContext:
                    seLinuxOptions:
                      level: "s0:c123,c456"
                  containers:
                    - name: app
                      image: app:1.0.0
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    security_opt:
                      - label:disable # expect: BW1020
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    security_opt:
                      - label:level:s0:c100,c200
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "SecurityOpt": ["label=disable"] // expect: BW1020
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "SecurityOpt": []
                    }
                  }
                ]
                """),
        ],
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        var reported = new HashSet<SourceLocation>();
        foreach (var container in target.Containers)
        {
            if (container.SeLinux is not { } selinux || !reported.Add(selinux.Location))
            {
                continue;
            }

            var problems = new List<string>();
            if (!SafeTypes.Contains(selinux.Value.Type ?? string.Empty))
            {
                problems.Add($"type {selinux.Value.Type}");
            }

            if (!string.IsNullOrEmpty(selinux.Value.User))
            {
                problems.Add($"user {selinux.Value.User}");
            }

            if (!string.IsNullOrEmpty(selinux.Value.Role))
            {
                problems.Add($"role {selinux.Value.Role}");
            }

            if (target.Source != SourceKind.Kubernetes && selinux.Value.Type == SecurityOption.SeLinuxDisabledType)
            {
                context.Report(Descriptor, target, selinux.Location, $"Container \"{container.Name}\" disables SELinux separation (label=disable).", container.Name,
                    remediation: "Remove `label:disable` (`label=disable`) from the security options so the container runs in the container_t domain.");
            }
            else if (problems.Count > 0)
            {
                context.Report(Descriptor, target, selinux.Location,
                    $"Container \"{container.Name}\" runs with SELinux {string.Join(", ", problems)}.", container.Name);
            }
        }
    }
}
