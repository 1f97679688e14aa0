using Bulwark.Core.Rules;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

/// <summary>Shared by no-default-deny-ingress and no-default-deny-egress.</summary>
internal static class DefaultDeny
{
    /// <summary>A policy that isolates every pod of its namespace for the direction without allowing everything back.</summary>
    public static bool IsDefaultDeny(PolicyDefinition policy, bool ingress) =>
        policy.PodSelector.IsEmpty && (ingress ? policy.AffectsIngress : policy.AffectsEgress)
        && !(ingress ? policy.Ingress : policy.Egress).Any(r => r.AllPeers && r.AllPorts);

    public static void Check(KubernetesCluster target, RuleContext context, RuleDescriptor descriptor, bool ingress)
    {
        var network = ClusterNetwork.Of(target);
        foreach (var ns in network.NamespacesWithWorkloads())
        {
            var policies = network.PoliciesIn(ns).ToList();
            if (policies.Count > 0 && !policies.Any(p => IsDefaultDeny(p, ingress)))
            {
                network.ReportNamespace(context, descriptor, ns,
                    $"Namespace \"{ns}\" has NetworkPolicies but none denies {(ingress ? "ingress" : "egress")} by default (podSelector: {{}} with policyTypes [{(ingress ? "Ingress" : "Egress")}]); pods no policy selects are open.");
            }
        }
    }
}
