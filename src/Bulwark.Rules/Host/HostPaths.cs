namespace Bulwark.Rules.Host;

/// <summary>What a host path gives a container: a container runtime's API socket, or a sensitive part of the host.</summary>
public static class HostPaths
{
    private static readonly string[] RuntimeSocketNames =
    [
        "docker.sock", "containerd.sock", "crio.sock", "podman.sock", "cri-dockerd.sock", "dockershim.sock", "buildkitd.sock",
    ];

    /// <summary>Folders that hold runtime sockets: mounting them hands over the socket too.</summary>
    private static readonly string[] RuntimeSocketFolders =
    [
        "/var/run", "/run", "/var/run/docker", "/run/docker", "/var/run/containerd", "/run/containerd", "/var/run/crio", "/run/crio",
        "/var/run/podman", "/run/podman", "/run/user", "/var/run/cri-dockerd", "/run/buildkit",
    ];

    private static readonly string[] SensitivePrefixes =
    [
        "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/home", "/lib/modules", "/var/lib/kubelet", "/var/lib/docker",
        "/var/lib/containerd", "/var/lib/etcd", "/etc/kubernetes", "/var/run", "/run", "/usr", "/bin", "/sbin", "/lib",
    ];

    public static string Normalize(string path)
    {
        var trimmed = path.Trim();
        while (trimmed.Length > 1 && trimmed.EndsWith('/'))
        {
            trimmed = trimmed[..^1];
        }

        return trimmed.Replace("//", "/", StringComparison.Ordinal);
    }

    /// <summary>The runtime socket this path exposes, or null.</summary>
    public static string? RuntimeSocket(string path)
    {
        var normalized = Normalize(path);
        var name = normalized[(normalized.LastIndexOf('/') + 1)..];
        if (RuntimeSocketNames.Contains(name, StringComparer.Ordinal))
        {
            return normalized;
        }

        return RuntimeSocketFolders.Contains(normalized, StringComparer.Ordinal) ? normalized + " (folder of container runtime sockets)" : null;
    }

    public static bool IsHostRoot(string path) => Normalize(path) == "/";

    /// <summary>A path relative to the Compose project (<c>.</c>, <c>./src</c>, <c>config/app.yaml</c>), not <c>~</c> or absolute.</summary>
    public static bool IsProjectRelative(string path)
    {
        var trimmed = path.Trim();
        return trimmed.Length > 0 && trimmed[0] is not ('/' or '~' or '\\') && !(trimmed.Length > 1 && trimmed[1] == ':') && !trimmed.StartsWith("..", StringComparison.Ordinal);
    }

    public static bool IsSensitive(string path)
    {
        var normalized = Normalize(path);
        return normalized == "/" || SensitivePrefixes.Any(p => normalized == p || normalized.StartsWith(p + "/", StringComparison.Ordinal));
    }
}
