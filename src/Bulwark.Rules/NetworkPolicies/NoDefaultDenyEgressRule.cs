using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class NoDefaultDenyEgressRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3003",
        Slug = "no-default-deny-egress",
        Title = "Namespace has NetworkPolicies but no default-deny for egress",
        Severity = Severity.Low,
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            NetworkPolicies isolate only the pods they select. Without a policy that selects every pod of the
            namespace for egress (`podSelector: {}`), a compromised or new workload can open
            connections anywhere, including to other tenants and the internet. A default-deny policy makes every
            allowed flow explicit; remember DNS. (A namespace without any policy is reported by namespace-without-network-policy.)
            """,
        Remediation = "Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Egress]` and no egress rules, plus a policy allowing DNS to kube-dns.",
        References =
        [
            new("Kubernetes", "Default deny all egress traffic", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic"),
            new("CIS Kubernetes Benchmark", "5.3.2"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1 # expect: BW3003
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
                  name: default-deny-egress
                  namespace: shop
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context) => DefaultDeny.Check(target, context, Descriptor, ingress: false);
}
