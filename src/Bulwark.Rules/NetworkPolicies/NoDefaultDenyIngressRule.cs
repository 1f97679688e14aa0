using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class NoDefaultDenyIngressRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3002",
        Slug = "no-default-deny-ingress",
        Title = "Namespace has NetworkPolicies but no default-deny for ingress",
        Severity = Severity.Medium,
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            NetworkPolicies isolate only the pods they select. Without a policy that selects every pod of the
            namespace for ingress (`podSelector: {}`), a new workload, or one whose labels changed, silently
            accepts connections from anywhere. A default-deny policy makes "closed" the default and every
            allowed flow explicit. (A namespace without any policy is reported by namespace-without-network-policy.)
            """,
        Remediation = "Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress]` and no ingress rules.",
        References =
        [
            new("Kubernetes", "Default deny all ingress traffic", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic"),
            new("CIS Kubernetes Benchmark", "5.3.2"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1 # expect: BW3002
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
                        - podSelector:
                            matchLabels: {app: web}
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
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: default-deny-ingress
                  namespace: shop
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context) => DefaultDeny.Check(target, context, Descriptor, ingress: true);
}
