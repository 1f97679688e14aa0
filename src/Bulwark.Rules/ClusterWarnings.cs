using Bulwark.Core.Findings;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.NetworkPolicies;

namespace Bulwark.Rules;

/// <summary>
/// What the cluster analyses the scan's rules ran could not use of the input — NetworkPolicies the API server would
/// reject (left out of the connectivity model), bindings to roles that are not there, duplicate objects — so a
/// scan reports them instead of judging without them in silence. Analyses no active rule needed are not built.
/// </summary>
public static class ClusterWarnings
{
    public static IReadOnlyList<InputWarning> Of(KubernetesCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var warnings = new List<InputWarning>();
        if (ClusterNetwork.Built(cluster) is { } network)
        {
            warnings.AddRange(network.Model.Diagnostics.Select(d => new InputWarning(d.Location, d.Object, d.Message)));
        }

        if (RbacModel.Built(cluster) is { } rbac)
        {
            warnings.AddRange(rbac.Warnings.Select(w => new InputWarning(w.Location, w.Subject, w.Message)));
        }

        return warnings;
    }
}
