using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Host;

public sealed class HostPortRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1012",
        Slug = "host-port",
        Title = "Container binds a port on the host",
        Severity = Severity.Medium,
        Category = "Host isolation",
        Sources = [SourceKind.Kubernetes],
        PodSecurityChecks = ["hostPorts"],
        Rationale = """
            A hostPort opens the port on the node's own address, bypassing Services and often NetworkPolicy
            and firewalls that expect traffic through the cluster network; it also pins the pod to nodes where
            the port is free.
            """,
        Remediation = "Remove `hostPort`; expose the container through a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress.",
        References =
        [
            new("Pod Security Standards", "baseline: Host Ports", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("CIS Kubernetes Benchmark", "5.2.13"),
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
                    - name: web
                      image: nginx:1.27
                      ports:
                        - containerPort: 80
                          hostPort: 8080 # expect: BW1012
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
                      ports:
                        - containerPort: 80
                """),
        ],
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        if (target.Source != SourceKind.Kubernetes)
        {
            // Publishing ports is how Compose and Docker expose a service; only a pod's hostPort bypasses the cluster network.
            return;
        }

        foreach (var container in target.Containers)
        {
            foreach (var port in container.Ports)
            {
                if (port.HostPort is { Value: not 0 } hostPort)
                {
                    context.Report(Descriptor, target, hostPort.Location,
                        $"Container \"{container.Name}\" binds host port {hostPort.Value}/{port.Protocol}.", container.Name);
                }
            }
        }
    }
}
