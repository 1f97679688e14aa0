using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class PeerSelectsNothingRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3006",
        Slug = "peer-selects-nothing",
        Title = "NetworkPolicy peer matches no workload",
        Severity = Severity.Low,
        MinimumSeverity = Severity.Info,
        SeverityNote = "Info when the peer's namespaces run operators whose pods the manifests do not show (the peer may select them).",
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            A `from`/`to` peer whose selectors match no pod allows nothing, so the flow it was written for is
            blocked, and the rule may start allowing unexpected pods once something gets those labels. Peers
            whose namespaceSelector matches no namespace of the scanned manifests are not reported, since those
            namespaces may simply not be part of the input. Where the peer's namespaces hold custom resources,
            operators may create the pods it is meant for at runtime, and the finding is informational.
            """,
        Remediation = "Fix the peer's podSelector (and namespaceSelector) to match the labels of the intended workloads, or remove the peer.",
        References =
        [
            new("kube-linter", "dangling-networkpolicypeer-podselector"),
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
                    - from:
                        - podSelector: # expect: BW3006
                            matchLabels: {app: frontend}
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
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: frontend
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: frontend}
                  template:
                    metadata:
                      labels: {app: frontend}
                    spec:
                      containers:
                        - name: frontend
                          image: registry.example/frontend:1.0
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
                    - from:
                        - podSelector:
                            matchLabels: {app: frontend}
                        - namespaceSelector:
                            matchLabels: {team: monitoring}
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        var network = ClusterNetwork.Of(target);
        foreach (var policy in network.Model.NetworkPolicies)
        {
            foreach (var rule in policy.Ingress.Concat(policy.Egress))
            {
                foreach (var peer in rule.Peers.Where(p => p.IsPods))
                {
                    // Null when the peer's namespaces are outside the input (or hold no workload in it): nothing is
                    // known about their pods.
                    if (network.PeerSelectsAny(peer) is false)
                    {
                        var message = $"{policy}: peer \"{peer}\" matches no workload of the scanned manifests";
                        if (network.OperatorPodsNote(network.PeerNamespaces(peer).Select(n => n.Name)) is { } note)
                        {
                            ClusterNetwork.Report(context, Descriptor, policy, peer.Location, $"{message}; {note}.", Severity.Info);
                        }
                        else
                        {
                            ClusterNetwork.Report(context, Descriptor, policy, peer.Location, $"{message}, so this part of the rule allows nothing.");
                        }
                    }
                }
            }
        }
    }
}
