using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Restricted (v1.8+): every container must set <c>allowPrivilegeEscalation: false</c> explicitly.
/// From v1.25 Windows pods are exempt.
/// </summary>
internal static class AllowPrivilegeEscalationCheck
{
    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.AllowPrivilegeEscalation,
        PodSecurityLevel.Restricted,
        [new(8, V1Dot8), new(25, V1Dot25)]);

    private static PodSecurityViolation? V1Dot25(PodView pod) => pod.IsWindows ? null : V1Dot8(pod);

    private static PodSecurityViolation? V1Dot8(PodView pod)
    {
        var bad = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            if (PodFields.Bool(container.SecurityContext, "allowPrivilegeEscalation") != false)
            {
                bad.Add(container.Name);
                locations.Add(PodFields.Set(container.SecurityContext, "allowPrivilegeEscalation") is { } entry
                    ? pod.At(entry)
                    : container.SecurityContextOrSelf);
            }
        }

        return bad.Count == 0
            ? null
            : Definition.Violation(
                "allowPrivilegeEscalation != false",
                $"{UpstreamWording.Containers(bad)} must set securityContext.allowPrivilegeEscalation=false",
                locations);
    }
}
