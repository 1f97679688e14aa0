using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.NetworkPolicies;

namespace Bulwark.Rules;

/// <summary>
/// The models the cluster rules judged a scan's cluster view by, for reports that draw them: the same instances
/// the rules shared (built now when no rule needed them), so a picture never disagrees with the findings.
/// </summary>
public static class ClusterModels
{
    public static NetworkModel Network(KubernetesCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return ClusterNetwork.Of(cluster).Model;
    }

    public static RbacModel Rbac(KubernetesCluster cluster) => RbacModel.For(cluster);
}
