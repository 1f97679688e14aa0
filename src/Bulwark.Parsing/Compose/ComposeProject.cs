using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Model;

namespace Bulwark.Parsing.Compose;

/// <summary>
/// A loaded Compose project: its services after interpolation, <c>extends</c>, <c>include</c>, multi-document and
/// multi-file merges and profiles, every value located where it was written.
/// </summary>
public sealed class ComposeProject
{
    /// <summary>The <c>name</c> of the project, else <c>COMPOSE_PROJECT_NAME</c>, else its directory's name.</summary>
    public required string Name { get; init; }

    public required string MainFile { get; init; }

    /// <summary>The directory relative paths of the main file resolve against (the main file's, unless set).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>Every Compose file read: the main file, override files, and files reached by <c>extends</c> and <c>include</c>.</summary>
    public List<string> Files { get; init; } = [];

    /// <summary>Every service, active or not, in the order of the merged model.</summary>
    public List<ComposeService> Services { get; init; } = [];

    /// <summary>Services enabled by the active profiles (all services without <c>profiles</c>).</summary>
    public IEnumerable<ComposeService> ActiveServices => Services.Where(s => s.IsActive);

    public IReadOnlyList<string> ActiveProfiles { get; init; } = [];

    /// <summary>Top-level <c>secrets</c> definitions.</summary>
    public List<ComposeSecretDefinition> Secrets { get; init; } = [];

    /// <summary>The merged top-level mapping, for what the typed view does not cover.</summary>
    public ComposeMapping? Model { get; init; }

    /// <summary>The variables interpolation read from (process environment, then env files or <c>.env</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What could not be read or is invalid; the rest of the project is still loaded.</summary>
    public List<InputError> Errors { get; init; } = [];

    /// <summary>Things Compose only warns about, such as variables that are not set.</summary>
    public List<InputError> Warnings { get; init; } = [];

    /// <summary>Directory each file's relative paths resolve against (project directory, or an extended or included file's own).</summary>
    public Dictionary<string, string> BaseDirectories { get; init; } = new(StringComparer.Ordinal);

    public ComposeService? Service(string name) => Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public string BaseDirectoryOf(string file) =>
        BaseDirectories.TryGetValue(file, out var dir) ? dir : Path.GetDirectoryName(file) ?? ProjectDirectory;
}

/// <summary>One service with its security-relevant settings, each located at the key (or list item) that set it.</summary>
public sealed class ComposeService
{
    public required string Name { get; init; }

    /// <summary>The service's key (its first definition when several files define it).</summary>
    public required SourceLocation Location { get; init; }

    public string File => Location.File;

    /// <summary>0-based YAML document of <see cref="File"/> holding <see cref="Location"/>.</summary>
    public int Document { get; init; }

    /// <summary>The resolved service mapping, for settings the typed view does not cover.</summary>
    public required ComposeMapping Definition { get; init; }

    /// <summary>False when the service has <c>profiles</c> and none is active; such services are listed but not run.</summary>
    public bool IsActive { get; init; } = true;

    public List<Located<string>> Profiles { get; init; } = [];

    public Located<string>? Image { get; init; }

    public ComposeBuild? Build { get; init; }

    public Located<string>? ContainerName { get; init; }

    public Located<string>? Platform { get; init; }

    /// <summary><c>user</c> as written: <c>uid[:gid]</c> or a name.</summary>
    public Located<string>? User { get; init; }

    public List<Located<string>> GroupAdd { get; init; } = [];

    public Located<bool>? Privileged { get; init; }

    public SourceLocation? CapAddLocation { get; init; }

    public List<Located<string>> CapAdd { get; init; } = [];

    public SourceLocation? CapDropLocation { get; init; }

    public List<Located<string>> CapDrop { get; init; } = [];

    public SourceLocation? SecurityOptLocation { get; init; }

    public List<ComposeSecurityOption> SecurityOpt { get; init; } = [];

    public Located<bool>? ReadOnly { get; init; }

    public Located<string>? NetworkMode { get; init; }

    public Located<string>? Pid { get; init; }

    public Located<string>? Ipc { get; init; }

    public Located<string>? UsernsMode { get; init; }

    public Located<string>? Uts { get; init; }

    public Located<string>? Cgroup { get; init; }

    public Located<string>? Runtime { get; init; }

    public SourceLocation? VolumesLocation { get; init; }

    public List<ComposeVolume> Volumes { get; init; } = [];

    public List<Located<string>> VolumesFrom { get; init; } = [];

    /// <summary><c>use_api_socket</c>: bind-mounts the Docker API socket and the user's registry credentials.</summary>
    public Located<bool>? UseApiSocket { get; init; }

    public List<ComposeDevice> Devices { get; init; } = [];

    public List<Located<string>> DeviceCgroupRules { get; init; } = [];

    public List<ComposeKeyValue> Sysctls { get; init; } = [];

    public List<ComposePort> Ports { get; init; } = [];

    public SourceLocation? EnvironmentLocation { get; init; }

    /// <summary><c>environment</c>, map or list form.</summary>
    public List<ComposeEnvironmentVariable> Environment { get; init; } = [];

    public List<ComposeEnvFile> EnvFiles { get; init; } = [];

    /// <summary>Variables read from the <c>env_file</c> files that exist, located in those files.</summary>
    public List<ComposeEnvironmentVariable> EnvFileVariables { get; init; } = [];

    public List<ComposeServiceSecret> Secrets { get; init; } = [];

    public List<Located<string>> Tmpfs { get; init; } = [];

    public ComposeResources Resources { get; init; } = new();

    public ComposeHealthcheck? Healthcheck { get; init; }

    /// <summary><c>post_start</c> and <c>pre_stop</c> hooks, which run with their own <c>user</c> and <c>privileged</c>.</summary>
    public List<ComposeLifecycleHook> Hooks { get; init; } = [];
}

/// <summary><c>build</c> (a context string, or the long form).</summary>
public sealed record ComposeBuild(SourceLocation Location)
{
    public Located<string>? Context { get; init; }

    public Located<string>? Dockerfile { get; init; }

    /// <summary>An embedded Dockerfile; scan it with the Dockerfile analyser.</summary>
    public Located<string>? DockerfileInline { get; init; }

    public Located<string>? Target { get; init; }

    public Located<string>? Network { get; init; }

    public Located<bool>? Privileged { get; init; }

    public List<Located<string>> Entitlements { get; init; } = [];

    /// <summary>Build arguments (they reach Dockerfile ARGs: a secrets-leak path).</summary>
    public List<ComposeEnvironmentVariable> Args { get; init; } = [];
}

/// <summary>
/// A <c>security_opt</c> item split like Docker does: at the first <c>=</c>, else at the first <c>:</c>
/// (<c>seccomp:unconfined</c>, <c>seccomp=/path.json</c>, <c>label=type:svirt_t</c>, bare <c>no-new-privileges</c>).
/// </summary>
public sealed record ComposeSecurityOption(string Raw, string Name, string? Value, SourceLocation Location)
{
    public bool IsNoNewPrivileges => Name == "no-new-privileges";

    /// <summary>The <c>no-new-privileges</c> setting: true when bare, else its value read as a Go boolean; null if unreadable or another option.</summary>
    public bool? NoNewPrivileges => !IsNoNewPrivileges ? null : Value is null ? true : ParseGoBool(Value);

    public static ComposeSecurityOption Parse(string raw, SourceLocation location)
    {
        var text = raw.Trim();
        if (text == "disable")
        {
            return new ComposeSecurityOption(raw, "label", "disable", location);
        }

        var separator = text.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
        {
            separator = text.IndexOf(':', StringComparison.Ordinal);
        }

        return separator < 0
            ? new ComposeSecurityOption(raw, text, null, location)
            : new ComposeSecurityOption(raw, text[..separator], text[(separator + 1)..], location);
    }

    private static bool? ParseGoBool(string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };
}

/// <summary>A service volume, short or long syntax.</summary>
public sealed record ComposeVolume(string Type, string? Source, string Target, SourceLocation Location)
{
    /// <summary>The short-syntax text, or null for the long syntax.</summary>
    public string? ShortSyntax { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>For binds: the source resolved against the defining file's base directory (<c>~</c> and absolute paths as written).</summary>
    public string? ResolvedSource { get; init; }

    public string? Propagation { get; init; }

    public string? SeLinux { get; init; }

    public bool NoCopy { get; init; }

    public bool? CreateHostPath { get; init; }

    /// <summary>Where the long syntax's <c>source</c> key is; null for the short syntax (the item itself).</summary>
    public SourceLocation? SourceLocation { get; init; }

    public bool IsBind => Type == "bind";

    public bool IsNamedVolume => Type == "volume" && !string.IsNullOrEmpty(Source);
}

/// <summary>A device: <c>host[:container[:permissions]]</c> or <c>{source, target, permissions}</c>.</summary>
public sealed record ComposeDevice(string Source, string? Target, string? Permissions, SourceLocation Location);

/// <summary>A <c>name=value</c> setting such as a sysctl; <see cref="Value"/> is null when absent.</summary>
public sealed record ComposeKeyValue(string Name, string? Value, SourceLocation Location);

/// <summary>A port: <c>[HOST_IP:][HOST:]CONTAINER[/PROTO]</c>, a number, or the long form.</summary>
public sealed record ComposePort(string Target, SourceLocation Location)
{
    /// <summary>The first container port (of a range), if numeric.</summary>
    public int? TargetPort { get; init; }

    /// <summary>The host port or range as written; null when not published (or published on a random port).</summary>
    public string? Published { get; init; }

    public int? PublishedPort { get; init; }

    public string? HostIp { get; init; }

    public string Protocol { get; init; } = "tcp";

    public string? Mode { get; init; }

    public string? Name { get; init; }

    public bool IsPublished => Published is { Length: > 0 };

    /// <summary><c>[HOST_IP:][HOST:]CONTAINER[/PROTO]</c> as Docker's <c>nat.ParsePortSpec</c> splits it.</summary>
    public static ComposePort? ParseShort(string text, SourceLocation location)
    {
        var parts = text.Split(':');
        var containerPart = parts[^1];
        string? host = null;
        string? ip = null;
        if (parts.Length == 2)
        {
            host = parts[0];
        }
        else if (parts.Length >= 3)
        {
            ip = string.Join(':', parts[..^2]);
            host = parts[^2];
        }

        var protocol = "tcp";
        var slash = containerPart.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (slash + 1 < containerPart.Length)
            {
                protocol = containerPart[(slash + 1)..];
            }

            containerPart = containerPart[..slash];
        }

        if (ip is { Length: > 1 } && ip[0] == '[' && ip.EndsWith(']'))
        {
            ip = ip[1..^1];
        }

        var targetPort = FirstPort(containerPart);
        if (targetPort is null || (host is { Length: > 0 } && FirstPort(host) is null))
        {
            return null;
        }

        return new ComposePort(containerPart, location)
        {
            TargetPort = targetPort,
            Published = host is { Length: > 0 } ? host : null,
            PublishedPort = host is { Length: > 0 } ? FirstPort(host) : null,
            HostIp = ip is { Length: > 0 } ? ip : null,
            Protocol = protocol,
        };
    }

    /// <summary>The port, or the first of a range <c>8000-8010</c>.</summary>
    public static int? FirstPort(string text)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = dash > 0 ? text[..dash] : text;
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535 ? port : null;
    }
}

/// <summary>An environment variable. <see cref="Value"/> is null when taken from the host environment (<c>KEY</c> or <c>KEY:</c>).</summary>
public sealed record ComposeEnvironmentVariable(string Name, string? Value, SourceLocation Location)
{
    /// <summary>The value as written (<c>${DB_PASSWORD}</c>) when interpolation produced <see cref="Value"/>; null for a literal.</summary>
    public string? Original { get; init; }
}

public sealed record ComposeEnvFile(string Path, SourceLocation Location)
{
    public bool Required { get; init; } = true;

    public string? Format { get; init; }

    /// <summary>The path resolved against the defining file's base directory.</summary>
    public string? ResolvedPath { get; init; }
}

/// <summary>A service's <c>secrets</c> item (short name or long form); mounted at <c>/run/secrets/&lt;target or source&gt;</c>.</summary>
public sealed record ComposeServiceSecret(string Source, string? Target, SourceLocation Location)
{
    public string MountPath => Target is { Length: > 0 } t ? (t.StartsWith('/') ? t : "/run/secrets/" + t) : "/run/secrets/" + Source;
}

/// <summary>A top-level secret: from a <c>file</c>, an <c>environment</c> variable, or <c>external</c>.</summary>
public sealed record ComposeSecretDefinition(string Name, SourceLocation Location)
{
    public Located<string>? File { get; init; }

    public Located<string>? Environment { get; init; }

    public Located<bool>? External { get; init; }
}

/// <summary>Resource limits from <c>deploy.resources.limits</c> and the service-level <c>mem_limit</c>, <c>cpus</c>, <c>pids_limit</c>.</summary>
public sealed record ComposeResources
{
    /// <summary>The <c>deploy.resources.limits</c> key, else <c>deploy.resources</c>, else <c>deploy</c>.</summary>
    public SourceLocation? DeployLocation { get; init; }

    public Located<string>? LimitsCpus { get; init; }

    public Located<string>? LimitsMemory { get; init; }

    public Located<string>? LimitsPids { get; init; }

    public Located<string>? MemLimit { get; init; }

    public Located<string>? Cpus { get; init; }

    public Located<string>? PidsLimit { get; init; }
}

public sealed record ComposeHealthcheck(SourceLocation Location)
{
    /// <summary>The test command: a string, or a list such as <c>["CMD", "curl", ...]</c>.</summary>
    public List<Located<string>> Test { get; init; } = [];

    public Located<bool>? Disable { get; init; }
}

/// <summary>A lifecycle hook (<c>post_start</c> or <c>pre_stop</c> item).</summary>
public sealed record ComposeLifecycleHook(string Kind, SourceLocation Location)
{
    public Located<string>? User { get; init; }

    public Located<bool>? Privileged { get; init; }
}
