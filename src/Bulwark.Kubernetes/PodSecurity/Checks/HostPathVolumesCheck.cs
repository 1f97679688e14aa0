using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>Baseline: no <c>hostPath</c> volumes.</summary>
internal static class HostPathVolumesCheck
{
    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.HostPathVolumes, PodSecurityLevel.Baseline, [new(0, V1Dot0)]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var bad = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var volume in PodFields.Mappings(pod.Spec, "volumes"))
        {
            if (PodFields.Set(volume, "hostPath") is { } hostPath)
            {
                bad.Add(PodFields.String(volume, "name"));
                locations.Add(pod.At(hostPath));
            }
        }

        return bad.Count == 0
            ? null
            : Definition.Violation("hostPath volumes", $"{UpstreamWording.Pluralize("volume", "volumes", bad.Count)} {UpstreamWording.JoinQuote(bad)}", locations);
    }
}
