using System.Globalization;
using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>Baseline: no container port may set a non-zero <c>hostPort</c>.</summary>
internal static class HostPortsCheck
{
    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.HostPorts, PodSecurityLevel.Baseline, [new(0, V1Dot0)]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var bad = new List<string>();
        var ports = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            var valid = true;
            foreach (var port in PodFields.Mappings(container.Node, "ports"))
            {
                if (PodFields.Int(port, "hostPort") is { } hostPort && hostPort != 0)
                {
                    valid = false;
                    ports.Add(hostPort.ToString(CultureInfo.InvariantCulture));
                    locations.Add(pod.At(port.Entry("hostPort")!.Value));
                }
            }

            if (!valid)
            {
                bad.Add(container.Name);
            }
        }

        if (bad.Count == 0)
        {
            return null;
        }

        var distinct = UpstreamWording.SortedSet(ports);
        return Definition.Violation(
            "hostPort",
            $"{UpstreamWording.Containers(bad)} {UpstreamWording.Pluralize("uses", "use", bad.Count)} {UpstreamWording.Pluralize("hostPort", "hostPorts", distinct.Count)} {string.Join(", ", distinct)}",
            locations);
    }
}
