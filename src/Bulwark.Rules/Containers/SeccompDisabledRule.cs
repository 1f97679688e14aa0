using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class SeccompDisabledRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1007",
        Slug = "seccomp-disabled",
        Title = "Container runs without a seccomp profile",
        Severity = Severity.Medium,
        MaximumSeverity = Severity.High,
        SeverityNote = "Medium when a Kubernetes pod sets no profile (the kubelet's SeccompDefault, when on, still applies RuntimeDefault); high when the input switches the filter off (`type: Unconfined`, `seccomp:unconfined`, `--security-opt seccomp=unconfined`).",
        Category = "Kernel attack surface",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["seccompProfile_baseline", "seccompProfile_restricted"],
        Rationale = """
            Seccomp filters the system calls a container may make; the runtime's default profile blocks about
            forty rarely needed and often exploited ones (keyctl, unshare, mount, bpf, …). Kubernetes runs
            containers Unconfined unless a profile is set (or the kubelet's SeccompDefault is on), so an unset
            profile usually means no filter at all.
            """,
        Remediation = "Set `securityContext.seccompProfile.type: RuntimeDefault` at pod level (or `Localhost` with a tighter profile).",
        References =
        [
            new("Pod Security Standards", "baseline and restricted: Seccomp", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"),
            new("CIS Kubernetes Benchmark", "5.7.2"),
            new("CIS Docker Benchmark", "5.21"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  securityContext:
                    seccompProfile: # expect: BW1007
                      type: Unconfined
                  containers:
                    - name: app
                      image: app:1.0.0
                    - name: sidecar
                      image: proxy:1.0.0
                """),
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  containers:
                    - name: app # expect: BW1007
                      image: app:1.0.0
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  securityContext:
                    seccompProfile:
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
                      - seccomp:unconfined # expect: BW1007
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    security_opt:
                      - no-new-privileges:true
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "SecurityOpt": ["seccomp=unconfined"] // expect: BW1007
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
        "Set `securityContext.seccompProfile.type: RuntimeDefault` at pod level (or `Localhost` with a tighter profile).",
        "Remove `seccomp:unconfined` from `security_opt` (Docker's default profile then applies), or point it at a tighter profile file.",
        "Run the container without `--security-opt seccomp=unconfined` (Docker's default profile then applies), or with a tighter profile.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        if (target.OperatingSystem == "windows")
        {
            return;
        }

        var reported = new HashSet<SourceLocation>();
        foreach (var container in target.Containers)
        {
            switch (container.Seccomp)
            {
                case { Value.IsUnconfined: true } unconfined:
                    // A pod-level Unconfined profile is one problem at one place, however many containers inherit it.
                    if (reported.Add(unconfined.Location))
                    {
                        context.Report(Descriptor, target, unconfined.Location,
                            $"Container \"{container.Name}\" runs with seccomp profile Unconfined: no system-call filter.", container.Name, Severity.High, Fix.For(target.Source));
                    }

                    break;
                case null when target.Source == SourceKind.Kubernetes:
                    // Docker and Compose apply the runtime's default profile when none is named; Kubernetes does not.
                    context.Report(Descriptor, target, container.SecurityContextLocation,
                        $"Container \"{container.Name}\" sets no seccomp profile (at container or pod level), so it runs Unconfined unless the kubelet enforces a default.",
                        container.Name, Severity.Medium);
                    break;
            }
        }
    }
}
