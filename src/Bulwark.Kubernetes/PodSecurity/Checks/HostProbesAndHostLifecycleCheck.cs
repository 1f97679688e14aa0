using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Baseline (v1.34+): probes and lifecycle handlers may not name a <c>host</c>, which would let the kubelet
/// reach arbitrary addresses on the pod's behalf.
/// </summary>
internal static class HostProbesAndHostLifecycleCheck
{
    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.HostProbesAndHostLifecycle, PodSecurityLevel.Baseline, [new(34, V1Dot34)]);

    private static PodSecurityViolation? V1Dot34(PodView pod)
    {
        var containers = new List<string>();
        var hosts = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            var bad = false;
            foreach (var probe in (ReadOnlySpan<string>)["livenessProbe", "readinessProbe", "startupProbe"])
            {
                bad |= Inspect(PodFields.Struct(container.Node, probe));
            }

            var lifecycle = PodFields.Struct(container.Node, "lifecycle");
            bad |= Inspect(PodFields.Struct(lifecycle, "postStart"));
            bad |= Inspect(PodFields.Struct(lifecycle, "preStop"));
            if (bad)
            {
                containers.Add(container.Name);
            }
        }

        if (containers.Count == 0)
        {
            return null;
        }

        var badContainers = UpstreamWording.SortedSet(containers);
        var badHosts = UpstreamWording.SortedSet(hosts);
        return Definition.Violation(
            "probe or lifecycle host",
            $"{UpstreamWording.Containers(badContainers)} {UpstreamWording.Pluralize("uses", "use", badContainers.Count)} {UpstreamWording.Pluralize("probe or lifecycle host", "probe or lifecycle hosts", badHosts.Count)} {UpstreamWording.JoinQuote(badHosts)}",
            locations);

        bool Inspect(DocMapping? handler)
        {
            var found = false;
            foreach (var action in (ReadOnlySpan<string>)["httpGet", "tcpSocket"])
            {
                var target = PodFields.Struct(handler, action);
                var host = PodFields.String(target, "host");
                if (host.Length > 0)
                {
                    found = true;
                    hosts.Add(host);
                    locations.Add(pod.At(target!.Entry("host")!.Value));
                }
            }

            return found;
        }
    }
}
