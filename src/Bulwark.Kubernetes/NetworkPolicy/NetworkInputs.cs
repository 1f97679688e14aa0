using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>A pod that names a controller owner: it folds into that owner's workload.</summary>
public sealed record OwnedPod(string Namespace, string Name, string OwnerKind, string OwnerName, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<ContainerPortInfo> Ports, SourceLocation Location, int Document);

/// <summary>
/// What the connectivity analysis reads from manifests, in compact form (no document trees), with the
/// problems found while reading. Inputs read in parallel are merged in input order.
/// </summary>
public sealed class NetworkInputs
{
    public List<NetpolNamespace> Namespaces { get; } = [];

    public List<NetpolWorkload> Workloads { get; } = [];

    public List<OwnedPod> OwnedPods { get; } = [];

    public List<PolicyDefinition> Policies { get; } = [];

    public List<ServiceDefinition> Services { get; } = [];

    public List<IngressDefinition> Ingresses { get; } = [];

    public List<NetpolDiagnostic> Diagnostics { get; } = [];

    public void Add(NetworkInputs other)
    {
        Namespaces.AddRange(other.Namespaces);
        Workloads.AddRange(other.Workloads);
        OwnedPods.AddRange(other.OwnedPods);
        Policies.AddRange(other.Policies);
        Services.AddRange(other.Services);
        Ingresses.AddRange(other.Ingresses);
        Diagnostics.AddRange(other.Diagnostics);
    }

    public static NetworkInputs Merge(IEnumerable<NetworkInputs> parts)
    {
        var result = new NetworkInputs();
        foreach (var part in parts)
        {
            result.Add(part);
        }

        return result;
    }
}
