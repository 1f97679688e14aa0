using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Restricted: containers must run as non-root, declared with <c>runAsNonRoot: true</c> at the pod level or
/// on every container; an explicit <c>false</c> anywhere fails. From v1.35 user-namespace pods are exempt.
/// </summary>
internal static class RunAsNonRootCheck
{
    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.RunAsNonRoot,
        PodSecurityLevel.Restricted,
        [new(0, V1Dot0), new(35, V1Dot35)]);

    private static PodSecurityViolation? V1Dot35(PodView pod) => pod.UsesUserNamespace ? null : V1Dot0(pod);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var setters = new List<string>();
        var explicitLocations = new List<SourceLocation>();
        var podValue = PodFields.Bool(pod.SecurityContext, "runAsNonRoot");
        if (podValue == false)
        {
            setters.Add("pod");
            explicitLocations.Add(pod.At(pod.SecurityContext!.Entry("runAsNonRoot")!.Value));
        }

        var podRunsAsNonRoot = podValue == true;
        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        var implicitLocations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            var value = PodFields.Bool(container.SecurityContext, "runAsNonRoot");
            if (value == false)
            {
                explicitlyBad.Add(container.Name);
                explicitLocations.Add(pod.At(container.SecurityContext!.Entry("runAsNonRoot")!.Value));
            }
            else if (value is null && !podRunsAsNonRoot)
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
                "runAsNonRoot != true",
                $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false",
                explicitLocations);
        }

        return implicitlyBad.Count == 0
            ? null
            : Definition.Violation(
                "runAsNonRoot != true",
                $"pod or {UpstreamWording.Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true",
                implicitLocations);
    }
}
