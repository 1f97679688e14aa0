using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class PrivilegeEscalationAllowedRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1002",
        Slug = "privilege-escalation-allowed",
        Title = "Container may gain more privileges than its process started with",
        Severity = Severity.Medium,
        Category = "Privileges",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["allowPrivilegeEscalation"],
        Rationale = """
            Unless no_new_privs is set, a setuid or file-capability binary in the image (su, sudo, ping, a
            planted one) lets an attacker who runs code in the container become root inside it. Kubernetes
            leaves escalation allowed when `allowPrivilegeEscalation` is unset.
            """,
        Remediation = "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
        References =
        [
            new("Pod Security Standards", "restricted: Privilege Escalation", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"),
            new("CIS Kubernetes Benchmark", "5.2.6"),
            new("CIS Docker Benchmark", "5.25"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      containers:
                        - name: api
                          image: api:2.1.0
                          securityContext: # expect: BW1002
                            runAsNonRoot: true
                        - name: sidecar
                          image: proxy:1.0.0
                          securityContext:
                            allowPrivilegeEscalation: true # expect: BW1002
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      containers:
                        - name: api
                          image: api:2.1.0
                          securityContext:
                            allowPrivilegeEscalation: false
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  api: # expect: BW1002
                    image: api:2.1.0
                  worker:
                    image: worker:2.1.0
                    security_opt:
                      - no-new-privileges:false # expect: BW1002
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  api:
                    image: api:2.1.0
                    security_opt:
                      - no-new-privileges:true
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/api",
                    "Config": { "Image": "api:2.1.0", "User": "1000" },
                    "HostConfig": { // expect: BW1002
                      "SecurityOpt": []
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/api",
                    "Config": { "Image": "api:2.1.0", "User": "1000" },
                    "HostConfig": {
                      "SecurityOpt": ["no-new-privileges"]
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Setting = new("allowPrivilegeEscalation: false", "no-new-privileges:true in security_opt", "--security-opt no-new-privileges");

    private static readonly SourceText Fix = new(
        "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
        "Add `no-new-privileges:true` to the service's `security_opt`.",
        "Run the container with `--security-opt no-new-privileges`.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        if (target.OperatingSystem == "windows")
        {
            return;
        }

        foreach (var container in target.Containers)
        {
            switch (container.AllowPrivilegeEscalation)
            {
                case { Value: false }:
                    break;
                case { Value: true } set:
                    context.Report(Descriptor, target, set.Location,
                        target.Source == SourceKind.Kubernetes
                            ? $"Container \"{container.Name}\" sets allowPrivilegeEscalation: true."
                            : $"Container \"{container.Name}\" sets no-new-privileges to false.",
                        container.Name, remediation: Fix.For(target.Source));
                    break;
                default:
                    context.Report(Descriptor, target, container.SecurityContextLocation,
                        $"Container \"{container.Name}\" does not set {Setting.For(target.Source)}, so setuid binaries can raise its privileges.",
                        container.Name, remediation: Fix.For(target.Source));
                    break;
            }
        }
    }
}
