using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Baseline: AppArmor may not be disabled or overridden with an arbitrary profile, neither through the
/// <c>appArmorProfile</c> fields (pod and containers) nor through the deprecated beta annotations.
/// One revision upstream, so the field check applies at every policy version.
/// </summary>
internal static class AppArmorProfileCheck
{
    private const string AnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.AppArmorProfile, PodSecurityLevel.Baseline, [new(0, V1Dot0)]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var locations = new List<SourceLocation>();

        if (BadProfileType(pod.SecurityContext) is { } podType)
        {
            setters.Add("pod");
            values.Add(podType);
            locations.Add(TypeLocation(pod, pod.SecurityContext!));
        }

        var badContainers = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (BadProfileType(container.SecurityContext) is { } type)
            {
                badContainers.Add(container.Name);
                values.Add(type);
                locations.Add(TypeLocation(pod, container.SecurityContext!));
            }
        }

        if (badContainers.Count > 0)
        {
            setters.Add(UpstreamWording.Containers(badContainers));
        }

        var badValues = UpstreamWording.SortedSet(values);
        var annotations = new List<string>();
        foreach (var annotation in pod.Annotations)
        {
            if (annotation.Key.StartsWith(AnnotationPrefix, StringComparison.Ordinal) && !AllowedAnnotationValue(annotation.Value))
            {
                annotations.Add($"{annotation.Key}={UpstreamWording.GoQuote(annotation.Value)}");
                locations.Add(pod.At(annotation.KeyNode));
            }
        }

        if (annotations.Count > 0)
        {
            badValues.AddRange(UpstreamWording.Sorted(annotations));
            setters.Add(UpstreamWording.Pluralize("annotation", "annotations", annotations.Count));
        }

        return setters.Count == 0
            ? null
            : Definition.Violation(
                UpstreamWording.Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValues.Count),
                $"{string.Join(" and ", setters)} must not set AppArmor profile type to {UpstreamWording.JoinQuote(badValues)}",
                locations);
    }

    /// <summary>The profile type when <c>appArmorProfile</c> is set to something other than RuntimeDefault or Localhost.</summary>
    private static string? BadProfileType(DocMapping? securityContext)
    {
        if (PodFields.Struct(securityContext, "appArmorProfile") is not { } profile)
        {
            return null;
        }

        var type = PodFields.String(profile, "type");
        return type is "RuntimeDefault" or "Localhost" ? null : type;
    }

    private static SourceLocation TypeLocation(PodView pod, DocMapping securityContext)
    {
        var profile = securityContext.Entry("appArmorProfile")!.Value;
        return PodFields.Set(profile.Value as DocMapping, "type") is { } type ? pod.At(type) : pod.At(profile);
    }

    private static bool AllowedAnnotationValue(string value) =>
        value.Length == 0 || value == "runtime/default" || value.StartsWith("localhost/", StringComparison.Ordinal);
}
