using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class NamespaceWithoutNetworkPolicyRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3001",
        Slug = "namespace-without-network-policy",
        Title = "Namespace has workloads but no NetworkPolicy",
        Severity = Severity.Medium,
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Without a NetworkPolicy every pod of the namespace accepts connections from every pod of the cluster
            and from outside it, and may connect anywhere. One compromised pod can then reach every database and
            internal API. The hardening checklist asks for Network Policies in every namespace.
            """,
        Remediation = "Add a default-deny NetworkPolicy (`podSelector: {}` with `policyTypes: [Ingress, Egress]`) to the namespace, then allow the flows the workloads need.",
        References =
        [
            new("Kubernetes", "Network Policies: default policies", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies"),
            new("CIS Kubernetes Benchmark", "5.3.2"),
            new("NSA/CISA Kubernetes Hardening Guide", "Network separation and hardening"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Namespace
                metadata: # expect: BW3001
                  name: shop
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                        - name: web
                          image: nginx:1.27
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                        - name: web
                          image: nginx:1.27
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: default-deny
                  namespace: shop
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        var network = ClusterNetwork.Of(target);
        foreach (var ns in network.NamespacesWithWorkloads())
        {
            if (network.PoliciesIn(ns).Count == 0)
            {
                var count = network.WorkloadsIn(ns).Count;
                network.ReportNamespace(context, Descriptor, ns,
                    $"Namespace \"{ns}\" has {count} workload{(count == 1 ? string.Empty : "s")} and no NetworkPolicy: every pod accepts and opens any connection.");
            }
        }
    }
}
