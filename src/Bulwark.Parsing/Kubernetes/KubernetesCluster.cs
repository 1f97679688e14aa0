using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Parsing.Kubernetes;

/// <summary>
/// Everything a scan read that rules about relations between objects need: namespaces, network policies,
/// RBAC objects and service accounts as full objects, and every workload as a compact summary (a scan of
/// 50,000 objects must not hold every document tree). Rules over it (<c>Rule&lt;KubernetesCluster&gt;</c>)
/// report findings located on the objects they are about.
/// </summary>
public sealed class KubernetesCluster : IScanTarget
{
    /// <summary>Kinds kept whole for cluster rules; everything else is dropped once its own rules ran.</summary>
    public static readonly HashSet<string> RetainedKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "CiliumNetworkPolicy",
        "CiliumClusterwideNetworkPolicy", "GlobalNetworkPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
        "ServiceAccount", "Service", "Ingress", "Route",
    };

    public required IReadOnlyList<KubernetesObject> Objects { get; init; }

    public required IReadOnlyList<WorkloadSummary> Workloads { get; init; }

    public SourceKind Source => SourceKind.Kubernetes;

    public SourceLocation Location => default;

    public int Document => 0;

    public ObjectReference Object { get; } = new(null, "Cluster", null, null);

    public IEnumerable<KubernetesObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    /// <summary>
    /// Kept for cluster rules: the kinds above, and custom resources with no pod template of their own, from
    /// which an operator may create pods at runtime that no manifest shows (a Prometheus, a Kafka cluster). They
    /// are few and small next to workloads; rules only ask which namespaces hold them.
    /// </summary>
    public static bool Retains(KubernetesObject obj) => RetainedKinds.Contains(obj.Kind) || IsOperatorManaged(obj);

    /// <summary>A custom resource without a pod template that may stand for pods (not mere configuration): an operator creates them.</summary>
    public static bool IsOperatorManaged(KubernetesObject obj) =>
        !RetainedKinds.Contains(obj.Kind) && KubernetesApiGroups.IsCustomResource(obj)
        && !KubernetesApiGroups.IsConfigurationOnly(KubernetesApiGroups.GroupOf(obj.ApiVersion), obj.Kind) && obj.PodTemplate is null;
}

/// <summary>What cluster rules need of a workload: where it is, its pods' labels, ports and service account.</summary>
public sealed record WorkloadSummary(
    ObjectReference Object,
    int Document,
    SourceLocation Location,
    SourceLocation SpecLocation,
    IReadOnlyDictionary<string, string> PodLabels,
    IReadOnlyList<NamedPort> Ports,
    Located<string>? ServiceAccountName,
    Located<bool>? AutomountServiceAccountToken)
{
    public string Namespace => Object.Namespace ?? string.Empty;

    public static WorkloadSummary From(Workload workload) => new(
        workload.Object,
        workload.Document,
        workload.Location,
        workload.SpecLocation,
        workload.Labels,
        [.. workload.Containers.SelectMany(c => c.Ports.Where(p => p.ContainerPort is not null).Select(p => new NamedPort(c.Name, p.Name, p.ContainerPort!.Value, p.Protocol)))],
        workload.ServiceAccountName,
        workload.AutomountServiceAccountToken);
}

/// <summary>A container port, with its name for NetworkPolicy named ports.</summary>
public sealed record NamedPort(string Container, string? Name, int Port, string Protocol);
