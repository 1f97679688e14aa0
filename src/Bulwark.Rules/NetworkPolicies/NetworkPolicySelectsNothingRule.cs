using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class NetworkPolicySelectsNothingRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3005",
        Slug = "network-policy-selects-nothing",
        Title = "NetworkPolicy's podSelector matches no workload",
        Severity = Severity.Low,
        MinimumSeverity = Severity.Info,
        SeverityNote = "Info when the namespace runs operators whose pods the manifests do not show (the policy may select them).",
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            A NetworkPolicy whose podSelector matches no pod protects nothing; usually a label was misspelt or
            the workload's labels changed, and the pods meant to be isolated are open. The check only sees the
            scanned manifests: when they are part of a larger deployment, the pods may exist elsewhere. Pods that
            operators create at runtime from custom resources (a Prometheus, an Alertmanager, a Kafka or Postgres
            cluster) are in no manifest at all: in a namespace that holds custom resources the finding is
            informational and names them.
            """,
        Remediation = "Fix the podSelector to match the labels of the workload's pod template, or delete the stale policy.",
        References =
        [
            new("kube-linter", "dangling-networkpolicy"),
            new("kube-score", "networkpolicy-targets-pod"),
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
                  podSelector: # expect: BW3005
                    matchLabels: {app: apl}
                  policyTypes: [Ingress]
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
                  name: api
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: api}
                  policyTypes: [Ingress]
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        var network = ClusterNetwork.Of(target);
        if (network.Model.Workloads.Count == 0)
        {
            // Policies scanned on their own say nothing about which pods exist.
            return;
        }

        foreach (var policy in network.Model.NetworkPolicies)
        {
            if (!policy.PodSelector.IsEmpty && !network.SelectedBy(policy).Any())
            {
                var message = $"{policy}: podSelector {policy.PodSelector} matches no workload in namespace \"{policy.Namespace}\" of the scanned manifests";
                if (network.OperatorPodsNote([policy.Namespace ?? string.Empty]) is { } note)
                {
                    ClusterNetwork.Report(context, Descriptor, policy, policy.PodSelectorLocation, $"{message}; {note}.", Severity.Info);
                }
                else
                {
                    ClusterNetwork.Report(context, Descriptor, policy, policy.PodSelectorLocation, $"{message} (if they are partial, the pods may be elsewhere).");
                }
            }
        }
    }
}
