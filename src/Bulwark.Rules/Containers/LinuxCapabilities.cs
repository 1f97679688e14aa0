using Bulwark.Core.Findings;

namespace Bulwark.Rules.Containers;

/// <summary>Facts about Linux capabilities that several rules share.</summary>
public static class LinuxCapabilities
{
    /// <summary>The capabilities Docker, containerd and Podman grant a container by default.</summary>
    public static readonly HashSet<string> RuntimeDefaults = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP",
        "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    /// <summary>Upper-case without a <c>CAP_</c> prefix, as Docker accepts both spellings.</summary>
    public static string Normalize(string capability)
    {
        var upper = capability.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
    }

    /// <summary>How much adding <paramref name="capability"/> (normalized) hands over.</summary>
    public static Severity SeverityOf(string capability) => capability switch
    {
        "ALL" or "SYS_ADMIN" or "SYS_MODULE" or "SYS_RAWIO" or "DAC_READ_SEARCH" or "BPF" => Severity.Critical,
        "SYS_PTRACE" or "NET_ADMIN" or "SYS_BOOT" or "MAC_ADMIN" or "MAC_OVERRIDE" or "SYS_TIME" or "SYSLOG" or "PERFMON" or "SYS_RESOURCE" or "LINUX_IMMUTABLE" => Severity.High,
        "NET_RAW" or "DAC_OVERRIDE" or "SETUID" or "SETGID" or "SETPCAP" or "SETFCAP" or "CHOWN" or "FOWNER" or "MKNOD" or "SYS_CHROOT" or "AUDIT_CONTROL" or "IPC_LOCK" or "IPC_OWNER" or "NET_BROADCAST" or "WAKE_ALARM" or "BLOCK_SUSPEND" or "CHECKPOINT_RESTORE" or "SYS_NICE" or "SYS_PACCT" or "SYS_TTY_CONFIG" or "LEASE" => Severity.Medium,
        _ => Severity.Low,
    };
}
