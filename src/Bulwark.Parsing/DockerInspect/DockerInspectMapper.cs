using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.DockerInspect;

/// <summary>
/// Maps the JSON that <c>docker inspect</c> (or the Engine API's <c>GET /containers/{id}/json</c>) prints into
/// the shared <see cref="Workload"/> model: one workload per container. <c>Config.User</c> there is the
/// effective user (the image's USER included), so an empty one means root.
/// </summary>
public static class DockerInspectMapper
{
    /// <summary>True for a container object of <c>docker inspect</c> output (it has HostConfig and Config mappings).</summary>
    public static bool IsContainer(DocNode? node) =>
        node is DocMapping map && map["HostConfig"] is DocMapping && map["Config"] is DocMapping && map["Id"] is DocScalar;

    /// <summary>True when a document is <c>docker inspect</c> output: a container, or an array of them.</summary>
    public static bool IsInspectOutput(DocNode? root) =>
        IsContainer(root) || root is DocSequence { Items.Count: > 0 } seq && seq.Items.All(IsContainer);

    public static IEnumerable<Workload> Map(SourceDocument document)
    {
        var containers = document.Root switch
        {
            DocSequence seq => seq.Items,
            { } single => [single],
            null => [],
        };

        foreach (var node in containers)
        {
            if (node is DocMapping container && IsContainer(container))
            {
                yield return Map(document.File, document.Index, container);
            }
        }
    }

    public static Workload Map(string file, int documentIndex, DocMapping container)
    {
        SourceLocation At(DocNode node) => new(file, node.Line, node.Column);
        SourceLocation KeyAt(DocMapping? map, string key, SourceLocation fallback) =>
            map?.Entry(key) is { } e ? At(e.Key) : fallback;

        var hostConfig = container.Mapping("HostConfig")!;
        var config = container.Mapping("Config")!;
        var name = (container.String("Name") ?? container.String("Id") ?? "container").TrimStart('/');
        var location = At(container);
        var hostConfigAt = KeyAt(container, "HostConfig", location);

        Located<bool>? Bool(DocMapping? map, string key) =>
            map?.Entry(key) is { Value: DocScalar s } e && s.AsBool() is { } b ? new Located<bool>(b, At(e.Key)) : null;

        Located<bool>? Mode(string key) =>
            hostConfig.Entry(key) is { Value: DocScalar { Value: "host" } } e ? new Located<bool>(true, At(e.Key)) : null;

        List<Located<string>> Strings(DocMapping map, string key) =>
            [.. map.ItemsOf(key).OfType<DocScalar>().Select(s => new Located<string>(s.Value, At(s)))];

        // Security options: "seccomp=unconfined", "seccomp:…", "no-new-privileges[:true]", "apparmor=…", "label=disable".
        Located<bool>? noNewPrivileges = null;
        Located<SecurityProfile>? seccomp = null;
        Located<SecurityProfile>? apparmor = null;
        Located<SeLinuxOptions>? selinux = null;
        foreach (var option in hostConfig.ItemsOf("SecurityOpt").OfType<DocScalar>())
        {
            var (key, value) = SecurityOption.Split(option.Value);
            switch (key)
            {
                case "no-new-privileges":
                    noNewPrivileges = new Located<bool>(value is null || value == "true", At(option));
                    break;
                case "seccomp":
                    seccomp = new Located<SecurityProfile>(SecurityOption.Profile(value), At(option));
                    break;
                case "apparmor":
                    apparmor = new Located<SecurityProfile>(SecurityOption.Profile(value), At(option));
                    break;
                case "label" when value is "disable" or "disabled":
                    selinux = new Located<SeLinuxOptions>(new SeLinuxOptions(null, null, SecurityOption.SeLinuxDisabledType, null), At(option));
                    break;
            }
        }

        if (apparmor is null && container.Entry("AppArmorProfile") is { Value: DocScalar { Value: "unconfined" } } profile)
        {
            apparmor = new Located<SecurityProfile>(new SecurityProfile("Unconfined"), At(profile.Key));
        }

        // The user: numeric UIDs to RunAsUser, names to UserName; empty means root, as the image decided.
        Located<long>? runAsUser = null;
        Located<string>? userName = null;
        var userEntry = config.Entry("User");
        var userText = (userEntry?.Value as DocScalar)?.Value ?? string.Empty;
        var userAt = userEntry is { } u ? At(u.Key) : KeyAt(container, "Config", location);
        var userPart = userText.Split(':')[0];
        if (userPart.Length == 0)
        {
            runAsUser = new Located<long>(0, userAt);
        }
        else if (long.TryParse(userPart, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uid))
        {
            runAsUser = new Located<long>(uid, userAt);
        }
        else
        {
            userName = new Located<string>(userText, userAt);
        }

        var volumes = new List<VolumeSpec>();
        var mounts = new List<MountSpec>();
        foreach (var mount in container.MappingsOf("Mounts"))
        {
            var type = mount.String("Type") ?? "volume";
            var target = mount.String("Destination") ?? string.Empty;
            var readOnly = mount.Scalar("RW")?.AsBool() == false;
            var volume = new VolumeSpec(mount.String("Name") ?? target, type, At(mount)) { ReadOnly = readOnly };
            if (type == "bind" && mount.Entry("Source") is { Value: DocScalar source } sourceEntry)
            {
                volume = volume with { HostPath = new Located<string>(source.Value, At(sourceEntry.Key)) };
            }

            volumes.Add(volume);
            mounts.Add(new MountSpec(volume.Name, target, At(mount)) { ReadOnly = readOnly });
        }

        var ports = new List<PortSpec>();
        if (hostConfig.Mapping("PortBindings") is { } bindings)
        {
            foreach (var entry in bindings.Entries)
            {
                var (port, protocol) = SplitPort(entry.KeyText ?? string.Empty);
                foreach (var binding in entry.Value.AsSequence()?.Items.OfType<DocMapping>() ?? [])
                {
                    var hostPortEntry = binding.Entry("HostPort");
                    var hostPort = int.TryParse((hostPortEntry?.Value as DocScalar)?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hp) ? hp : 0;
                    var hostIpEntry = binding.Entry("HostIp");
                    ports.Add(new PortSpec(At(binding), port, protocol)
                    {
                        HostPort = hostPort > 0 && hostPortEntry is { } h ? new Located<int>(hostPort, At(h.Key)) : null,
                        Published = true,
                        HostIp = hostIpEntry is { Value: DocScalar { IsNull: false } ip } hostIpField ? new Located<string>(ip.Value, At(hostIpField.Key)) : null,
                    });
                }
            }
        }

        var env = new List<EnvVarSpec>();
        foreach (var item in config.ItemsOf("Env").OfType<DocScalar>())
        {
            var eq = item.Value.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? item.Value : item.Value[..eq];
            env.Add(new EnvVarSpec(new Located<string>(key, At(item))) { Value = eq < 0 ? null : new Located<string>(item.Value[(eq + 1)..], At(item)) });
        }

        var sysctls = new List<Located<Sysctl>>();
        foreach (var entry in hostConfig.Mapping("Sysctls")?.Entries ?? [])
        {
            sysctls.Add(new Located<Sysctl>(new Sysctl(entry.KeyText ?? string.Empty, (entry.Value as DocScalar)?.Value), At(entry.Key)));
        }

        var devices = new List<Located<string>>();
        foreach (var device in hostConfig.MappingsOf("Devices"))
        {
            devices.Add(new Located<string>(device.String("PathOnHost") ?? string.Empty, At(device)));
        }

        Located<string>? Limit(string key) =>
            hostConfig.Entry(key) is { Value: DocScalar s } e && s.AsInt64() is > 0 ? new Located<string>(s.Value, At(e.Key)) : null;

        var spec = new ContainerSpec
        {
            Name = name,
            Location = location,
            SecurityContextLocation = hostConfigAt,
            Image = config.Entry("Image") is { Value: DocScalar image } imageEntry ? new Located<string>(image.Value, At(imageEntry.Key)) : null,
            Privileged = Bool(hostConfig, "Privileged"),
            AllowPrivilegeEscalation = noNewPrivileges is { } nnp ? new Located<bool>(!nnp.Value, nnp.Location) : null,
            ReadOnlyRootFilesystem = Bool(hostConfig, "ReadonlyRootfs"),
            RunAsUser = runAsUser,
            UserName = userName,
            CapabilitiesLocation = KeyAt(hostConfig, "CapDrop", hostConfigAt),
            CapabilitiesAdd = Strings(hostConfig, "CapAdd"),
            CapabilitiesDrop = Strings(hostConfig, "CapDrop"),
            Seccomp = seccomp,
            AppArmor = apparmor,
            SeLinux = selinux,
            Ports = ports,
            Environment = env,
            Devices = devices,
            DeviceCgroupRules = Strings(hostConfig, "DeviceCgroupRules"),
            Mounts = mounts,
            Limits = new ResourceLimits(Limit("NanoCpus"), Limit("Memory"), hostConfigAt),
        };

        return new Workload
        {
            Source = SourceKind.DockerInspect,
            Location = location,
            Document = documentIndex,
            Object = new ObjectReference(null, "container", null, name),
            SpecLocation = hostConfigAt,
            SecurityContextLocation = hostConfigAt,
            HostNetwork = Mode("NetworkMode"),
            HostPid = Mode("PidMode"),
            HostIpc = Mode("IpcMode"),
            HostUsers = Mode("UsernsMode"),
            Sysctls = sysctls,
            Volumes = volumes,
            Containers = [spec],
        };
    }

    private static (int? Port, string Protocol) SplitPort(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var number = slash < 0 ? key : key[..slash];
        var protocol = slash < 0 ? "TCP" : key[(slash + 1)..].ToUpperInvariant();
        return (int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null, protocol);
    }
}
