using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class CapabilitiesNotDroppedRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1003",
        Slug = "capabilities-not-dropped",
        Title = "Container keeps the runtime's default capabilities",
        Severity = Severity.Medium,
        Category = "Privileges",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["capabilities_restricted"],
        Rationale = """
            Container runtimes grant a default set of Linux capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID,
            SETGID, NET_RAW, …). Most applications need none of them, and each one is kernel attack surface:
            NET_RAW alone allows ARP and DNS spoofing of neighbouring pods.
            """,
        Remediation = "Add `securityContext.capabilities.drop: [\"ALL\"]` and add back only what the process needs (usually nothing, or NET_BIND_SERVICE).",
        References =
        [
            new("Pod Security Standards", "restricted: Capabilities", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"),
            new("CIS Kubernetes Benchmark", "5.2.9"),
            new("CIS Docker Benchmark", "5.3"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                    - name: web # expect: BW1003
                      image: nginx:1.27
                    - name: helper
                      image: busybox:1.36
                      securityContext:
                        capabilities: # expect: BW1003
                          drop: ["NET_RAW"]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
                      securityContext:
                        capabilities:
                          drop: ["ALL"]
                          add: ["NET_BIND_SERVICE"]
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  web: # expect: BW1003
                    image: nginx:1.27
                  helper:
                    image: busybox:1.36
                    cap_drop: # expect: BW1003
                      - NET_RAW
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  web:
                    image: nginx:1.27
                    cap_drop: [ALL]
                    cap_add: [NET_BIND_SERVICE]
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/web",
                    "Config": { "Image": "nginx:1.27", "User": "101" },
                    "HostConfig": {
                      "CapAdd": [],
                      "CapDrop": ["NET_RAW"] // expect: BW1003
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/web",
                    "Config": { "Image": "nginx:1.27", "User": "101" },
                    "HostConfig": {
                      "CapAdd": ["NET_BIND_SERVICE"],
                      "CapDrop": ["ALL"]
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Add `securityContext.capabilities.drop: [\"ALL\"]` and add back only what the process needs (usually nothing, or NET_BIND_SERVICE).",
        "Add `cap_drop: [ALL]` to the service and `cap_add` only what it needs (usually nothing, or NET_BIND_SERVICE).",
        "Run the container with `--cap-drop ALL` and `--cap-add` only what it needs.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        if (target.OperatingSystem == "windows")
        {
            return;
        }

        foreach (var container in target.Containers)
        {
            // Kubernetes compares the literal "ALL" (PSS does the same). Docker accepts any case and a CAP_ prefix,
            // and Podman's inspect output lists the default capabilities it dropped instead of "ALL" (keeping
            // NET_BIND_SERVICE when it was added back).
            var dropsAll = target.Source == SourceKind.Kubernetes
                ? container.CapabilitiesDrop.Any(c => c.Value == "ALL")
                : container.CapabilitiesDrop.Select(c => LinuxCapabilities.Normalize(c.Value)).ToHashSet(StringComparer.Ordinal) is var dropped
                    && (dropped.Contains("ALL") || LinuxCapabilities.RuntimeDefaults.Except(dropped).All(c => c == "NET_BIND_SERVICE"));
            if (!dropsAll)
            {
                context.Report(Descriptor, target, container.CapabilitiesLocation ?? container.SecurityContextLocation,
                    $"Container \"{container.Name}\" does not drop ALL capabilities.", container.Name, remediation: Fix.For(target.Source));
            }
        }
    }
}
