using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Restricted (v1.23+): neither the pod nor a container may set <c>runAsUser: 0</c>. From v1.35
/// user-namespace pods are exempt.
/// </summary>
internal static class RunAsUserCheck
{
    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.RunAsUser,
        PodSecurityLevel.Restricted,
        [new(23, V1Dot23), new(35, V1Dot35)]);

    private static PodSecurityViolation? V1Dot35(PodView pod) => pod.UsesUserNamespace ? null : V1Dot23(pod);

    private static PodSecurityViolation? V1Dot23(PodView pod)
    {
        var setters = new List<string>();
        var locations = new List<SourceLocation>();
        if (PodFields.Int(pod.SecurityContext, "runAsUser") == 0)
        {
            setters.Add("pod");
            locations.Add(pod.At(pod.SecurityContext!.Entry("runAsUser")!.Value));
        }

        var bad = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (PodFields.Int(container.SecurityContext, "runAsUser") == 0)
            {
                bad.Add(container.Name);
                locations.Add(pod.At(container.SecurityContext!.Entry("runAsUser")!.Value));
            }
        }

        if (bad.Count > 0)
        {
            setters.Add(UpstreamWording.Containers(bad));
        }

        return setters.Count == 0
            ? null
            : Definition.Violation("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0", locations);
    }
}
