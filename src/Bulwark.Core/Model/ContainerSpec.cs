using Bulwark.Core.Findings;

namespace Bulwark.Core.Model;

public enum ContainerKind
{
    Container,
    Init,
    Ephemeral,
}

/// <summary>
/// One container's security-relevant settings, each with where it was set. Values are effective values:
/// where a pod-level setting applies to the container unless overridden (Kubernetes runAsUser,
/// runAsNonRoot, seccomp, SELinux, AppArmor), the mapper resolves that and keeps the location of the
/// field that decided it.
/// </summary>
public sealed class ContainerSpec
{
    public required string Name { get; init; }

    public ContainerKind Kind { get; init; }

    public required SourceLocation Location { get; init; }

    /// <summary>Nearest existing place for container security settings (its securityContext, else the container).</summary>
    public required SourceLocation SecurityContextLocation { get; init; }

    public Located<string>? Image { get; init; }

    public Located<bool>? Privileged { get; init; }

    /// <summary>True when the container's image is built with elevated privileges (Compose <c>build.privileged</c>, the <c>security.insecure</c> entitlement).</summary>
    public Located<bool>? BuildPrivileged { get; init; }

    /// <summary>Kubernetes allowPrivilegeEscalation; Docker <c>no-new-privileges</c> maps to false.</summary>
    public Located<bool>? AllowPrivilegeEscalation { get; init; }

    public Located<bool>? ReadOnlyRootFilesystem { get; init; }

    public Located<bool>? RunAsNonRoot { get; init; }

    public Located<long>? RunAsUser { get; init; }

    public Located<long>? RunAsGroup { get; init; }

    /// <summary>A user named by name (Docker <c>user: root</c>); numeric users go to <see cref="RunAsUser"/>.</summary>
    public Located<string>? UserName { get; init; }

    /// <summary>Nearest existing place for capabilities (the capabilities block, else the security context).</summary>
    public SourceLocation? CapabilitiesLocation { get; init; }

    public List<Located<string>> CapabilitiesAdd { get; init; } = [];

    public List<Located<string>> CapabilitiesDrop { get; init; } = [];

    public Located<SecurityProfile>? Seccomp { get; init; }

    public Located<SecurityProfile>? AppArmor { get; init; }

    public Located<SeLinuxOptions>? SeLinux { get; init; }

    public Located<string>? ProcMount { get; init; }

    /// <summary>Windows <c>hostProcess</c> (effective: container, else pod).</summary>
    public Located<bool>? WindowsHostProcess { get; init; }

    /// <summary>CPU and memory limits; null values mean no limit is set.</summary>
    public ResourceLimits Limits { get; init; } = ResourceLimits.None;

    public List<PortSpec> Ports { get; init; } = [];

    public List<EnvVarSpec> Environment { get; init; } = [];

    /// <summary>Whole Secrets or ConfigMaps taken as environment variables (Kubernetes <c>envFrom</c>).</summary>
    public List<EnvFromSpec> EnvFrom { get; init; } = [];

    /// <summary>Host device paths passed into the container (Docker <c>--device</c>, Compose <c>devices</c>).</summary>
    public List<Located<string>> Devices { get; init; } = [];

    /// <summary>Device cgroup rules (<c>--device-cgroup-rule</c>, Compose <c>device_cgroup_rules</c>), e.g. <c>c 189:* rmw</c>.</summary>
    public List<Located<string>> DeviceCgroupRules { get; init; } = [];

    /// <summary>Names of the workload volumes this container mounts.</summary>
    public List<MountSpec> Mounts { get; init; } = [];
}

/// <summary>A seccomp or AppArmor profile: <c>RuntimeDefault</c>, <c>Localhost</c> (with a profile name) or <c>Unconfined</c>.</summary>
public sealed record SecurityProfile(string Type, string? LocalhostProfile = null)
{
    public bool IsUnconfined => string.Equals(Type, "Unconfined", StringComparison.OrdinalIgnoreCase);
}

/// <summary>CPU and memory limits, and the nearest place to add them (the resources block, else the container).</summary>
public sealed record ResourceLimits(Located<string>? Cpu, Located<string>? Memory, SourceLocation? Location)
{
    public static ResourceLimits None { get; } = new(null, null, null);
}

public sealed record SeLinuxOptions(string? User, string? Role, string? Type, string? Level);

public sealed record PortSpec(SourceLocation Location, int? ContainerPort, string Protocol)
{
    /// <summary>The host port the container port is bound to (Kubernetes hostPort, a Compose published port); null when none or chosen at random.</summary>
    public Located<int>? HostPort { get; init; }

    /// <summary>
    /// True when the runtime publishes the port on the host, on <see cref="HostPort"/> or on a random port: every
    /// Compose <c>ports:</c> entry and Docker port binding. A Kubernetes containerPort is not published.
    /// </summary>
    public bool Published { get; init; }

    /// <summary>The host address a published port is bound to as written (<c>127.0.0.1</c>, <c>::1</c>); null or empty: every interface.</summary>
    public Located<string>? HostIp { get; init; }

    /// <summary>True when a published port listens on every host interface: no host address, <c>0.0.0.0</c> or <c>::</c>.</summary>
    public bool OnAllInterfaces => Published && HostIp?.Value.Trim().Trim('[', ']') is null or "" or "0.0.0.0" or "::";

    public string? Name { get; init; }
}

/// <summary>An environment variable; <see cref="Value"/> is set only for literal values (not references to secrets).</summary>
public sealed record EnvVarSpec(Located<string> Name)
{
    public Located<string>? Value { get; init; }

    /// <summary>Where the value comes from when it is not literal (e.g. <c>secretKeyRef</c>).</summary>
    public string? ValueFrom { get; init; }

    /// <summary>The Secret the value is read from (Kubernetes <c>valueFrom.secretKeyRef</c>).</summary>
    public SecretReference? FromSecret { get; init; }

    /// <summary>
    /// Every workload of the input that takes this variable from the same written place (a YAML anchor, an
    /// <c>env_file</c> line), this one included, in input order; empty when only this one does.
    /// </summary>
    public IReadOnlyList<string> SharedWith { get; init; } = [];
}

/// <summary>One <c>envFrom</c> source; <see cref="FromSecret"/> is set for a <c>secretRef</c>.</summary>
public sealed record EnvFromSpec(SourceLocation Location)
{
    public SecretReference? FromSecret { get; init; }
}

/// <summary>A Kubernetes Secret values are read from, and the key when one value is.</summary>
public sealed record SecretReference(string Name, string? Key = null)
{
    public override string ToString() => Key is null ? $"Secret \"{Name}\"" : $"key \"{Key}\" of Secret \"{Name}\"";
}

public sealed record MountSpec(string VolumeName, string MountPath, SourceLocation Location)
{
    public bool ReadOnly { get; init; }
}
