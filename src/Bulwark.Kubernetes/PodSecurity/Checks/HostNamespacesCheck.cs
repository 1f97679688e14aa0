using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>Baseline: the pod must not share the host's network, PID or IPC namespace.</summary>
internal static class HostNamespacesCheck
{
    public static PodSecurityCheck Definition { get; } = new(PodSecurityCheckIds.HostNamespaces, PodSecurityLevel.Baseline, [new(0, V1Dot0)]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var shared = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var field in (ReadOnlySpan<string>)["hostNetwork", "hostPID", "hostIPC"])
        {
            if (PodFields.Bool(pod.Spec, field) == true)
            {
                shared.Add(field + "=true");
                locations.Add(pod.At(pod.Spec.Entry(field)!.Value));
            }
        }

        return shared.Count == 0 ? null : Definition.Violation("host namespaces", string.Join(", ", shared), locations);
    }
}
