using Bulwark.Core.Findings;

namespace Bulwark.Rules.Seccomp;

/// <summary>
/// System calls a container should not be able to make: the ones Docker's default profile blocks or allows
/// only with a capability because they reach past the container (kernel modules, kexec, mounts, namespaces,
/// BPF, tracing other processes, kernel keyrings, file handles that escape the mount namespace).
/// </summary>
public static class DangerousSyscalls
{
    private static readonly Dictionary<string, (Severity Severity, string Why)> Calls = new(StringComparer.Ordinal)
    {
        ["init_module"] = (Severity.Critical, "loads a kernel module"),
        ["finit_module"] = (Severity.Critical, "loads a kernel module"),
        ["delete_module"] = (Severity.High, "unloads a kernel module"),
        ["create_module"] = (Severity.High, "kernel module loading (obsolete)"),
        ["kexec_load"] = (Severity.Critical, "replaces the running kernel"),
        ["kexec_file_load"] = (Severity.Critical, "replaces the running kernel"),
        ["bpf"] = (Severity.Critical, "loads BPF programs into the kernel"),
        ["open_by_handle_at"] = (Severity.Critical, "opens host files by handle, escaping the mount namespace (the \"shocker\" escape)"),
        ["name_to_handle_at"] = (Severity.Medium, "obtains file handles usable with open_by_handle_at"),
        ["mount"] = (Severity.High, "mounts file systems"),
        ["umount"] = (Severity.High, "unmounts file systems"),
        ["umount2"] = (Severity.High, "unmounts file systems"),
        ["mount_setattr"] = (Severity.High, "changes mount attributes"),
        ["move_mount"] = (Severity.High, "moves mounts"),
        ["open_tree"] = (Severity.High, "clones mount trees"),
        ["fsopen"] = (Severity.High, "creates file system contexts for mounting"),
        ["fsconfig"] = (Severity.High, "configures file system contexts for mounting"),
        ["fsmount"] = (Severity.High, "mounts file system contexts"),
        ["fspick"] = (Severity.High, "reconfigures mounted file systems"),
        ["pivot_root"] = (Severity.High, "changes the root mount"),
        ["unshare"] = (Severity.High, "creates namespaces, a common first step of kernel exploits"),
        ["setns"] = (Severity.High, "joins other namespaces"),
        ["ptrace"] = (Severity.High, "traces other processes and reads their memory"),
        ["process_vm_readv"] = (Severity.High, "reads other processes' memory"),
        ["process_vm_writev"] = (Severity.High, "writes other processes' memory"),
        ["kcmp"] = (Severity.Medium, "compares kernel objects of other processes"),
        ["keyctl"] = (Severity.High, "manipulates kernel keyrings, which are not namespaced"),
        ["add_key"] = (Severity.High, "adds keys to kernel keyrings, which are not namespaced"),
        ["request_key"] = (Severity.High, "requests keys from kernel keyrings, which are not namespaced"),
        ["perf_event_open"] = (Severity.High, "opens performance monitoring, a source of kernel exploits and side channels"),
        ["userfaultfd"] = (Severity.High, "handles page faults in user space, widely used to win kernel races"),
        ["lookup_dcookie"] = (Severity.Medium, "reads kernel directory cookies"),
        ["quotactl"] = (Severity.Medium, "manipulates disk quotas"),
        ["swapon"] = (Severity.High, "enables swap devices"),
        ["swapoff"] = (Severity.High, "disables swap devices"),
        ["reboot"] = (Severity.High, "reboots the host"),
        ["syslog"] = (Severity.Medium, "reads the kernel log, which leaks kernel addresses"),
        ["acct"] = (Severity.Medium, "switches process accounting"),
        ["settimeofday"] = (Severity.Medium, "sets the host clock"),
        ["clock_settime"] = (Severity.Medium, "sets the host clock"),
        ["clock_adjtime"] = (Severity.Medium, "adjusts the host clock"),
        ["adjtimex"] = (Severity.Medium, "adjusts the host clock"),
        ["stime"] = (Severity.Medium, "sets the host clock"),
        ["iopl"] = (Severity.High, "raises the I/O privilege level"),
        ["ioperm"] = (Severity.High, "grants access to I/O ports"),
        ["vm86"] = (Severity.Medium, "enters virtual 8086 mode"),
        ["vm86old"] = (Severity.Medium, "enters virtual 8086 mode"),
        ["uselib"] = (Severity.Medium, "loads shared libraries the obsolete way"),
        ["nfsservctl"] = (Severity.Medium, "controls the kernel NFS daemon (obsolete)"),
        ["get_kernel_syms"] = (Severity.Medium, "reads kernel symbols (obsolete)"),
        ["query_module"] = (Severity.Medium, "queries kernel modules (obsolete)"),
    };

    public static IEnumerable<string> All => Calls.Keys;

    public static bool TryGet(string name, out Severity severity, out string why)
    {
        if (Calls.TryGetValue(name, out var entry))
        {
            (severity, why) = entry;
            return true;
        }

        severity = Severity.Info;
        why = string.Empty;
        return false;
    }
}
