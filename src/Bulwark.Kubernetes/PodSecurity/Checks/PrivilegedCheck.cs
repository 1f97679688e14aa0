using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>Baseline: no container may set <c>securityContext.privileged: true</c>.</summary>
internal static class PrivilegedCheck
{
    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.Privileged, PodSecurityLevel.Baseline, [new(0, V1Dot0)]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var bad = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            if (PodFields.Bool(container.SecurityContext, "privileged") == true)
            {
                bad.Add(container.Name);
                locations.Add(pod.At(container.SecurityContext!.Entry("privileged")!.Value));
            }
        }

        return bad.Count == 0
            ? null
            : Definition.Violation("privileged", $"{UpstreamWording.Containers(bad)} must not set securityContext.privileged=true", locations);
    }
}
