using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Restricted (v1.19+): a seccomp profile of RuntimeDefault or Localhost must be set, at the pod level or on
/// every container. Replaces <c>seccompProfile_baseline</c> at the restricted level; from v1.25 Windows pods
/// are exempt.
/// </summary>
internal static class SeccompProfileRestrictedCheck
{
    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.SeccompProfileRestricted,
        PodSecurityLevel.Restricted,
        [
            new(19, V1Dot19, [PodSecurityCheckIds.SeccompProfileBaseline]),
            new(25, V1Dot25, [PodSecurityCheckIds.SeccompProfileBaseline]),
        ]);

    private static PodSecurityViolation? V1Dot25(PodView pod) => pod.IsWindows ? null : V1Dot19(pod);

    private static PodSecurityViolation? V1Dot19(PodView pod)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var explicitLocations = new List<SourceLocation>();
        var podSet = false;
        if (SeccompProfile.Type(pod.SecurityContext) is { } podType)
        {
            if (SeccompProfile.ValidType(podType))
            {
                podSet = true;
            }
            else
            {
                setters.Add("pod");
                values.Add(podType);
                explicitLocations.Add(SeccompProfile.TypeLocation(pod, pod.SecurityContext!));
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        var implicitLocations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            if (SeccompProfile.Type(container.SecurityContext) is { } type)
            {
                if (!SeccompProfile.ValidType(type))
                {
                    explicitlyBad.Add(container.Name);
                    values.Add(type);
                    explicitLocations.Add(SeccompProfile.TypeLocation(pod, container.SecurityContext!));
                }
            }
            else if (!podSet)
            {
                implicitlyBad.Add(container.Name);
                implicitLocations.Add(container.SecurityContextOrSelf);
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(UpstreamWording.Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return Definition.Violation(
                "seccompProfile",
                $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {UpstreamWording.JoinQuote(UpstreamWording.SortedSet(values))}",
                explicitLocations);
        }

        return implicitlyBad.Count == 0
            ? null
            : Definition.Violation(
                "seccompProfile",
                $"pod or {UpstreamWording.Containers(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                implicitLocations);
    }
}
