using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Compose;
using Bulwark.Rules;
using Xunit;

namespace Bulwark.Compose.Tests;

public sealed class MapperTests : IDisposable
{
    private readonly TempProject _dir = new();

    public void Dispose() => _dir.Dispose();

    private (Workload Workload, string File) MapOne(string yaml, string service, ComposeLoadOptions? options = null)
    {
        var file = _dir.Write("compose.yaml", yaml);
        var project = _dir.Load(options: options);
        Expect.NoErrors(project);
        return (ComposeWorkloadMapper.Map(project.Service(service)!, project), file);
    }

    private static List<Finding> Evaluate(Workload workload)
    {
        var context = new CollectingRuleContext();
        // Rules do not list Compose among their sources yet (their owners decide); run every Workload rule.
        foreach (var rule in BuiltInRules.All.Where(r => r.TargetType == typeof(Workload)))
        {
            rule.EvaluateTarget(workload, context);
        }

        return context.Findings;
    }

    private const string Hardened = """
        services:
          api:
            image: registry.example.com/api:1.4.2@sha256:3b9c1f7c5e2a4d6b8f0a1c3e5d7b9f1a3c5e7d9b1f3a5c7e9d1b3f5a7c9e1d3b
            user: "1000:1000"
            cap_drop: [ALL]
            cap_add: [NET_BIND_SERVICE]
            security_opt:
              - no-new-privileges:true
            read_only: true
            deploy:
              resources:
                limits:
                  cpus: "0.5"
                  memory: 256M
        """;

    [Fact]
    public void Hardened_service_maps_every_setting_with_its_line()
    {
        var (workload, file) = MapOne(Hardened, "api");

        Assert.Equal(SourceKind.Compose, workload.Source);
        Assert.Equal(new ObjectReference(null, "service", null, "api"), workload.Object);
        Expect.At(workload.Location, file, 2);
        Assert.False(workload.HasServiceAccounts);
        var container = Assert.Single(workload.Containers);
        Assert.Equal("api", container.Name);
        Assert.Equal(ContainerKind.Container, container.Kind);
        Expect.At(container.Image, "registry.example.com/api:1.4.2@sha256:3b9c1f7c5e2a4d6b8f0a1c3e5d7b9f1a3c5e7d9b1f3a5c7e9d1b3f5a7c9e1d3b", file, 3);
        Expect.At(container.RunAsUser, 1000L, file, 4);
        Expect.At(container.RunAsGroup, 1000L, file, 4);
        Assert.Null(container.UserName);
        Expect.At(Assert.Single(container.CapabilitiesDrop), "ALL", file, 5);
        Expect.At(Assert.Single(container.CapabilitiesAdd), "NET_BIND_SERVICE", file, 6);
        Expect.At(container.CapabilitiesLocation!.Value, file, 5);
        Expect.At(container.AllowPrivilegeEscalation, false, file, 8);
        Expect.At(container.ReadOnlyRootFilesystem, true, file, 9);
        Expect.At(container.Limits.Cpu, "0.5", file, 13);
        Expect.At(container.Limits.Memory, "256M", file, 14);
        Expect.At(container.Limits.Location!.Value, file, 12);
        Assert.Null(container.Privileged);
        Assert.Null(container.Seccomp);
        Assert.Null(workload.HostNetwork);
    }

    // Not seccomp-disabled: an unset seccomp maps to null (the source does not set it) and that rule still reads
    // null with Kubernetes' meaning, while Docker applies its default profile; the rule's owners decide.
    [Fact]
    public void Hardened_service_passes_the_container_rules()
    {
        var (workload, _) = MapOne(Hardened, "api");

        var findings = Evaluate(workload);
        var slugs = findings.Select(f => f.Rule.Slug).ToHashSet();

        foreach (var slug in (string[])["privileged-container", "capabilities-not-dropped", "dangerous-capability-added", "privilege-escalation-allowed",
            "writable-root-filesystem", "runs-as-root", "host-namespace-shared", "container-runtime-socket-mount",
            "resource-limits-missing", "image-tag-mutable", "image-not-pinned-by-digest", "secret-in-environment"])
        {
            Assert.True(!slugs.Contains(slug), string.Join("; ", findings.Select(f => $"{f.Rule.Slug}: {f.Message}")));
        }
    }

    private const string Bad = """
        services:
          admin:
            image: admin-tool
            privileged: true
            network_mode: host
            pid: host
            ipc: host
            userns_mode: host
            user: root
            security_opt:
              - seccomp:unconfined
              - apparmor=unconfined
              - label:disable
              - systempaths=unconfined
            volumes:
              - /var/run/docker.sock:/var/run/docker.sock
              - data:/data
              - ./conf:/etc/app:ro
            environment:
              DB_PASSWORD: hunter2
              HOME_DIR:
            ports:
              - "127.0.0.1:8080:80/udp"
              - "9000"
            devices:
              - /dev/mem:/dev/mem:r
            sysctls:
              net.ipv4.ip_forward: 1
            mem_limit: 512m
        """;

    [Fact]
    public void Bad_service_maps_every_setting_with_its_line()
    {
        var (workload, file) = MapOne(Bad, "admin");
        var container = Assert.Single(workload.Containers);

        Expect.At(container.Privileged, true, file, 4);
        Expect.At(workload.HostNetwork, true, file, 5);
        Expect.At(workload.HostPid, true, file, 6);
        Expect.At(workload.HostIpc, true, file, 7);
        Expect.At(workload.HostUsers, true, file, 8);
        Expect.At(container.UserName, "root", file, 9);
        Assert.Null(container.RunAsUser);
        Expect.At(container.Seccomp, new SecurityProfile("Unconfined"), file, 11);
        Expect.At(container.AppArmor, new SecurityProfile("Unconfined"), file, 12);
        Expect.At(container.SeLinux, new SeLinuxOptions(null, null, "disabled", null), file, 13);
        Expect.At(container.ProcMount, "Unmasked", file, 14);
        Assert.Null(container.AllowPrivilegeEscalation);

        Assert.Equal(["bind:/var/run/docker.sock@16", "volume:-@17", "bind:./conf@18"],
            workload.Volumes.Select(v => $"{v.Type}:{v.HostPath?.Value ?? "-"}@{v.Location.Line}"));
        Assert.True(workload.Volumes[2].ReadOnly);
        Assert.Equal(["/var/run/docker.sock", "/data", "/etc/app"], container.Mounts.Select(m => m.MountPath));

        var password = container.Environment[0];
        Expect.At(password.Name, "DB_PASSWORD", file, 20);
        Expect.At(password.Value, "hunter2", file, 20);
        Assert.Null(container.Environment[1].Value);
        Assert.Equal("host environment", container.Environment[1].ValueFrom);

        var published = container.Ports[0];
        Assert.Equal((80, "UDP"), (published.ContainerPort, published.Protocol));
        Expect.At(published.HostPort, 8080, file, 23);
        Assert.Null(container.Ports[1].HostPort);
        Assert.Equal(9000, container.Ports[1].ContainerPort);

        Expect.At(Assert.Single(container.Devices), "/dev/mem", file, 26);
        Expect.At(Assert.Single(workload.Sysctls), new Sysctl("net.ipv4.ip_forward", "1"), file, 28);
        Expect.At(container.Limits.Memory, "512m", file, 29);
        Assert.Null(container.Limits.Cpu);
        Expect.At(container.Limits.Location!.Value, file, 2);
    }

    [Fact]
    public void Bad_service_is_caught_by_the_container_rules_at_the_right_lines()
    {
        var (workload, file) = MapOne(Bad, "admin");

        var findings = Evaluate(workload);
        var bySlug = findings.GroupBy(f => f.Rule.Slug).ToDictionary(g => g.Key, g => g.Select(f => f.Location.Line).Order().ToList());

        Assert.All(findings, f => Assert.Equal(file, f.Location.File));
        Assert.Equal([4], bySlug["privileged-container"]);
        Assert.Equal([5, 6, 7], bySlug["host-namespace-shared"]);
        Assert.Equal([11], bySlug["seccomp-disabled"]);
        Assert.Equal([12], bySlug["apparmor-disabled"]);
        Assert.Equal([16], bySlug["container-runtime-socket-mount"]);
        Assert.Equal([20], bySlug["secret-in-environment"]);
        Assert.Equal([9], bySlug["runs-as-root"]);
        Assert.Contains("capabilities-not-dropped", bySlug.Keys);
        Assert.Contains("privilege-escalation-allowed", bySlug.Keys);
    }

    [Fact]
    public void Use_api_socket_is_a_docker_socket_bind_at_that_key()
    {
        var (workload, file) = MapOne("""
            services:
              agent:
                image: agent:1.0
                use_api_socket: true
            """, "agent");

        var volume = Assert.Single(workload.Volumes);
        Expect.At(volume.HostPath, ComposeWorkloadMapper.DockerSocket, file, 4);
        Assert.Equal("bind", volume.Type);
        Assert.Contains(Evaluate(workload), f => f.Rule.Slug == "container-runtime-socket-mount" && f.Location.Line == 4);
    }

    [Theory]
    [InlineData("0", 0L, null, null)]
    [InlineData("1000", 1000L, null, null)]
    [InlineData("1000:1000", 1000L, 1000L, null)]
    [InlineData("root", null, null, "root")]
    [InlineData("root:root", null, null, "root:root")]
    [InlineData("app", null, null, "app")]
    [InlineData("app:1000", null, 1000L, "app:1000")]
    public void User_forms(string user, long? uid, long? gid, string? name)
    {
        var (workload, _) = MapOne($$"""
            services:
              web:
                image: web:1
                user: "{{user}}"
            """, "web");

        var container = workload.Containers[0];
        Assert.Equal(uid, container.RunAsUser?.Value);
        Assert.Equal(gid, container.RunAsGroup?.Value);
        Assert.Equal(name, container.UserName?.Value);
    }

    [Theory]
    [InlineData("no-new-privileges", false)]
    [InlineData("no-new-privileges:true", false)]
    [InlineData("no-new-privileges=true", false)]
    [InlineData("no-new-privileges=1", false)]
    [InlineData("no-new-privileges:false", true)]
    public void No_new_privileges_forms(string option, bool allowEscalation)
    {
        var (workload, file) = MapOne($$"""
            services:
              web:
                image: web:1
                security_opt: ["{{option}}"]
            """, "web");

        Expect.At(workload.Containers[0].AllowPrivilegeEscalation, allowEscalation, file, 4);
    }

    [Theory]
    [InlineData("seccomp=/etc/docker/seccomp.json", "seccomp", "Localhost", "/etc/docker/seccomp.json")]
    [InlineData("seccomp:builtin", "seccomp", "RuntimeDefault", null)]
    [InlineData("apparmor:my-profile", "apparmor", "Localhost", "my-profile")]
    [InlineData("apparmor=docker-default", "apparmor", "RuntimeDefault", "docker-default")]
    public void Profile_forms(string option, string kind, string type, string? profile)
    {
        var (workload, _) = MapOne($$"""
            services:
              web:
                image: web:1
                security_opt: ["{{option}}"]
            """, "web");

        var container = workload.Containers[0];
        var actual = kind == "seccomp" ? container.Seccomp : container.AppArmor;
        Assert.Equal(new SecurityProfile(type, profile), actual?.Value);
    }

    [Fact]
    public void SeLinux_label_fields()
    {
        var (workload, file) = MapOne("""
            services:
              web:
                image: web:1
                security_opt:
                  - label=type:svirt_apache_t
                  - label:level:s0:c100,c200
            """, "web");

        Expect.At(workload.Containers[0].SeLinux, new SeLinuxOptions(null, null, "svirt_apache_t", "s0:c100,c200"), file, 6);
    }

    [Fact]
    public void Other_namespace_modes_are_false()
    {
        var (workload, file) = MapOne("""
            services:
              web:
                image: web:1
                network_mode: "service:db"
                ipc: shareable
            """, "web");

        Expect.At(workload.HostNetwork, false, file, 4);
        Expect.At(workload.HostIpc, false, file, 5);
        Assert.Null(workload.HostPid);
        Assert.Null(workload.HostUsers);
    }

    [Fact]
    public void Environment_values_are_literal_only_when_written_in_the_file()
    {
        var (workload, file) = MapOne("""
            services:
              web:
                image: web:1
                environment:
                  FROM_ENV: ${DB_PASSWORD}
                  WITH_DEFAULT: ${API_KEY:-changeme}
                  LITERAL: plain
                  ESCAPED: p$$ss
            """, "web", new ComposeLoadOptions { Environment = new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret", ["API_KEY"] = "k" } });

        var env = workload.Containers[0].Environment.ToDictionary(e => e.Name.Value);
        Assert.Null(env["FROM_ENV"].Value);
        Assert.Equal("variable substitution: ${DB_PASSWORD}", env["FROM_ENV"].ValueFrom);
        Assert.Equal("changeme", env["WITH_DEFAULT"].Value?.Value);
        Assert.Equal("plain", env["LITERAL"].Value?.Value);
        Assert.Equal("p$ss", env["ESCAPED"].Value?.Value);
        Assert.Null(env["ESCAPED"].ValueFrom);
        Expect.At(env["WITH_DEFAULT"].Value, "changeme", file, 6);
    }

    [Fact]
    public void Env_file_variables_join_the_environment_unless_overridden()
    {
        _dir.Write("web.env", "TOKEN=abc123\nLITERAL=from-file\nFROM_ENV=${SECRET}\n");
        var (workload, _) = MapOne("""
            services:
              web:
                image: web:1
                env_file: web.env
                environment:
                  LITERAL: plain
            """, "web", new ComposeLoadOptions { Environment = new Dictionary<string, string> { ["SECRET"] = "x" } });

        var env = workload.Containers[0].Environment;
        Assert.Equal(["LITERAL=plain", "TOKEN=abc123", "FROM_ENV="], env.Select(e => $"{e.Name.Value}={e.Value?.Value}"));
        Assert.Equal("variable substitution: ${SECRET}", env[2].ValueFrom);
        Assert.Equal(_dir.PathOf("web.env"), env[1].Value!.Value.Location.File);
        Assert.Equal(1, env[1].Value!.Value.Location.Line);
    }

    [Fact]
    public void A_variable_written_once_for_several_services_knows_which_services_share_it()
    {
        _dir.Write("shared.env", "DB_PASSWORD=Wq7zP2kL9mXr\n");
        _dir.Write("compose.yaml", """
            x-env: &env
              SECRET_KEY: Xy7Qp2Lk9Wm4Zr1Nv5Bt8Hc3
            services:
              web:
                image: web:1
                env_file: shared.env
                environment: *env
              worker:
                image: web:1
                env_file: shared.env
                environment:
                  <<: *env
              beat:
                image: web:1
                environment:
                  <<: *env
                  SECRET_KEY: Qm8Vb2Nc5Xz1Lk7Jh4Gf3Ds
            """);
        var project = _dir.Load();
        Expect.NoErrors(project);
        var env = ComposeWorkloadMapper.MapAll(project).ToDictionary(w => w.Object.Name!, w => w.Containers[0].Environment.ToDictionary(e => e.Name.Value));

        Assert.Equal(["web", "worker"], env["web"]["SECRET_KEY"].SharedWith);
        Assert.Equal(["web", "worker"], env["worker"]["SECRET_KEY"].SharedWith);
        Assert.Empty(env["beat"]["SECRET_KEY"].SharedWith);
        Assert.Equal(["web", "worker"], env["worker"]["DB_PASSWORD"].SharedWith);
    }

    [Fact]
    public void Long_volume_syntax_tmpfs_and_secrets_become_volumes()
    {
        var (workload, file) = MapOne("""
            services:
              web:
                image: web:1
                volumes:
                  - type: bind
                    source: /
                    target: /host
                    read_only: true
                  - type: volume
                    source: cache
                    target: /cache
                tmpfs: /run
                secrets: [db]
            secrets:
              db:
                file: ./db.txt
            """, "web");

        Assert.Equal(["bind:/@5", "volume:-@9", "tmpfs:-@12", "secret:-@13"],
            workload.Volumes.Select(v => $"{v.Type}:{v.HostPath?.Value ?? "-"}@{v.Location.Line}"));
        Assert.True(workload.Volumes[0].ReadOnly);
        Assert.Equal(["/host", "/cache", "/run", "/run/secrets/db"], workload.Containers[0].Mounts.Select(m => m.MountPath));
        Assert.All(workload.Volumes, v => Assert.Equal(file, v.Location.File));
    }

    [Fact]
    public void MapAll_includes_services_disabled_by_profiles_unless_asked_not_to()
    {
        _dir.Write("compose.yaml", """
            services:
              web: {image: web:1}
              debug: {image: debug:1, profiles: [debug], privileged: true}
            """);
        var project = _dir.Load();

        Assert.Equal(["web", "debug"], ComposeWorkloadMapper.MapAll(project).Select(w => w.Object.Name));
        Assert.Equal(["web"], ComposeWorkloadMapper.MapAll(project, activeOnly: true).Select(w => w.Object.Name));
    }

    [Fact]
    public void Platform_sets_the_operating_system()
    {
        var (workload, _) = MapOne("""
            services:
              web:
                image: web:1
                platform: windows/amd64
            """, "web");

        Assert.Equal("windows", workload.OperatingSystem);
    }

    [Fact]
    public void Published_ports_keep_their_host_address_from_every_syntax()
    {
        var (workload, file) = MapOne("""
            services:
              db:
                image: postgres:16.4-alpine
                ports:
                  - "5432:5432"
                  - "127.0.0.1:6432:6432"
                  - "[::1]:7432:5432/tcp"
                  - "0.0.0.0:8432:5432"
                  - "9187"
                  - target: 80
                    published: "8080"
                    host_ip: 192.168.10.5
                  - target: 443
                    published: "8443"
                expose:
                  - "9000"
            """, "db");
        var ports = Assert.Single(workload.Containers).Ports;

        Assert.All(ports, p => Assert.True(p.Published));
        Assert.Equal([null, "127.0.0.1", "::1", "0.0.0.0", null, "192.168.10.5", null], ports.Select(p => p.HostIp?.Value));
        Assert.Equal([true, false, false, true, true, false, true], ports.Select(p => p.OnAllInterfaces));
        Expect.At(ports[1].HostIp, "127.0.0.1", file, 6);
        Assert.Null(ports[4].HostPort);
        Assert.Equal(9187, ports[4].ContainerPort);
        Expect.At(ports[5].HostIp, "192.168.10.5", file, 10);
    }
}
