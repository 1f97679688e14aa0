using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Host;

public sealed class UnsafeSysctlRule : Rule<Workload>
{
    /// <summary>The namespaced sysctls Kubernetes considers safe (the Pod Security Standards' latest list).</summary>
    public static readonly HashSet<string> SafeSysctls = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_wmem",
        "net.ipv4.tcp_slow_start_after_idle",
        "net.ipv4.tcp_notsent_lowat",
    };

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1013",
        Slug = "unsafe-sysctl",
        Title = "Workload sets a kernel parameter outside the safe set",
        Severity = Severity.High,
        Category = "Kernel attack surface",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["sysctls"],
        Rationale = """
            Sysctls outside the safe, namespaced set can change kernel behaviour for every pod on the node,
            weaken isolation (kernel.*, vm.*, net.core.*) or open denial-of-service paths.
            """,
        Remediation = "Remove the sysctl, or tune it on the node for the nodes that need it; pods may set only the safe sysctls.",
        References =
        [
            new("Pod Security Standards", "baseline: Sysctls", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("Kubernetes documentation", "Using sysctls in a Kubernetes Cluster", "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: tuned
                spec:
                  securityContext:
                    sysctls:
                      - name: net.ipv4.tcp_syncookies
                        value: "1"
                      - name: kernel.msgmax # expect: BW1013
                        value: "65536"
                  containers:
                    - name: app
                      image: app:1.0.0
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: tuned
                spec:
                  securityContext:
                    sysctls:
                      - name: net.ipv4.ip_local_port_range
                        value: "1024 65535"
                  containers:
                    - name: app
                      image: app:1.0.0
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    sysctls:
                      net.ipv4.tcp_syncookies: 1
                      kernel.msgmax: 65536 # expect: BW1013
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    sysctls:
                      - net.ipv4.ip_local_port_range=1024 65535
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "Sysctls": {
                        "net.core.somaxconn": "1024" // expect: BW1013
                      }
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
                      "Sysctls": { "net.ipv4.ip_unprivileged_port_start": "80" }
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Remove the sysctl, or tune it on the node for the nodes that need it; pods may set only the safe sysctls.",
        "Remove the sysctl from the service's `sysctls`, or tune it on the host.",
        "Run the container without `--sysctl` for it, or tune it on the host.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var sysctl in target.Sysctls)
        {
            if (!SafeSysctls.Contains(sysctl.Value.Name))
            {
                context.Report(Descriptor, target, sysctl.Location, $"Sysctl {sysctl.Value.Name} is not in the safe set.", remediation: Fix.For(target.Source));
            }
        }
    }
}
