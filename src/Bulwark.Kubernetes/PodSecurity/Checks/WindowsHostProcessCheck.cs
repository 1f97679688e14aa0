using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>Baseline: neither the pod nor a container may run as a Windows HostProcess container.</summary>
internal static class WindowsHostProcessCheck
{
    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.WindowsHostProcess, PodSecurityLevel.Baseline, [new(0, V1Dot0)]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var setters = new List<string>();
        var locations = new List<SourceLocation>();
        if (HostProcessEntry(pod.SecurityContext) is { } podEntry)
        {
            setters.Add("pod");
            locations.Add(pod.At(podEntry));
        }

        var bad = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (HostProcessEntry(container.SecurityContext) is { } entry)
            {
                bad.Add(container.Name);
                locations.Add(pod.At(entry));
            }
        }

        if (bad.Count > 0)
        {
            setters.Add(UpstreamWording.Containers(bad));
        }

        return setters.Count == 0
            ? null
            : Definition.Violation("hostProcess", $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true", locations);
    }

    private static DocEntry? HostProcessEntry(DocMapping? securityContext)
    {
        var options = PodFields.Struct(securityContext, "windowsOptions");
        return PodFields.Bool(options, "hostProcess") == true ? options!.Entry("hostProcess") : null;
    }
}
