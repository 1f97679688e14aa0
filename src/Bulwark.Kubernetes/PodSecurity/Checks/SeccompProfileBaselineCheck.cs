using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Baseline: a seccomp profile, where one is given, must be the runtime default or a localhost profile.
/// Before v1.19 the alpha annotations are checked; from v1.19 the <c>seccompProfile</c> fields are.
/// </summary>
internal static class SeccompProfileBaselineCheck
{
    private const string PodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string ContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.SeccompProfileBaseline,
        PodSecurityLevel.Baseline,
        [new(0, V1Dot0), new(19, V1Dot19)]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var forbidden = new List<string>();
        var locations = new List<SourceLocation>();
        Inspect(PodAnnotation);
        foreach (var container in pod.Containers)
        {
            Inspect(ContainerAnnotationPrefix + container.Name);
        }

        if (forbidden.Count == 0)
        {
            return null;
        }

        var sorted = UpstreamWording.SortedSet(forbidden);
        return Definition.Violation(
            "seccompProfile",
            $"forbidden {UpstreamWording.Pluralize("annotation", "annotations", sorted.Count)} {string.Join(", ", sorted)}",
            locations);

        void Inspect(string key)
        {
            if (pod.Annotation(key) is { } annotation && !ValidAnnotationValue(annotation.Value))
            {
                forbidden.Add($"{key}={UpstreamWording.GoQuote(annotation.Value)}");
                locations.Add(pod.At(annotation.KeyNode));
            }
        }
    }

    private static PodSecurityViolation? V1Dot19(PodView pod)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var locations = new List<SourceLocation>();
        if (SeccompProfile.Type(pod.SecurityContext) is { } podType && !SeccompProfile.ValidType(podType))
        {
            setters.Add("pod");
            values.Add(podType);
            locations.Add(SeccompProfile.TypeLocation(pod, pod.SecurityContext!));
        }

        var badContainers = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (SeccompProfile.Type(container.SecurityContext) is { } type && !SeccompProfile.ValidType(type))
            {
                badContainers.Add(container.Name);
                values.Add(type);
                locations.Add(SeccompProfile.TypeLocation(pod, container.SecurityContext!));
            }
        }

        if (badContainers.Count > 0)
        {
            setters.Add(UpstreamWording.Containers(badContainers));
        }

        return setters.Count == 0
            ? null
            : Definition.Violation(
                "seccompProfile",
                $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {UpstreamWording.JoinQuote(UpstreamWording.SortedSet(values))}",
                locations);
    }

    private static bool ValidAnnotationValue(string value) =>
        value is "runtime/default" or "docker/default" || value.StartsWith("localhost/", StringComparison.Ordinal);
}
