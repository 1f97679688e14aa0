using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class NamedPortUndefinedRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3010",
        Slug = "named-port-undefined",
        Title = "NetworkPolicy names a port no destination container defines",
        Severity = Severity.Medium,
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            A named port in a NetworkPolicy is resolved on the destination pod's container ports. When no
            destination the rule applies to declares a port of that name (and protocol), the rule allows nothing
            and the intended flow is blocked; when some pod later adds a port of that name, it opens silently.
            Named ports never match ipBlock destinations.
            """,
        Remediation = "Use the name a container port of the destination really has (`ports[].name` in the pod template), or a port number.",
        References =
        [
            new("Kubernetes", "NetworkPolicyPort", "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      containers:
                        - name: api
                          image: registry.example/api:1.0
                          ports:
                            - name: http
                              containerPort: 8080
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: api
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: api}
                  ingress:
                    - ports: # expect: BW3010
                        - port: https
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      containers:
                        - name: api
                          image: registry.example/api:1.0
                          ports:
                            - name: http
                              containerPort: 8080
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: api
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: api}
                  ingress:
                    - ports:
                        - port: http
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        var network = ClusterNetwork.Of(target);
        foreach (var policy in network.Model.NetworkPolicies)
        {
            foreach (var (rule, ingress) in policy.Ingress.Select(r => (r, true)).Concat(policy.Egress.Select(r => (r, false))))
            {
                if (!rule.HasNamedPorts)
                {
                    continue;
                }

                // Ingress: the destinations are the pods the policy selects; egress: the pods the rule's peers select.
                var destinations = ingress ? network.SelectedBy(policy).ToList()
                    : rule.AllPeers ? [.. network.Model.Workloads]
                    : [.. rule.Peers.Where(p => p.IsPods).SelectMany(network.PeerWorkloads).Distinct()];
                if (destinations.Count == 0)
                {
                    continue;
                }

                foreach (var port in rule.Ports.Where(p => p.IsNamed))
                {
                    var defined = destinations.Any(w => w.NamedPort(port.Name!) is { } p && (port.Protocol is null || port.Protocol == p.Protocol));
                    if (!defined)
                    {
                        ClusterNetwork.Report(context, Descriptor, policy, rule.Location,
                            $"{policy}: {(ingress ? "ingress" : "egress")} rule {rule.Index} names port \"{port.Name}\", which no container of {Listing.Join([.. destinations.Select(w => w.DisplayName)], 5)} defines; it allows nothing.");
                    }
                }
            }
        }
    }
}
