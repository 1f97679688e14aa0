using System.Collections.Frozen;
using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Baseline: only namespaced sysctls that are isolated from other pods are allowed. The safe set grew in
/// v1.27, v1.29, v1.32 and v1.37.
/// </summary>
internal static class SysctlsCheck
{
    private static readonly string[] SafeV1Dot0 =
    [
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    ];

    private static readonly string[] SafeV1Dot27 = [.. SafeV1Dot0, "net.ipv4.ip_local_reserved_ports"];

    private static readonly string[] SafeV1Dot29 =
    [
        .. SafeV1Dot27,
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    ];

    private static readonly string[] SafeV1Dot32 = [.. SafeV1Dot29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];

    private static readonly string[] SafeV1Dot37 = [.. SafeV1Dot32, "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];

    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.Sysctls,
        PodSecurityLevel.Baseline,
        [Revision(0, SafeV1Dot0), Revision(27, SafeV1Dot27), Revision(29, SafeV1Dot29), Revision(32, SafeV1Dot32), Revision(37, SafeV1Dot37)]);

    private static VersionedCheck Revision(int minor, string[] safe)
    {
        var set = safe.ToFrozenSet(StringComparer.Ordinal);
        return new VersionedCheck(minor, pod => Evaluate(pod, set));
    }

    private static PodSecurityViolation? Evaluate(PodView pod, FrozenSet<string> safe)
    {
        var forbidden = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var sysctl in PodFields.Mappings(pod.SecurityContext, "sysctls"))
        {
            var name = PodFields.String(sysctl, "name");
            if (!safe.Contains(name))
            {
                forbidden.Add(name);
                locations.Add(PodFields.Set(sysctl, "name") is { } entry ? pod.At(entry) : pod.At(sysctl));
            }
        }

        return forbidden.Count == 0 ? null : Definition.Violation("forbidden sysctls", string.Join(", ", forbidden), locations);
    }
}
