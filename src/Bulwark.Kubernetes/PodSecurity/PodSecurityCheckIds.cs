using System.Collections.Immutable;

namespace Bulwark.Kubernetes.PodSecurity;

/// <summary>The check IDs of upstream pod-security-admission, spelled exactly (and case-sensitively) as upstream.</summary>
public static class PodSecurityCheckIds
{
    public const string HostNamespaces = "hostNamespaces";
    public const string Privileged = "privileged";
    public const string CapabilitiesBaseline = "capabilities_baseline";
    public const string HostPathVolumes = "hostPathVolumes";
    public const string HostPorts = "hostPorts";
    public const string AppArmorProfile = "appArmorProfile";
    public const string SeLinuxOptions = "seLinuxOptions";
    public const string ProcMount = "procMount";
    public const string SeccompProfileBaseline = "seccompProfile_baseline";
    public const string Sysctls = "sysctls";
    public const string WindowsHostProcess = "windowsHostProcess";
    public const string HostProbesAndHostLifecycle = "hostProbesAndHostLifecycle";
    public const string RestrictedVolumes = "restrictedVolumes";
    public const string AllowPrivilegeEscalation = "allowPrivilegeEscalation";
    public const string RunAsNonRoot = "runAsNonRoot";
    public const string RunAsUser = "runAsUser";
    public const string SeccompProfileRestricted = "seccompProfile_restricted";
    public const string CapabilitiesRestricted = "capabilities_restricted";
    public const string ProcMountRestricted = "procMount_restricted";

    /// <summary>All 19 IDs: the 12 baseline checks, then the 7 restricted ones (the order of the BW9001..BW9019 rules).</summary>
    public static ImmutableArray<string> All { get; } =
    [
        HostNamespaces, Privileged, CapabilitiesBaseline, HostPathVolumes, HostPorts, AppArmorProfile, SeLinuxOptions,
        ProcMount, SeccompProfileBaseline, Sysctls, WindowsHostProcess, HostProbesAndHostLifecycle,
        RestrictedVolumes, AllowPrivilegeEscalation, RunAsNonRoot, RunAsUser, SeccompProfileRestricted,
        CapabilitiesRestricted, ProcMountRestricted,
    ];
}
