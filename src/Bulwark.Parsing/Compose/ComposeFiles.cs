using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Compose;

/// <summary>Recognises Compose files by name and by content.</summary>
public static class ComposeFiles
{
    private static readonly string[] CanonicalNames = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

    /// <summary>Service keys that mark a mapping as a Compose service definition.</summary>
    private static readonly HashSet<string> TypicalServiceKeys = new(StringComparer.Ordinal)
    {
        "image", "build", "command", "entrypoint", "ports", "volumes", "environment", "env_file", "depends_on", "networks",
        "container_name", "restart", "extends", "expose", "healthcheck", "privileged", "cap_add", "cap_drop", "security_opt",
        "network_mode", "user", "working_dir", "labels", "deploy", "profiles", "secrets", "configs", "devices", "read_only",
        "tmpfs", "logging", "ulimits", "sysctls", "pid", "ipc", "hostname", "links", "volumes_from", "stdin_open", "tty",
    };

    /// <summary>
    /// <c>compose.yaml</c>, <c>compose.yml</c>, <c>docker-compose.yml</c>, <c>docker-compose.yaml</c>, and
    /// <c>compose.*.yaml|yml</c> / <c>docker-compose.*.yml|yaml</c> such as <c>compose.override.yaml</c>.
    /// </summary>
    public static bool IsComposeFileName(string path)
    {
        var name = Path.GetFileName(path);
        if (CanonicalNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var prefix in (string[])["docker-compose.", "compose."])
        {
            if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var extension in (string[])[".yml", ".yaml"])
            {
                if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length + extension.Length)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// True for a document with a top-level <c>services</c> mapping whose values are service mappings, at least one
    /// with a key typical of Compose (image, build, command, ports, volumes, environment…), and no
    /// <c>apiVersion</c>/<c>kind</c> (which would make it a Kubernetes object).
    /// </summary>
    public static bool LooksLikeCompose(DocNode? root)
    {
        if (root is not DocMapping map || map["apiVersion"] is not null || map["kind"] is not null)
        {
            return false;
        }

        if (map["services"] is not DocMapping services || services.Entries.Count == 0)
        {
            return false;
        }

        var typical = false;
        foreach (var entry in services.Entries)
        {
            switch (entry.Value)
            {
                case DocMapping service:
                    typical |= service.Entries.Any(e => e.KeyText is { } key && TypicalServiceKeys.Contains(key));
                    break;
                case DocScalar { IsNull: true }:
                    break;
                default:
                    return false;
            }
        }

        return typical;
    }
}
