using System.Collections.Frozen;
using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>Baseline: containers may add only capabilities from the container runtime's default set (not NET_RAW).</summary>
internal static class CapabilitiesBaselineCheck
{
    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.CapabilitiesBaseline, PodSecurityLevel.Baseline, [new(0, V1Dot0)]);

    private static readonly FrozenSet<string> AllowedV1Dot0 = FrozenSet.Create(
        StringComparer.Ordinal,
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
        "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var bad = new List<string>();
        var capabilities = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            var valid = true;
            foreach (var item in PodFields.Items(PodFields.Struct(container.SecurityContext, "capabilities"), "add"))
            {
                var capability = PodFields.ItemString(item);
                if (!AllowedV1Dot0.Contains(capability))
                {
                    valid = false;
                    capabilities.Add(capability);
                    locations.Add(pod.At(item));
                }
            }

            if (!valid)
            {
                bad.Add(container.Name);
            }
        }

        return bad.Count == 0
            ? null
            : Definition.Violation(
                "non-default capabilities",
                $"{UpstreamWording.Containers(bad)} must not include {UpstreamWording.JoinQuote(UpstreamWording.SortedSet(capabilities))} in securityContext.capabilities.add",
                locations);
    }
}
