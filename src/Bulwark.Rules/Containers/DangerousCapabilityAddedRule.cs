using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class DangerousCapabilityAddedRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1004",
        Slug = "dangerous-capability-added",
        Title = "Container adds a Linux capability beyond NET_BIND_SERVICE",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = "Follows the capability: critical for `ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_RAWIO`, `DAC_READ_SEARCH` and `BPF`; high for `SYS_PTRACE`, `NET_ADMIN`, `SYS_BOOT`, `SYS_TIME`, `SYSLOG`, `PERFMON`, `SYS_RESOURCE`, `LINUX_IMMUTABLE`, `MAC_ADMIN` and `MAC_OVERRIDE`; medium for `NET_RAW`, `SETUID`, `SETGID`, `CHOWN`, `DAC_OVERRIDE` and the others that mostly act inside the container; low for the rest (`KILL`, `AUDIT_WRITE`, …).",
        Category = "Privileges",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["capabilities_baseline", "capabilities_restricted"],
        Rationale = """
            Added capabilities hand kernel powers to whoever controls the container. SYS_ADMIN, SYS_MODULE,
            SYS_RAWIO and ALL amount to root on the host; SYS_PTRACE reads other processes' memory; NET_ADMIN
            rewrites the node's network; NET_RAW spoofs traffic. The finding's severity follows the capability.
            """,
        Remediation = "Remove the capability from `capabilities.add`; only NET_BIND_SERVICE (binding ports below 1024) is safe to add.",
        References =
        [
            new("Pod Security Standards", "baseline and restricted: Capabilities", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"),
            new("CIS Kubernetes Benchmark", "5.2.8"),
            new("CIS Docker Benchmark", "5.3"),
            new("NSA/CISA Kubernetes Hardening Guide", "Pod security: capabilities"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: net-tool
                spec:
                  containers:
                    - name: tool
                      image: nicolaka/netshoot:v0.13
                      securityContext:
                        capabilities:
                          drop: ["ALL"]
                          add:
                            - NET_BIND_SERVICE
                            - NET_ADMIN # expect: BW1004
                            - SYS_ADMIN # expect: BW1004
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
                  vpn:
                    image: wireguard:1.0.0
                    cap_drop: [ALL]
                    cap_add:
                      - NET_ADMIN # expect: BW1004
                      - SYS_MODULE # expect: BW1004
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
                    "Name": "/tool",
                    "Config": { "Image": "netshoot:0.13", "User": "1000" },
                    "HostConfig": {
                      "CapAdd": ["SYS_PTRACE"], // expect: BW1004
                      "CapDrop": ["ALL"]
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
        "Remove the capability from `securityContext.capabilities.add`; only NET_BIND_SERVICE (binding ports below 1024) is safe to add.",
        "Remove the capability from `cap_add`; only NET_BIND_SERVICE (binding ports below 1024) is safe to add.",
        "Run the container without `--cap-add` for it; only NET_BIND_SERVICE (binding ports below 1024) is safe to add.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            foreach (var capability in container.CapabilitiesAdd)
            {
                var name = LinuxCapabilities.Normalize(capability.Value);
                if (name == "NET_BIND_SERVICE")
                {
                    continue;
                }

                var severity = LinuxCapabilities.SeverityOf(name);
                context.Report(Descriptor, target, capability.Location,
                    $"Container \"{container.Name}\" adds capability {capability.Value}{Why(name)}.", container.Name, severity, Fix.For(target.Source));
            }
        }
    }

    private static string Why(string capability) => capability switch
    {
        "ALL" => " (every capability: equivalent to root on the host)",
        "SYS_ADMIN" => " (mount, namespaces, BPF: a known container-escape path)",
        "SYS_MODULE" => " (loads kernel modules: full host compromise)",
        "SYS_RAWIO" => " (raw I/O to devices and memory)",
        "DAC_READ_SEARCH" => " (reads any host file through open_by_handle_at, the \"shocker\" escape)",
        "BPF" => " (loads BPF programs into the kernel)",
        "SYS_PTRACE" => " (traces other processes and reads their memory)",
        "NET_ADMIN" => " (reconfigures interfaces, routes and firewall rules)",
        "NET_RAW" => " (raw sockets: ARP and DNS spoofing of neighbours)",
        "SYS_TIME" => " (sets the host clock)",
        _ => string.Empty,
    };
}
