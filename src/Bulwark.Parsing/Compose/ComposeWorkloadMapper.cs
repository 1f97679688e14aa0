using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

using Bulwark.Parsing.DockerInspect;

namespace Bulwark.Parsing.Compose;

/// <summary>
/// Maps a Compose service into the shared <see cref="Workload"/> model: one container named after the service.
/// Every value is located at the key or list item that set it; settings that are missing fall back to the
/// service's key.
/// </summary>
/// <remarks>
/// Encodings where Docker and Kubernetes differ: <c>no-new-privileges[:true]</c> is <c>AllowPrivilegeEscalation =
/// false</c> and <c>no-new-privileges:false</c> is <c>true</c>; <c>seccomp=unconfined</c> is <c>Unconfined</c>,
/// <c>seccomp=builtin</c> <c>RuntimeDefault</c>, another value <c>Localhost</c> with the profile path;
/// <c>apparmor=unconfined</c> is <c>Unconfined</c>, <c>apparmor=docker-default</c> <c>RuntimeDefault</c>, another
/// value <c>Localhost</c> with the profile name; <c>label=disable</c> is SELinux type <c>disabled</c> (and
/// <c>label=user:/role:/type:/level:</c> fill those fields); <c>systempaths=unconfined</c> is procMount
/// <c>Unmasked</c>. A numeric <c>user</c> goes to RunAsUser (and a numeric group to RunAsGroup), a named one to
/// UserName as written (<c>root:root</c>). Host namespaces are true for <c>host</c> and false for other values.
/// Environment values are literal only when written in the file: a value that came from <c>${VAR}</c> is not
/// (ValueFrom says so), except for the literal default of <c>${VAR:-default}</c>.
/// </remarks>
public static class ComposeWorkloadMapper
{
    /// <summary>Where Docker's API socket is bind-mounted by <c>use_api_socket: true</c>.</summary>
    public const string DockerSocket = "/var/run/docker.sock";

    /// <summary>
    /// One workload per service. Services disabled by profiles are included unless <paramref name="activeOnly"/>:
    /// they are not run by default but are still part of what a repository ships.
    /// </summary>
    public static List<Workload> MapAll(ComposeProject project, bool activeOnly = false)
    {
        ArgumentNullException.ThrowIfNull(project);
        var workloads = project.Services.Where(s => !activeOnly || s.IsActive).Select(s => Map(s, project)).ToList();
        MarkSharedEnvironment(workloads);
        return workloads;
    }

    /// <summary>
    /// A variable written once and used by several services (under a YAML anchor, in a shared env_file) has one
    /// location for all of them; each copy learns which services share it, so one finding can name them all.
    /// </summary>
    private static void MarkSharedEnvironment(List<Workload> workloads)
    {
        var byPlace = new Dictionary<SourceLocation, List<string>>();
        foreach (var workload in workloads)
        {
            foreach (var variable in workload.Containers.SelectMany(c => c.Environment))
            {
                if (!byPlace.TryGetValue(variable.Name.Location, out var services))
                {
                    byPlace[variable.Name.Location] = services = [];
                }

                if (!services.Contains(workload.Object.Name ?? string.Empty))
                {
                    services.Add(workload.Object.Name ?? string.Empty);
                }
            }
        }

        foreach (var container in workloads.SelectMany(w => w.Containers))
        {
            for (var i = 0; i < container.Environment.Count; i++)
            {
                if (byPlace[container.Environment[i].Name.Location] is { Count: > 1 } services)
                {
                    container.Environment[i] = container.Environment[i] with { SharedWith = services };
                }
            }
        }
    }

    public static Workload Map(ComposeService service, ComposeProject project)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(project);
        var location = service.Location;
        var volumes = new List<VolumeSpec>();
        var mounts = new List<MountSpec>();
        MapVolumes(service, volumes, mounts);

        var container = new ContainerSpec
        {
            Name = service.Name,
            Kind = ContainerKind.Container,
            Location = location,
            SecurityContextLocation = service.SecurityOptLocation ?? location,
            Image = service.Image,
            Privileged = service.Privileged,
            BuildPrivileged = service.Build is { } build
                ? build.Privileged is { Value: true } p ? p
                    : build.Entitlements.FirstOrDefault(e => e.Value == "security.insecure") is { Value: not null } e ? new Located<bool>(true, e.Location) : null
                : null,
            AllowPrivilegeEscalation = NoNewPrivileges(service),
            ReadOnlyRootFilesystem = service.ReadOnly,
            RunAsUser = User(service, out var runAsGroup, out var userName),
            RunAsGroup = runAsGroup,
            UserName = userName,
            CapabilitiesLocation = service.CapDropLocation ?? service.CapAddLocation,
            CapabilitiesAdd = service.CapAdd,
            CapabilitiesDrop = service.CapDrop,
            Seccomp = Profile(service, "seccomp"),
            AppArmor = Profile(service, "apparmor"),
            SeLinux = SeLinux(service),
            ProcMount = service.SecurityOpt.LastOrDefault(o => o.Name == "systempaths") is { Value: "unconfined" } paths
                ? new Located<string>("Unmasked", paths.Location)
                : null,
            Limits = new ResourceLimits(
                service.Resources.LimitsCpus ?? service.Resources.Cpus,
                service.Resources.LimitsMemory ?? service.Resources.MemLimit,
                service.Resources.DeployLocation ?? location),
            Ports = [.. service.Ports.Select(Port)],
            Environment = Environment(service),
            Devices = [.. service.Devices.Select(d => new Located<string>(d.Source, d.Location))],
            DeviceCgroupRules = service.DeviceCgroupRules,
            Mounts = mounts,
        };

        return new Workload
        {
            Source = SourceKind.Compose,
            Location = location,
            Document = service.Document,
            Object = new ObjectReference(null, "service", null, service.Name),
            SpecLocation = location,
            SecurityContextLocation = location,
            HostNetwork = HostMode(service.NetworkMode),
            HostPid = HostMode(service.Pid),
            HostIpc = HostMode(service.Ipc),
            HostUsers = service.UsernsMode is { Value: "host" } userns ? new Located<bool>(true, userns.Location) : null,
            HasServiceAccounts = false,
            Sysctls = [.. service.Sysctls.Select(s => new Located<Sysctl>(new Sysctl(s.Name, s.Value), s.Location))],
            Volumes = volumes,
            Containers = [container],
            OperatingSystem = service.Platform is { } platform ? platform.Value.Split('/')[0].ToLowerInvariant() : null,
        };
    }

    private static Located<bool>? HostMode(Located<string>? mode) =>
        mode is { } m ? new Located<bool>(string.Equals(m.Value, "host", StringComparison.Ordinal), m.Location) : null;

    private static Located<bool>? NoNewPrivileges(ComposeService service)
    {
        foreach (var option in Enumerable.Reverse(service.SecurityOpt))
        {
            if (option.NoNewPrivileges is { } on)
            {
                return new Located<bool>(!on, option.Location);
            }
        }

        return null;
    }

    private static Located<long>? User(ComposeService service, out Located<long>? group, out Located<string>? name)
    {
        group = null;
        name = null;
        if (service.User is not { Value.Length: > 0 } user)
        {
            return null;
        }

        var colon = user.Value.IndexOf(':', StringComparison.Ordinal);
        var userPart = colon < 0 ? user.Value : user.Value[..colon];
        var groupPart = colon < 0 ? null : user.Value[(colon + 1)..];
        if (groupPart is not null && long.TryParse(groupPart, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            group = new Located<long>(gid, user.Location);
        }

        if (long.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            return new Located<long>(uid, user.Location);
        }

        name = user;
        return null;
    }

    private static Located<SecurityProfile>? Profile(ComposeService service, string kind)
    {
        if (service.SecurityOpt.LastOrDefault(o => o.Name == kind && o.Value is not null) is not { } option)
        {
            return null;
        }

        var value = option.Value!;
        var profile = value switch
        {
            "unconfined" => new SecurityProfile("Unconfined"),
            "builtin" when kind == "seccomp" => new SecurityProfile("RuntimeDefault"),
            "docker-default" when kind == "apparmor" => new SecurityProfile("RuntimeDefault", value),
            _ => new SecurityProfile("Localhost", value),
        };
        return new Located<SecurityProfile>(profile, option.Location);
    }

    private static Located<SeLinuxOptions>? SeLinux(ComposeService service)
    {
        string? user = null, role = null, type = null, level = null;
        SourceLocation? at = null;
        foreach (var option in service.SecurityOpt.Where(o => o.Name == "label" && o.Value is not null))
        {
            at = option.Location;
            var value = option.Value!;
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            var (field, setting) = colon < 0 ? (value, string.Empty) : (value[..colon], value[(colon + 1)..]);
            switch (field)
            {
                case "disable":
                    type = SecurityOption.SeLinuxDisabledType;
                    break;
                case "user":
                    user = setting;
                    break;
                case "role":
                    role = setting;
                    break;
                case "type":
                    type = setting;
                    break;
                case "level":
                    level = setting;
                    break;
            }
        }

        return at is { } location ? new Located<SeLinuxOptions>(new SeLinuxOptions(user, role, type, level), location) : null;
    }

    private static PortSpec Port(ComposePort port) =>
        new(port.Location, port.TargetPort, port.Protocol.ToUpperInvariant())
        {
            HostPort = port.PublishedPort is { } published ? new Located<int>(published, port.Location) : null,
            Published = true,
            HostIp = port.HostIp is { } ip ? new Located<string>(ip, port.Location) : null,
            Name = port.Name,
        };

    private static List<EnvVarSpec> Environment(ComposeService service)
    {
        var list = new List<EnvVarSpec>();
        var explicitNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in service.Environment)
        {
            explicitNames.Add(variable.Name);
            list.Add(EnvVar(variable));
        }

        foreach (var variable in service.EnvFileVariables)
        {
            if (!explicitNames.Contains(variable.Name))
            {
                list.Add(EnvVar(variable));
            }
        }

        return list;
    }

    private static EnvVarSpec EnvVar(ComposeEnvironmentVariable variable)
    {
        var name = new Located<string>(variable.Name, variable.Location);
        if (variable.Value is null)
        {
            return new EnvVarSpec(name) { ValueFrom = "host environment" };
        }

        if (variable.Original is not { } original || ComposeInterpolation.ExtractVariables([original]).Count == 0)
        {
            return new EnvVarSpec(name) { Value = new Located<string>(variable.Value, variable.Location) };
        }

        // Interpolated: only what the file itself holds (a default) is literal.
        var written = ComposeInterpolation.Substitute(original, _ => null);
        return written is { Succeeded: true, Value.Length: > 0 }
            ? new EnvVarSpec(name) { Value = new Located<string>(written.Value, variable.Location), ValueFrom = "variable substitution default" }
            : new EnvVarSpec(name) { ValueFrom = "variable substitution: " + original };
    }

    private static void MapVolumes(ComposeService service, List<VolumeSpec> volumes, List<MountSpec> mounts)
    {
        foreach (var volume in service.Volumes)
        {
            var name = volume.Source is { Length: > 0 } source ? source : volume.Target;
            var hostPath = volume.Type is "bind" or "npipe" && volume.Source is { Length: > 0 } path
                ? new Located<string>(path, volume.SourceLocation ?? volume.Location)
                : (Located<string>?)null;
            volumes.Add(new VolumeSpec(name, volume.Type, volume.Location) { HostPath = hostPath, ReadOnly = volume.ReadOnly });
            mounts.Add(new MountSpec(name, volume.Target, volume.Location) { ReadOnly = volume.ReadOnly });
        }

        foreach (var tmpfs in service.Tmpfs)
        {
            var target = tmpfs.Value.Split(':')[0];
            volumes.Add(new VolumeSpec(target, "tmpfs", tmpfs.Location));
            mounts.Add(new MountSpec(target, target, tmpfs.Location));
        }

        foreach (var secret in service.Secrets)
        {
            volumes.Add(new VolumeSpec(secret.Source, "secret", secret.Location) { ReadOnly = true });
            mounts.Add(new MountSpec(secret.Source, secret.MountPath, secret.Location) { ReadOnly = true });
        }

        if (service.UseApiSocket is { Value: true } socket)
        {
            volumes.Add(new VolumeSpec("use_api_socket", "bind", socket.Location) { HostPath = new Located<string>(DockerSocket, socket.Location) });
            mounts.Add(new MountSpec("use_api_socket", DockerSocket, socket.Location));
        }
    }
}
