using Bulwark.Core.Findings;
using Bulwark.Core.Model;

namespace Bulwark.Parsing.Compose;

/// <summary>
/// Reads the typed view of services from the merged model. Values are located at the key that set them (list
/// items at the item); a value of the wrong type is an error at the value and is left out, the rest of the service
/// is still read. Booleans follow compose-go's cast: <c>true/false/yes/no/on/off/y/n</c> in any case, from YAML
/// booleans or strings (so interpolated <c>${FLAG:-false}</c> works).
/// </summary>
internal sealed class ComposeServiceReader(
    Action<InputError> report,
    Action<InputError> warn,
    Func<string, string> baseDirectoryOf,
    IReadOnlyDictionary<string, string> environment,
    ComposeLoadOptions options)
{
    private static readonly HashSet<string> ServiceKeys = new(StringComparer.Ordinal)
    {
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command", "configs",
        "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
        "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
        "dns_search", "domainname", "entrypoint", "env_file", "environment", "expose", "extends", "external_links", "extra_hosts",
        "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links",
        "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode",
        "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop",
        "privileged", "profiles", "provider", "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime", "scale",
        "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs",
        "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
    };

    public List<ComposeService> ReadServices(ComposeMapping model, IReadOnlyList<string> profiles)
    {
        var services = new List<ComposeService>();
        if (model.Entry("services") is not { } servicesEntry || servicesEntry.Value.IsNull)
        {
            return services;
        }

        if (servicesEntry.Value is not ComposeMapping map)
        {
            Error(servicesEntry.Value, $"services must be a mapping, not {servicesEntry.Value.KindName}");
            return services;
        }

        foreach (var entry in map.Entries)
        {
            var definition = entry.Value switch
            {
                ComposeMapping m => m,
                ComposeScalar { IsNullValue: true } empty => new ComposeMapping([], empty.Location, empty.Document),
                _ => null,
            };
            if (definition is null)
            {
                Error(entry.Value, $"services.{entry.Key} must be a mapping, not {entry.Value.KindName}");
                continue;
            }

            services.Add(ReadService(entry, definition, profiles));
        }

        return services;
    }

    public List<ComposeSecretDefinition> ReadSecrets(ComposeMapping model)
    {
        var secrets = new List<ComposeSecretDefinition>();
        if (model["secrets"] is not ComposeMapping map)
        {
            return secrets;
        }

        foreach (var entry in map.Entries)
        {
            var definition = entry.Value as ComposeMapping;
            var path = "secrets." + entry.Key;
            secrets.Add(new ComposeSecretDefinition(entry.Key, entry.KeyLocation)
            {
                File = String(definition, "file", path),
                Environment = String(definition, "environment", path),
                External = Bool(definition, "external", path),
            });
        }

        return secrets;
    }

    private ComposeService ReadService(ComposeEntry entry, ComposeMapping s, IReadOnlyList<string> activeProfiles)
    {
        var name = entry.Key;
        var p = "services." + name;
        foreach (var key in s.Entries)
        {
            if (!ServiceKeys.Contains(key.Key) && !key.Key.StartsWith("x-", StringComparison.Ordinal))
            {
                warn(new InputError(key.KeyLocation.File, key.KeyLocation.Line, key.KeyLocation.Column, $"unknown key {p}.{key.Key} (Compose rejects it)"));
            }
        }

        var profiles = Strings(s, "profiles", p);
        var active = profiles.Count == 0
            || activeProfiles.Contains("*", StringComparer.Ordinal)
            || profiles.Any(x => activeProfiles.Contains(x.Value, StringComparer.Ordinal));

        return new ComposeService
        {
            Name = name,
            Location = entry.KeyLocation,
            Document = entry.KeyDocument,
            Definition = s,
            IsActive = active,
            Profiles = profiles,
            Image = String(s, "image", p),
            Build = ReadBuild(s, p),
            ContainerName = String(s, "container_name", p),
            Platform = String(s, "platform", p),
            User = String(s, "user", p),
            GroupAdd = Strings(s, "group_add", p),
            Privileged = Bool(s, "privileged", p),
            CapAddLocation = s.Entry("cap_add")?.KeyLocation,
            CapAdd = Strings(s, "cap_add", p),
            CapDropLocation = s.Entry("cap_drop")?.KeyLocation,
            CapDrop = Strings(s, "cap_drop", p),
            SecurityOptLocation = s.Entry("security_opt")?.KeyLocation,
            SecurityOpt = [.. Strings(s, "security_opt", p).Select(o => ComposeSecurityOption.Parse(o.Value, o.Location))],
            ReadOnly = Bool(s, "read_only", p),
            NetworkMode = String(s, "network_mode", p),
            Pid = String(s, "pid", p),
            Ipc = String(s, "ipc", p),
            UsernsMode = String(s, "userns_mode", p),
            Uts = String(s, "uts", p),
            Cgroup = String(s, "cgroup", p),
            Runtime = String(s, "runtime", p),
            VolumesLocation = s.Entry("volumes")?.KeyLocation,
            Volumes = ReadVolumes(s, p),
            VolumesFrom = Strings(s, "volumes_from", p),
            UseApiSocket = Bool(s, "use_api_socket", p),
            Devices = ReadDevices(s, p),
            DeviceCgroupRules = Strings(s, "device_cgroup_rules", p),
            Sysctls = ReadKeyValues(s, "sysctls", p),
            Ports = ReadPorts(s, p),
            EnvironmentLocation = s.Entry("environment")?.KeyLocation,
            Environment = ReadEnvironment(s, "environment", p),
            EnvFiles = ReadEnvFiles(s, p, out var envFileVariables),
            EnvFileVariables = envFileVariables,
            Secrets = ReadSecrets(s, p),
            Tmpfs = Strings(s, "tmpfs", p, allowScalar: true),
            Resources = ReadResources(s, p),
            Healthcheck = ReadHealthcheck(s, p),
            Hooks = [.. ReadHooks(s, "post_start", p), .. ReadHooks(s, "pre_stop", p)],
        };
    }

    private void Error(ComposeNode at, string message) => report(new InputError(at.Location.File, at.Location.Line, at.Location.Column, message));

    private static bool Usable(ComposeNode node) => node is not ComposeScalar { Unresolved: true };

    /// <summary>compose-go's <c>toBoolean</c>: YAML 1.1 spellings in any case.</summary>
    public static bool? ToBoolean(string value) => value.ToLowerInvariant() switch
    {
        "y" or "yes" or "true" or "on" => true,
        "n" or "no" or "false" or "off" => false,
        _ => null,
    };

    private Located<string>? String(ComposeMapping? map, string key, string path)
    {
        if (map?.Entry(key) is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return null;
        }

        if (entry.Value is ComposeScalar s)
        {
            return new Located<string>(s.Value, entry.KeyLocation);
        }

        Error(entry.Value, $"{path}.{key} must be a string, not {entry.Value.KindName}");
        return null;
    }

    private Located<bool>? Bool(ComposeMapping? map, string key, string path)
    {
        if (map?.Entry(key) is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return null;
        }

        if (entry.Value is ComposeScalar s && ToBoolean(s.Value) is { } value)
        {
            return new Located<bool>(value, entry.KeyLocation);
        }

        var what = entry.Value is ComposeScalar bad ? $"\"{bad.Value}\"" : entry.Value.KindName;
        Error(entry.Value, $"{path}.{key} must be a boolean (true or false), not {what}");
        return null;
    }

    /// <summary>A list of strings (items located at the item); with <paramref name="allowScalar"/> a single string too.</summary>
    private List<Located<string>> Strings(ComposeMapping? map, string key, string path, bool allowScalar = false)
    {
        var list = new List<Located<string>>();
        if (map?.Entry(key) is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return list;
        }

        switch (entry.Value)
        {
            case ComposeSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var item = seq.Items[i];
                    if (item is ComposeScalar { IsNullValue: false } s)
                    {
                        if (Usable(s))
                        {
                            list.Add(new Located<string>(s.Value, s.Location));
                        }
                    }
                    else
                    {
                        Error(item, $"{path}.{key}[{i}] must be a string, not {item.KindName}");
                    }
                }

                break;
            case ComposeScalar s when allowScalar:
                list.Add(new Located<string>(s.Value, entry.KeyLocation));
                break;
            default:
                var what = entry.Value is ComposeScalar bad ? $"\"{bad.Value}\"" : entry.Value.KindName;
                Error(entry.Value, $"{path}.{key} must be a list{(allowScalar ? " or a string" : " of strings")}, not {what}");
                break;
        }

        return list;
    }

    private ComposeBuild? ReadBuild(ComposeMapping s, string p)
    {
        if (s.Entry("build") is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return null;
        }

        switch (entry.Value)
        {
            case ComposeScalar context:
                return new ComposeBuild(entry.KeyLocation) { Context = new Located<string>(context.Value, entry.KeyLocation) };
            case ComposeMapping build:
                {
                    var path = p + ".build";
                    return new ComposeBuild(entry.KeyLocation)
                    {
                        Context = String(build, "context", path),
                        Dockerfile = String(build, "dockerfile", path),
                        DockerfileInline = String(build, "dockerfile_inline", path),
                        Target = String(build, "target", path),
                        Network = String(build, "network", path),
                        Privileged = Bool(build, "privileged", path),
                        Entitlements = Strings(build, "entitlements", path),
                        Args = ReadEnvironment(build, "args", path),
                    };
                }

            default:
                Error(entry.Value, $"{p}.build must be a string or a mapping, not {entry.Value.KindName}");
                return null;
        }
    }

    /// <summary><c>KEY: value</c> (null value: from the host) or <c>- KEY=value</c> / <c>- KEY</c>.</summary>
    private List<ComposeEnvironmentVariable> ReadEnvironment(ComposeMapping s, string key, string p)
    {
        var list = new List<ComposeEnvironmentVariable>();
        if (s.Entry(key) is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return list;
        }

        switch (entry.Value)
        {
            case ComposeMapping map:
                foreach (var variable in map.Entries)
                {
                    switch (variable.Value)
                    {
                        case ComposeScalar { IsNullValue: true }:
                            list.Add(new ComposeEnvironmentVariable(variable.Key, null, variable.KeyLocation));
                            break;
                        case ComposeScalar value:
                            if (Usable(value))
                            {
                                list.Add(new ComposeEnvironmentVariable(variable.Key, value.Value, variable.KeyLocation) { Original = value.Original });
                            }

                            break;
                        default:
                            Error(variable.Value, $"{p}.{key}.{variable.Key} must be a string, number, boolean or null, not {variable.Value.KindName}");
                            break;
                    }
                }

                break;
            case ComposeSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (seq.Items[i] is ComposeScalar { IsNullValue: false } item)
                    {
                        if (Usable(item))
                        {
                            var eq = item.Value.IndexOf('=', StringComparison.Ordinal);
                            var original = item.Original is { } o && o.IndexOf('=', StringComparison.Ordinal) is var oe and >= 0 ? o[(oe + 1)..] : item.Original;
                            list.Add(eq < 0
                                ? new ComposeEnvironmentVariable(item.Value, null, item.Location)
                                : new ComposeEnvironmentVariable(item.Value[..eq], item.Value[(eq + 1)..], item.Location) { Original = original });
                        }
                    }
                    else
                    {
                        Error(seq.Items[i], $"{p}.{key}[{i}] must be a string KEY=VALUE, not {seq.Items[i].KindName}");
                    }
                }

                break;
            default:
                Error(entry.Value, $"{p}.{key} must be a mapping or a list, not {entry.Value.KindName}");
                break;
        }

        return list;
    }

    private List<ComposeKeyValue> ReadKeyValues(ComposeMapping s, string key, string p) =>
        [.. ReadEnvironment(s, key, p).Select(v => new ComposeKeyValue(v.Name, v.Value, v.Location))];

    private List<ComposeEnvFile> ReadEnvFiles(ComposeMapping s, string p, out List<ComposeEnvironmentVariable> variables)
    {
        variables = [];
        var files = new List<ComposeEnvFile>();
        if (s.Entry("env_file") is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return files;
        }

        var items = entry.Value switch
        {
            ComposeSequence seq => seq.Items,
            ComposeScalar scalar => [scalar],
            _ => [],
        };
        if (entry.Value is ComposeMapping)
        {
            Error(entry.Value, $"{p}.env_file must be a string or a list, not a mapping");
        }

        foreach (var item in items)
        {
            ComposeEnvFile? file = item switch
            {
                ComposeScalar { IsNullValue: false, Unresolved: false } path => new ComposeEnvFile(path.Value, path.Location),
                ComposeMapping map when map["path"] is ComposeScalar { IsNullValue: false, Unresolved: false } path => new ComposeEnvFile(path.Value, map.Location)
                {
                    Required = Bool(map, "required", p + ".env_file")?.Value ?? true,
                    Format = String(map, "format", p + ".env_file")?.Value,
                },
                _ => null,
            };
            if (file is null)
            {
                if (Usable(item))
                {
                    Error(item, $"{p}.env_file items must be a path or a mapping with path, not {item.KindName}");
                }

                continue;
            }

            var resolved = ComposeLoader.ResolvePath(baseDirectoryOf(file.Location.File), file.Path);
            file = file with { ResolvedPath = resolved };
            files.Add(file);
            if (!options.ReadServiceEnvFiles || resolved is null)
            {
                continue;
            }

            if (!System.IO.File.Exists(resolved))
            {
                if (file.Required)
                {
                    warn(new InputError(file.Location.File, file.Location.Line, file.Location.Column, $"env file {file.Path} of {p} not found; its variables are not checked"));
                }

                continue;
            }

            var result = DotEnvFile.Load(resolved, name => environment.TryGetValue(name, out var v) ? v : null, raw: file.Format == "raw", options.Limits.MaxFileBytes);
            result.Errors.ForEach(warn);
            variables.AddRange(result.Entries.Select(e => new ComposeEnvironmentVariable(e.Key, e.Value, e.Location) { Original = e.Original }));
        }

        return files;
    }

    private List<ComposeVolume> ReadVolumes(ComposeMapping s, string p)
    {
        var volumes = new List<ComposeVolume>();
        if (s.Entry("volumes") is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return volumes;
        }

        if (entry.Value is not ComposeSequence seq)
        {
            Error(entry.Value, $"{p}.volumes must be a list, not {entry.Value.KindName}");
            return volumes;
        }

        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var path = $"{p}.volumes[{i}]";
            ComposeVolume? volume = item switch
            {
                ComposeScalar { IsNullValue: false, Unresolved: false } text => ShortVolume(text, path),
                ComposeMapping map => LongVolume(map, path),
                ComposeScalar { Unresolved: true } => null,
                _ => Invalid(item, $"{path} must be a string or a mapping, not {item.KindName}"),
            };
            if (volume is null)
            {
                continue;
            }

            if (volume.IsBind && volume.Source is { Length: > 0 } source)
            {
                volume = volume with { ResolvedSource = ResolvePath(source, baseDirectoryOf(volume.Location.File)) };
            }

            volumes.Add(volume);
        }

        return volumes;
    }

    private ComposeVolume? Invalid(ComposeNode at, string message)
    {
        Error(at, message);
        return null;
    }

    private ComposeVolume? ShortVolume(ComposeScalar text, string path)
    {
        if (ComposeVolumeSyntax.Parse(text.Value, out var error) is not { } parsed)
        {
            Error(text, $"{path}: {error}");
            return null;
        }

        return new ComposeVolume(parsed.Type, parsed.Source.Length > 0 ? parsed.Source : null, parsed.Target, text.Location)
        {
            ShortSyntax = text.Value,
            ReadOnly = parsed.ReadOnly,
            Propagation = parsed.Propagation,
            SeLinux = parsed.SeLinux,
            NoCopy = parsed.NoCopy,
            CreateHostPath = parsed.Type == "bind" ? true : null,
        };
    }

    private ComposeVolume LongVolume(ComposeMapping map, string path)
    {
        var sourceValue = String(map, "source", path);
        var source = sourceValue?.Value;
        var target = String(map, "target", path)?.Value ?? string.Empty;
        var type = String(map, "type", path)?.Value;
        if (type is null)
        {
            type = source is not null && ComposeVolumeSyntax.IsFilePath(source) ? "bind" : "volume";
            Error(map, $"{path} must have a type (bind, volume, tmpfs, image, npipe or cluster); read as {type}");
        }

        var bind = map["bind"] as ComposeMapping;
        var volume = map["volume"] as ComposeMapping;
        return new ComposeVolume(type, source, target, map.Location)
        {
            ReadOnly = Bool(map, "read_only", path)?.Value ?? false,
            Propagation = String(bind, "propagation", path + ".bind")?.Value,
            SeLinux = String(bind, "selinux", path + ".bind")?.Value,
            CreateHostPath = Bool(bind, "create_host_path", path + ".bind")?.Value,
            NoCopy = Bool(volume, "nocopy", path + ".volume")?.Value ?? false,
            SourceLocation = sourceValue?.Location,
        };
    }

    private static string? ResolvePath(string source, string baseDirectory)
    {
        // Home-relative, absolute, Windows drive and named-pipe paths stay as written.
        if (source.StartsWith('~') || Path.IsPathRooted(source) || source.StartsWith(@"\\", StringComparison.Ordinal)
            || (ComposeVolumeSyntax.IsFilePath(source) && source.Length > 1 && source[1] == ':'))
        {
            return source;
        }

        return ComposeLoader.ResolvePath(baseDirectory, source);
    }

    private List<ComposeDevice> ReadDevices(ComposeMapping s, string p)
    {
        var devices = new List<ComposeDevice>();
        if (s.Entry("devices") is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return devices;
        }

        if (entry.Value is not ComposeSequence seq)
        {
            Error(entry.Value, $"{p}.devices must be a list, not {entry.Value.KindName}");
            return devices;
        }

        for (var i = 0; i < seq.Items.Count; i++)
        {
            switch (seq.Items[i])
            {
                case ComposeScalar { IsNullValue: false, Unresolved: false } text:
                    {
                        var parts = text.Value.Split(':');
                        if (parts.Length > 3)
                        {
                            Error(text, $"{p}.devices[{i}]: invalid device specification \"{text.Value}\"");
                            break;
                        }

                        var source = parts[0];
                        var target = source;
                        var permissions = "rwm";
                        if (parts.Length == 3)
                        {
                            (target, permissions) = (parts[1], parts[2]);
                        }
                        else if (parts.Length == 2 && IsDeviceMode(parts[1]))
                        {
                            permissions = parts[1];
                        }
                        else if (parts.Length == 2)
                        {
                            target = parts[1];
                        }

                        devices.Add(new ComposeDevice(source, target.Length > 0 ? target : source, permissions, text.Location));
                        break;
                    }

                case ComposeMapping map:
                    {
                        var path = $"{p}.devices[{i}]";
                        if (String(map, "source", path) is not { } source)
                        {
                            Error(map, $"{path} must have a source");
                            break;
                        }

                        devices.Add(new ComposeDevice(source.Value, String(map, "target", path)?.Value ?? source.Value, String(map, "permissions", path)?.Value ?? "rwm", map.Location));
                        break;
                    }

                case ComposeScalar { Unresolved: true }:
                    break;
                default:
                    Error(seq.Items[i], $"{p}.devices[{i}] must be a string or a mapping, not {seq.Items[i].KindName}");
                    break;
            }
        }

        return devices;
    }

    private static bool IsDeviceMode(string mode) =>
        mode.Length is > 0 and <= 3 && mode.All(c => c is 'r' or 'w' or 'm') && mode.Distinct().Count() == mode.Length;

    private List<ComposePort> ReadPorts(ComposeMapping s, string p)
    {
        var ports = new List<ComposePort>();
        if (s.Entry("ports") is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return ports;
        }

        if (entry.Value is not ComposeSequence seq)
        {
            Error(entry.Value, $"{p}.ports must be a list, not {entry.Value.KindName}");
            return ports;
        }

        for (var i = 0; i < seq.Items.Count; i++)
        {
            var path = $"{p}.ports[{i}]";
            switch (seq.Items[i])
            {
                case ComposeScalar { IsNullValue: false, Unresolved: false } text:
                    if (ComposePort.ParseShort(text.Value, text.Location) is { } port)
                    {
                        ports.Add(port);
                    }
                    else
                    {
                        Error(text, $"{path}: invalid port \"{text.Value}\"");
                    }

                    break;
                case ComposeMapping map:
                    {
                        if (String(map, "target", path) is not { } target)
                        {
                            Error(map, $"{path} must have a target");
                            break;
                        }

                        var published = String(map, "published", path)?.Value;
                        ports.Add(new ComposePort(target.Value, map.Location)
                        {
                            TargetPort = ComposePort.FirstPort(target.Value),
                            Published = published is { Length: > 0 } ? published : null,
                            PublishedPort = published is null ? null : ComposePort.FirstPort(published),
                            HostIp = String(map, "host_ip", path)?.Value,
                            Protocol = String(map, "protocol", path)?.Value ?? "tcp",
                            Mode = String(map, "mode", path)?.Value,
                            Name = String(map, "name", path)?.Value,
                        });
                        break;
                    }

                case ComposeScalar { Unresolved: true }:
                    break;
                default:
                    Error(seq.Items[i], $"{path} must be a number, a string or a mapping, not {seq.Items[i].KindName}");
                    break;
            }
        }

        return ports;
    }

    private List<ComposeServiceSecret> ReadSecrets(ComposeMapping s, string p)
    {
        var secrets = new List<ComposeServiceSecret>();
        if (s.Entry("secrets") is not { } entry || entry.Value.IsNull || !Usable(entry.Value))
        {
            return secrets;
        }

        if (entry.Value is not ComposeSequence seq)
        {
            Error(entry.Value, $"{p}.secrets must be a list, not {entry.Value.KindName}");
            return secrets;
        }

        for (var i = 0; i < seq.Items.Count; i++)
        {
            var path = $"{p}.secrets[{i}]";
            switch (seq.Items[i])
            {
                case ComposeScalar { IsNullValue: false, Unresolved: false } name:
                    secrets.Add(new ComposeServiceSecret(name.Value, null, name.Location));
                    break;
                case ComposeMapping map when String(map, "source", path) is { } source:
                    secrets.Add(new ComposeServiceSecret(source.Value, String(map, "target", path)?.Value, map.Location));
                    break;
                case ComposeScalar { Unresolved: true }:
                    break;
                default:
                    Error(seq.Items[i], $"{path} must be a secret name or a mapping with source");
                    break;
            }
        }

        return secrets;
    }

    private ComposeResources ReadResources(ComposeMapping s, string p)
    {
        var deploy = s.Entry("deploy");
        var resources = (deploy?.Value as ComposeMapping)?.Entry("resources");
        var limits = (resources?.Value as ComposeMapping)?.Entry("limits");
        var limitsMap = limits?.Value as ComposeMapping;
        var path = p + ".deploy.resources.limits";
        return new ComposeResources
        {
            DeployLocation = limits?.KeyLocation ?? resources?.KeyLocation ?? deploy?.KeyLocation,
            LimitsCpus = String(limitsMap, "cpus", path),
            LimitsMemory = String(limitsMap, "memory", path),
            LimitsPids = String(limitsMap, "pids", path),
            MemLimit = String(s, "mem_limit", p),
            Cpus = String(s, "cpus", p),
            PidsLimit = String(s, "pids_limit", p),
        };
    }

    private ComposeHealthcheck? ReadHealthcheck(ComposeMapping s, string p)
    {
        if (s.Entry("healthcheck") is not { Value: ComposeMapping map } entry)
        {
            return null;
        }

        return new ComposeHealthcheck(entry.KeyLocation)
        {
            Test = Strings(map, "test", p + ".healthcheck", allowScalar: true),
            Disable = Bool(map, "disable", p + ".healthcheck"),
        };
    }

    private List<ComposeLifecycleHook> ReadHooks(ComposeMapping s, string key, string p)
    {
        var hooks = new List<ComposeLifecycleHook>();
        if (s[key] is not ComposeSequence seq)
        {
            return hooks;
        }

        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (seq.Items[i] is ComposeMapping hook)
            {
                var path = $"{p}.{key}[{i}]";
                hooks.Add(new ComposeLifecycleHook(key, hook.Location)
                {
                    User = String(hook, "user", path),
                    Privileged = Bool(hook, "privileged", path),
                });
            }
        }

        return hooks;
    }
}
