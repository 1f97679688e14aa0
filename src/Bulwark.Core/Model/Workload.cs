using Bulwark.Core.Findings;
using Bulwark.Core.Rules;

namespace Bulwark.Core.Model;

/// <summary>
/// The shared security model of something that runs containers: a Kubernetes pod template, a Compose
/// service, a running Docker container. Sources map into it, keeping where each value came from, so one
/// container rule serves every source with the same ID and meaning.
/// A <c>null</c> setting means the source does not set it; the rule decides what the default means.
/// </summary>
public sealed class Workload : IScanTarget
{
    public required SourceKind Source { get; init; }

    public required SourceLocation Location { get; init; }

    public required int Document { get; init; }

    public required ObjectReference Object { get; init; }

    /// <summary>Nearest existing place for pod-level settings (the pod spec, or the object when it has none).</summary>
    public required SourceLocation SpecLocation { get; init; }

    /// <summary>Nearest existing place for pod-level security settings (the pod securityContext, else <see cref="SpecLocation"/>).</summary>
    public required SourceLocation SecurityContextLocation { get; init; }

    public Located<bool>? HostNetwork { get; init; }

    public Located<bool>? HostPid { get; init; }

    public Located<bool>? HostIpc { get; init; }

    /// <summary>Kubernetes <c>hostUsers</c>, Docker <c>userns_mode: host</c> (as true).</summary>
    public Located<bool>? HostUsers { get; init; }

    /// <summary>Kubernetes service account; null when the source has no such concept or leaves it unset.</summary>
    public Located<string>? ServiceAccountName { get; init; }

    public Located<bool>? AutomountServiceAccountToken { get; init; }

    /// <summary>True for sources with service accounts (Kubernetes); rules about accounts skip the others.</summary>
    public bool HasServiceAccounts { get; init; }

    /// <summary>Labels of the pods (Kubernetes pod template labels) or of the service (Compose); what selectors match.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = EmptyLabels;

    public List<Located<Sysctl>> Sysctls { get; init; } = [];

    public List<VolumeSpec> Volumes { get; init; } = [];

    public List<ContainerSpec> Containers { get; init; } = [];

    /// <summary>Operating system the pod declares (<c>spec.os.name</c>), if any.</summary>
    public string? OperatingSystem { get; init; }

    private static readonly Dictionary<string, string> EmptyLabels = new(StringComparer.Ordinal);
}

public sealed record Sysctl(string Name, string? Value);

/// <summary>
/// A storage source: a Kubernetes volume, or a Compose/Docker bind mount or volume. <see cref="HostPath"/>
/// is set when the source is a path on the host.
/// </summary>
public sealed record VolumeSpec(string Name, string Type, SourceLocation Location)
{
    public Located<string>? HostPath { get; init; }

    /// <summary>Containers mounting this volume, and whether every mount of it is read-only.</summary>
    public bool ReadOnly { get; init; }
}
