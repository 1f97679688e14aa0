using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class IngressFromAnywhereRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3008",
        Slug = "ingress-from-anywhere",
        Title = "NetworkPolicy admits any source to a workload that is not public",
        Severity = Severity.Medium,
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            An ingress rule without `from` (or with an ipBlock of 0.0.0.0/0 or ::/0) admits every pod of the
            cluster and every external address. That is right for a workload published through a LoadBalancer or
            NodePort Service, an Ingress or a Route, and a hole for an internal one. (A rule without ports as
            well is reported by allow-all-policy.)
            """,
        Remediation = "Name the sources: a podSelector/namespaceSelector for in-cluster clients, or the narrowest ipBlock for external ones.",
        References =
        [
            new("Kubernetes", "NetworkPolicyIngressRule", "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: db
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: db}
                  template:
                    metadata:
                      labels: {app: db}
                    spec:
                      containers:
                        - name: db
                          image: postgres:17
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: db
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: db}
                  ingress:
                    - from: # expect: BW3008
                        - ipBlock:
                            cidr: 0.0.0.0/0
                      ports:
                        - port: 5432
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
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
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: shop
                spec:
                  type: LoadBalancer
                  selector: {app: web}
                  ports:
                    - port: 443
                      targetPort: 8443
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: web
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: web}
                  ingress:
                    - ports:
                        - port: 8443
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        var network = ClusterNetwork.Of(target);
        foreach (var policy in network.Model.NetworkPolicies.Where(p => p.AffectsIngress))
        {
            var internalWorkloads = network.InternalWorkloadsSelectedBy(policy).Select(w => w.DisplayName).ToList();
            if (internalWorkloads.Count == 0)
            {
                continue;
            }

            foreach (var rule in policy.Ingress)
            {
                if (rule.AllPeers && rule.AllPorts)
                {
                    continue;
                }

                var anywhere = rule.AllPeers || rule.Peers.Any(p => p.IpBlock is { } block && block.Intervals.Any(i => i == IpInterval.Universe(i.Family)));
                if (anywhere)
                {
                    ClusterNetwork.Report(context, Descriptor, policy, rule.Location,
                        $"{policy}: ingress rule {rule.Index} admits any source (every pod and every external address) to {Listing.Join(internalWorkloads, 5)}, which no LoadBalancer/NodePort Service, Ingress or Route publishes.");
                }
            }
        }
    }
}
