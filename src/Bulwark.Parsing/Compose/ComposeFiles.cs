using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Compose;

/// <summary>Recognises Compose files by name and by content.</summary>
public static class ComposeFiles
{
    private static readonly string[] CanonicalNames = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

    /// <summary>Fig, Compose's predecessor, read <c>fig.yml</c>; such files are Compose version 1.</summary>
    private static readonly string[] FigNames = ["fig.yml", "fig.yaml"];

    /// <summary>Service keys that mark a mapping as a Compose service definition.</summary>
    private static readonly HashSet<string> TypicalServiceKeys = new(StringComparer.Ordinal)
    {
        "image", "build", "command", "entrypoint", "ports", "volumes", "environment", "env_file", "depends_on", "networks",
        "container_name", "restart", "extends", "expose", "healthcheck", "privileged", "cap_add", "cap_drop", "security_opt",
        "network_mode", "user", "working_dir", "labels", "deploy", "profiles", "secrets", "configs", "devices", "read_only",
        "tmpfs", "logging", "ulimits", "sysctls", "pid", "ipc", "hostname", "links", "volumes_from", "stdin_open", "tty",
    };

    /// <summary>
    /// <c>compose.yaml</c>, <c>compose.yml</c>, <c>docker-compose.yml</c>, <c>docker-compose.yaml</c>,
    /// <c>compose.*.yaml|yml</c> / <c>docker-compose.*.yml|yaml</c> such as <c>compose.override.yaml</c>, and Fig's
    /// <c>fig.yml</c>.
    /// </summary>
    public static bool IsComposeFileName(string path)
    {
        var name = Path.GetFileName(path);
        if (CanonicalNames.Contains(name, StringComparer.OrdinalIgnoreCase) || FigNames.Contains(name, StringComparer.OrdinalIgnoreCase))
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

    /// <summary>
    /// True for a Compose file of format version 1 (Fig's and Compose's before 1.6): the services are the top-level
    /// keys, with no <c>services</c> key. Every top-level value is a service mapping, at least one names an
    /// <c>image</c> or a <c>build</c>, and no top-level key belongs to the later formats or to Kubernetes. A file
    /// not named as a Compose file must look more surely like one (<paramref name="namedAsCompose"/> false): every key
    /// of every service is a Compose service key, and images are strings, so that a Helm values file with
    /// <c>image:</c> maps is not taken for one.
    /// </summary>
    public static bool LooksLikeLegacyCompose(DocNode? root, bool namedAsCompose)
    {
        if (root is not DocMapping map || map.Entries.Count == 0)
        {
            return false;
        }

        var buildsOrRuns = false;
        foreach (var entry in map.Entries)
        {
            if (entry.KeyText is not { } key || LaterFormatKeys.Contains(key) || key.StartsWith("x-", StringComparison.Ordinal)
                || entry.Value is not DocMapping service || !service.Entries.Any(e => e.KeyText is { } k && TypicalServiceKeys.Contains(k)))
            {
                return false;
            }

            if (!namedAsCompose && (service["image"] is { } image and not DocScalar
                || service.Entries.Any(e => e.KeyText is not { } k || !(TypicalServiceKeys.Contains(k) || Version1ServiceKeys.Contains(k)))))
            {
                return false;
            }

            buildsOrRuns |= service["image"] is not null || service["build"] is not null;
        }

        return buildsOrRuns;
    }

    /// <summary>Service keys of format version 1 beyond <see cref="TypicalServiceKeys"/>.</summary>
    private static readonly HashSet<string> Version1ServiceKeys = new(StringComparer.Ordinal)
    {
        "cgroup_parent", "cpu_shares", "cpu_quota", "cpuset", "dns", "dns_search", "dockerfile", "domainname", "external_links",
        "extra_hosts", "log_driver", "log_opt", "mac_address", "mem_limit", "memswap_limit", "mem_swappiness", "net", "oom_score_adj",
        "shm_size", "stop_signal", "ulimits", "volume_driver",
    };

    /// <summary>Top-level keys of Compose format 2 and later, and of Kubernetes objects: a file with one is not version 1.</summary>
    private static readonly HashSet<string> LaterFormatKeys = new(StringComparer.Ordinal)
    {
        "version", "services", "networks", "volumes", "secrets", "configs", "include", "name", "models", "apiVersion", "kind",
    };
}
