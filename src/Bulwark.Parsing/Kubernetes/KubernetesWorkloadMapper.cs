using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Kubernetes;

/// <summary>
/// Maps a pod template into the shared <see cref="Workload"/> model. Container values are effective values:
/// a container field wins over the pod field, which wins over a legacy annotation; each keeps the location
/// of the field that decided it.
/// </summary>
public static class KubernetesWorkloadMapper
{
    public static Workload? Map(KubernetesObject obj)
    {
        var template = obj.PodTemplate;
        if (template is null)
        {
            return null;
        }

        var m = new Mapper(obj);
        var spec = template.Spec;
        var podSc = spec.Entry("securityContext");
        var podScMap = podSc?.Value as DocMapping;
        var specLocation = obj.At(template.SpecKey);
        var podScLocation = podSc is { } e ? obj.At(e.Key) : specLocation;
        var annotations = KubernetesObject.StringMap(template.Metadata.Mapping("annotations"));
        var annotationsEntry = template.Metadata?.Entry("annotations");

        var pod = new PodLevel(
            RunAsNonRoot: m.Bool(podScMap, "runAsNonRoot"),
            RunAsUser: m.Long(podScMap, "runAsUser"),
            RunAsGroup: m.Long(podScMap, "runAsGroup"),
            Seccomp: m.Profile(podScMap, "seccompProfile")
                ?? m.AnnotationProfile(annotations, annotationsEntry, "seccomp.security.alpha.kubernetes.io/pod"),
            AppArmor: m.Profile(podScMap, "appArmorProfile"),
            SeLinux: m.SeLinux(podScMap),
            HostProcess: m.Bool(podScMap.Mapping("windowsOptions"), "hostProcess"));

        var volumes = new List<VolumeSpec>();
        foreach (var volume in spec.MappingsOf("volumes"))
        {
            var name = volume.String("name") ?? string.Empty;
            var typeEntry = volume.Entries.FirstOrDefault(x => x.KeyText is not null and not "name");
            var type = typeEntry.KeyText ?? "unknown";
            Located<string>? hostPath = null;
            if (type == "hostPath")
            {
                var pathNode = typeEntry.Value.AsMapping()?.Entry("path");
                hostPath = pathNode is { Value: DocScalar p }
                    ? new Located<string>(p.Value, obj.At(pathNode.Value.Key))
                    : new Located<string>(string.Empty, obj.At(typeEntry.Key));
            }

            volumes.Add(new VolumeSpec(name, type, obj.At(volume)) { HostPath = hostPath });
        }

        var containers = new List<ContainerSpec>();
        foreach (var (key, kind) in ContainerLists)
        {
            foreach (var container in spec.MappingsOf(key))
            {
                containers.Add(MapContainer(m, container, kind, pod, annotations, annotationsEntry));
            }
        }

        // A volume is read-only only when every container that mounts it mounts it read-only.
        for (var i = 0; i < volumes.Count; i++)
        {
            var mounts = containers.SelectMany(c => c.Mounts).Where(x => x.VolumeName == volumes[i].Name).ToList();
            if (mounts.Count > 0 && mounts.All(x => x.ReadOnly))
            {
                volumes[i] = volumes[i] with { ReadOnly = true };
            }
        }

        var sysctls = new List<Located<Sysctl>>();
        foreach (var sysctl in podScMap.MappingsOf("sysctls"))
        {
            sysctls.Add(new Located<Sysctl>(new Sysctl(sysctl.String("name") ?? string.Empty, sysctl.String("value")), obj.At(sysctl)));
        }

        var serviceAccount = m.String(spec, "serviceAccountName") ?? m.String(spec, "serviceAccount");

        return new Workload
        {
            Source = SourceKind.Kubernetes,
            Location = obj.Location,
            Document = obj.Document,
            Object = obj.Object,
            SpecLocation = specLocation,
            SecurityContextLocation = podScLocation,
            HostNetwork = m.Bool(spec, "hostNetwork"),
            HostPid = m.Bool(spec, "hostPID"),
            HostIpc = m.Bool(spec, "hostIPC"),
            HostUsers = m.Bool(spec, "hostUsers"),
            ServiceAccountName = serviceAccount,
            AutomountServiceAccountToken = m.Bool(spec, "automountServiceAccountToken"),
            HasServiceAccounts = true,
            Labels = KubernetesObject.StringMap(template.Metadata.Mapping("labels")),
            Sysctls = sysctls,
            Volumes = volumes,
            Containers = containers,
            OperatingSystem = spec.At("os.name").AsScalar()?.Value,
        };
    }

    public static readonly (string Key, ContainerKind Kind)[] ContainerLists =
    [
        ("initContainers", ContainerKind.Init),
        ("containers", ContainerKind.Container),
        ("ephemeralContainers", ContainerKind.Ephemeral),
    ];

    private sealed record PodLevel(
        Located<bool>? RunAsNonRoot,
        Located<long>? RunAsUser,
        Located<long>? RunAsGroup,
        Located<SecurityProfile>? Seccomp,
        Located<SecurityProfile>? AppArmor,
        Located<SeLinuxOptions>? SeLinux,
        Located<bool>? HostProcess);

    private static ContainerSpec MapContainer(
        Mapper m,
        DocMapping container,
        ContainerKind kind,
        PodLevel pod,
        IReadOnlyDictionary<string, string> annotations,
        DocEntry? annotationsEntry)
    {
        var name = container.String("name") ?? string.Empty;
        var sc = container.Entry("securityContext");
        var scMap = sc?.Value as DocMapping;
        var location = m.Obj.At(container);
        var scLocation = sc is { } s ? m.Obj.At(s.Key) : location;
        var caps = scMap?.Entry("capabilities");
        var capsMap = caps?.Value as DocMapping;

        var ports = new List<PortSpec>();
        foreach (var port in container.MappingsOf("ports"))
        {
            var containerPort = port.Scalar("containerPort")?.AsInt64();
            var hostPort = m.Long(port, "hostPort");
            ports.Add(new PortSpec(m.Obj.At(port), containerPort is { } cp ? (int)cp : null, port.String("protocol") ?? "TCP")
            {
                HostPort = hostPort is { } hp ? new Located<int>((int)hp.Value, hp.Location) : null,
                Name = port.String("name"),
            });
        }

        var env = new List<EnvVarSpec>();
        foreach (var variable in container.MappingsOf("env"))
        {
            var nameEntry = variable.Entry("name");
            if (nameEntry is not { Value: DocScalar n })
            {
                continue;
            }

            var valueFrom = variable.Mapping("valueFrom");
            var secretKeyRef = valueFrom?.Mapping("secretKeyRef");
            env.Add(new EnvVarSpec(new Located<string>(n.Value, m.Obj.At(nameEntry.Value.Key)))
            {
                Value = m.String(variable, "value"),
                ValueFrom = valueFrom?.Entries.FirstOrDefault().KeyText,
                FromSecret = secretKeyRef is null ? null : new SecretReference(secretKeyRef.String("name") ?? string.Empty, secretKeyRef.String("key")),
            });
        }

        var envFrom = new List<EnvFromSpec>();
        foreach (var source in container.MappingsOf("envFrom"))
        {
            var secretRef = source.Entry("secretRef");
            envFrom.Add(new EnvFromSpec(m.Obj.At(secretRef is { } entry ? entry.Key : source))
            {
                FromSecret = secretRef?.Value is DocMapping secret ? new SecretReference(secret.String("name") ?? string.Empty) : null,
            });
        }

        var mounts = new List<MountSpec>();
        foreach (var mount in container.MappingsOf("volumeMounts"))
        {
            mounts.Add(new MountSpec(mount.String("name") ?? string.Empty, mount.String("mountPath") ?? string.Empty, m.Obj.At(mount))
            {
                ReadOnly = mount.Scalar("readOnly")?.AsBool() == true,
            });
        }

        var resources = container.Entry("resources");
        var limits = (resources?.Value as DocMapping)?.Mapping("limits");
        var resourceLimits = new ResourceLimits(
            m.String(limits, "cpu"),
            m.String(limits, "memory"),
            resources is { } r ? m.Obj.At(r.Key) : location);

        return new ContainerSpec
        {
            Name = name,
            Kind = kind,
            Location = location,
            SecurityContextLocation = scLocation,
            Image = m.String(container, "image"),
            Privileged = m.Bool(scMap, "privileged"),
            AllowPrivilegeEscalation = m.Bool(scMap, "allowPrivilegeEscalation"),
            ReadOnlyRootFilesystem = m.Bool(scMap, "readOnlyRootFilesystem"),
            RunAsNonRoot = m.Bool(scMap, "runAsNonRoot") ?? pod.RunAsNonRoot,
            RunAsUser = m.Long(scMap, "runAsUser") ?? pod.RunAsUser,
            RunAsGroup = m.Long(scMap, "runAsGroup") ?? pod.RunAsGroup,
            CapabilitiesLocation = caps is { } c ? m.Obj.At(c.Key) : null,
            CapabilitiesAdd = m.Strings(capsMap, "add"),
            CapabilitiesDrop = m.Strings(capsMap, "drop"),
            Seccomp = m.Profile(scMap, "seccompProfile")
                ?? m.AnnotationProfile(annotations, annotationsEntry, "container.seccomp.security.alpha.kubernetes.io/" + name)
                ?? pod.Seccomp,
            AppArmor = m.Profile(scMap, "appArmorProfile")
                ?? m.AnnotationProfile(annotations, annotationsEntry, "container.apparmor.security.beta.kubernetes.io/" + name)
                ?? pod.AppArmor,
            SeLinux = m.SeLinux(scMap) ?? pod.SeLinux,
            ProcMount = m.String(scMap, "procMount"),
            WindowsHostProcess = m.Bool(scMap.Mapping("windowsOptions"), "hostProcess") ?? pod.HostProcess,
            Limits = resourceLimits,
            Ports = ports,
            Environment = env,
            EnvFrom = envFrom,
            Mounts = mounts,
        };
    }

    /// <summary>Reads typed values with the location of their key.</summary>
    private readonly struct Mapper(KubernetesObject obj)
    {
        public KubernetesObject Obj { get; } = obj;

        public Located<bool>? Bool(DocMapping? map, string key) =>
            map?.Entry(key) is { Value: DocScalar s } e && s.AsBool() is { } b ? new Located<bool>(b, Obj.At(e.Key)) : null;

        public Located<long>? Long(DocMapping? map, string key) =>
            map?.Entry(key) is { Value: DocScalar s } e && s.AsInt64() is { } n ? new Located<long>(n, Obj.At(e.Key)) : null;

        public Located<string>? String(DocMapping? map, string key) =>
            map?.Entry(key) is { Value: DocScalar { IsNull: false } s } e ? new Located<string>(s.Value, Obj.At(e.Key)) : null;

        public List<Located<string>> Strings(DocMapping? map, string key)
        {
            var list = new List<Located<string>>();
            if (map?[key] is DocSequence seq)
            {
                foreach (var item in seq.Items)
                {
                    if (item is DocScalar { IsNull: false } s)
                    {
                        list.Add(new Located<string>(s.Value, Obj.At(s)));
                    }
                }
            }

            return list;
        }

        public Located<SecurityProfile>? Profile(DocMapping? map, string key)
        {
            if (map?.Entry(key) is not { Value: DocMapping profile } e)
            {
                return null;
            }

            var type = profile.String("type");
            return type is null ? null : new Located<SecurityProfile>(new SecurityProfile(type, profile.String("localhostProfile")), Obj.At(e.Key));
        }

        /// <summary>Legacy annotations: <c>runtime/default</c>, <c>docker/default</c>, <c>localhost/NAME</c>, <c>unconfined</c>.</summary>
        public Located<SecurityProfile>? AnnotationProfile(IReadOnlyDictionary<string, string> annotations, DocEntry? annotationsEntry, string key)
        {
            if (!annotations.TryGetValue(key, out var value) || annotationsEntry is not { Value: DocMapping map })
            {
                return null;
            }

            var entry = map.Entry(key);
            var location = entry is { } e ? Obj.At(e.Key) : Obj.At(annotationsEntry.Value.Key);
            var profile = value switch
            {
                "runtime/default" or "docker/default" => new SecurityProfile("RuntimeDefault"),
                "unconfined" => new SecurityProfile("Unconfined"),
                _ when value.StartsWith("localhost/", StringComparison.Ordinal) => new SecurityProfile("Localhost", value["localhost/".Length..]),
                _ => new SecurityProfile("Unknown", value),
            };
            return new Located<SecurityProfile>(profile, location);
        }

        public Located<SeLinuxOptions>? SeLinux(DocMapping? map)
        {
            if (map?.Entry("seLinuxOptions") is not { Value: DocMapping se } e)
            {
                return null;
            }

            return new Located<SeLinuxOptions>(new SeLinuxOptions(se.String("user"), se.String("role"), se.String("type"), se.String("level")), Obj.At(e.Key));
        }
    }
}
