namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Restricted (v1.35+): the default masked <c>/proc</c> stays mandatory even for user-namespace pods.
/// Replaces the relaxed baseline <c>procMount</c> check at the restricted level.
/// </summary>
internal static class ProcMountRestrictedCheck
{
    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.ProcMountRestricted,
        PodSecurityLevel.Restricted,
        [new(35, pod => ProcMountCheck.Evaluate(pod, PodSecurityCheckIds.ProcMountRestricted), [PodSecurityCheckIds.ProcMount])]);
}
