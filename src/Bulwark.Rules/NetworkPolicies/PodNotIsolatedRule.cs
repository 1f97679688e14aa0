using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class PodNotIsolatedRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3004",
        Slug = "pod-not-isolated",
        Title = "Workload is not selected by any ingress NetworkPolicy",
        Severity = Severity.Medium,
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            A pod that no ingress NetworkPolicy selects is not isolated: it accepts connections from every pod of
            the cluster and from outside, whatever the other policies of its namespace say. This usually happens
            when a policy's podSelector does not match the labels the workload really has. (A namespace without
            any policy is reported once, by namespace-without-network-policy.)
            """,
        Remediation = "Select the workload with an ingress NetworkPolicy (or add a namespace default-deny) and allow only the sources it needs.",
        References =
        [
            new("Kubernetes", "The two sorts of pod isolation", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation"),
            new("kube-score", "pod-networkpolicy"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1 # expect: BW3004
                kind: Deployment
                metadata:
                  name: cache
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: cache}
                  template:
                    metadata:
                      labels: {app: cache}
                    spec:
                      containers:
                        - name: cache
                          image: redis:7
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: db
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: db}
                  policyTypes: [Ingress]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: cache
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: cache}
                  template:
                    metadata:
                      labels: {app: cache}
                    spec:
                      containers:
                        - name: cache
                          image: redis:7
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: cache
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: cache}
                  ingress:
                    - from:
                        - podSelector:
                            matchLabels: {app: api}
                      ports:
                        - port: 6379
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        var network = ClusterNetwork.Of(target);
        foreach (var workload in network.Model.Workloads)
        {
            if (network.PoliciesIn(workload.Namespace).Any() && !network.Selecting(workload, ingress: true).Any())
            {
                network.Report(context, Descriptor, workload,
                    $"{workload.DisplayName} is selected by no ingress NetworkPolicy of namespace \"{workload.Namespace}\": it accepts connections from anywhere.");
            }
        }
    }
}
