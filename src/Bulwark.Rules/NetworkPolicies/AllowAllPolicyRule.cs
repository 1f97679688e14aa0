using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class AllowAllPolicyRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3009",
        Slug = "allow-all-policy",
        Title = "NetworkPolicy rule allows all traffic",
        Severity = Severity.Medium,
        MinimumSeverity = Severity.Low,
        SeverityNote = "Low for an egress rule that allows everything; medium for such an ingress rule.",
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            A rule without peers and without ports (`ingress: [{}]` or `egress: [{}]`) allows every connection
            in that direction to the pods the policy selects. Policies are additive, so no other policy can take
            it back: it silently cancels every default-deny of the namespace for those pods. Ingress to workloads
            that are public anyway (selected by a LoadBalancer or NodePort Service, or behind an Ingress or a
            Route) is not reported, as ingress-from-anywhere reasons.
            """,
        Remediation = "Replace the empty rule with rules naming the peers (podSelector/namespaceSelector/ipBlock) and ports that are really needed.",
        References =
        [
            new("Kubernetes", "Allow all ingress traffic", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: allow-everything
                  namespace: shop
                spec:
                  podSelector: {}
                  ingress:
                    - {} # expect: BW3009
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: storefront
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: storefront}
                  template:
                    metadata:
                      labels: {app: storefront}
                    spec:
                      containers:
                        - name: web
                          image: registry.example/storefront:3.1.0
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: storefront
                  namespace: shop
                spec:
                  type: LoadBalancer
                  selector: {app: storefront}
                  ports:
                    - port: 443
                      targetPort: 8443
                ---
                # Public through its LoadBalancer anyway: allowing every source adds no exposure.
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: storefront-public
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: storefront}
                  ingress:
                    - {}
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: allow-frontend
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: api}
                  ingress:
                    - from:
                        - podSelector:
                            matchLabels: {app: frontend}
                      ports:
                        - port: 8080
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
                if (!rule.AllPeers || !rule.AllPorts || !(ingress ? policy.AffectsIngress : policy.AffectsEgress))
                {
                    continue;
                }

                var whom = "the pods it selects";
                if (ingress && network.SelectedBy(policy).Count > 0)
                {
                    var internalWorkloads = network.InternalWorkloadsSelectedBy(policy);
                    if (internalWorkloads.Count == 0)
                    {
                        continue;
                    }

                    whom = Listing.Join([.. internalWorkloads.Select(w => w.DisplayName)], 5) + ", which no LoadBalancer/NodePort Service, Ingress or Route publishes";
                }

                ClusterNetwork.Report(context, Descriptor, policy, rule.Location,
                    $"{policy}: {(ingress ? "ingress" : "egress")} rule {rule.Index} has no peers and no ports, so it allows all {(ingress ? "incoming" : "outgoing")} connections of {whom}.",
                    severity: ingress ? null : Severity.Low);
            }
        }
    }
}
