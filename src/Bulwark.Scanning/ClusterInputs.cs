using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Scanning;

/// <summary>
/// The cluster view of a set of inputs without running any rule: what <c>bulwark rbac</c> analyses. Each input
/// keeps only the objects cluster analyses need and compact workload summaries, as a scan does.
/// </summary>
public static class ClusterInputs
{
    public static (KubernetesCluster Cluster, List<InputError> Errors) Load(ScanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (outcomes, errors) = ScanEngine.ForEachInput(options, input => (
            Objects: input.Objects.Where(KubernetesCluster.Retains).ToList(),
            Workloads: input.Targets.OfType<Workload>().Where(w => w.Source == SourceKind.Kubernetes).Select(WorkloadSummary.From).ToList(),
            input.Errors));
        foreach (var outcome in outcomes)
        {
            errors.AddRange(outcome.Errors);
        }

        var cluster = new KubernetesCluster
        {
            Objects = [.. outcomes.SelectMany(o => o.Objects)],
            Workloads = [.. outcomes.SelectMany(o => o.Workloads)],
        };
        return (cluster, errors);
    }
}
