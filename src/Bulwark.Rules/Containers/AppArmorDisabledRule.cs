using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class AppArmorDisabledRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1008",
        Slug = "apparmor-disabled",
        Title = "Container runs without AppArmor confinement",
        Severity = Severity.High,
        Category = "Kernel attack surface",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["appArmorProfile"],
        Rationale = """
            On AppArmor hosts the runtime's default profile denies writes to /proc and /sys, mounts and other
            escape helpers. An Unconfined profile removes that layer.
            """,
        Remediation = "Remove the Unconfined AppArmor profile; use `appArmorProfile.type: RuntimeDefault` or a `Localhost` profile.",
        References =
        [
            new("Pod Security Standards", "baseline: AppArmor", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("CIS Docker Benchmark", "5.1"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                  annotations:
                    container.apparmor.security.beta.kubernetes.io/legacy: unconfined # expect: BW1008
                spec:
                  containers:
                    - name: app
                      image: app:1.0.0
                      securityContext:
                        appArmorProfile: # expect: BW1008
                          type: Unconfined
                    - name: legacy
                      image: app:1.0.0
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  securityContext:
                    appArmorProfile:
                      type: RuntimeDefault
                  containers:
                    - name: app
                      image: app:1.0.0
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    security_opt:
                      - apparmor:unconfined # expect: BW1008
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    security_opt:
                      - apparmor:docker-default
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "SecurityOpt": ["apparmor=unconfined"] // expect: BW1008
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

    private static readonly SourceText Fix = new(
        "Remove the Unconfined AppArmor profile; use `appArmorProfile.type: RuntimeDefault` or a `Localhost` profile.",
        "Remove `apparmor:unconfined` from `security_opt` (the runtime's default profile then applies), or name a tighter profile.",
        "Run the container without `--security-opt apparmor=unconfined`.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        var reported = new HashSet<SourceLocation>();
        foreach (var container in target.Containers)
        {
            if (container.AppArmor is { Value.IsUnconfined: true } unconfined && reported.Add(unconfined.Location))
            {
                context.Report(Descriptor, target, unconfined.Location, $"Container \"{container.Name}\" runs with AppArmor profile Unconfined.", container.Name, remediation: Fix.For(target.Source));
            }
        }
    }
}
