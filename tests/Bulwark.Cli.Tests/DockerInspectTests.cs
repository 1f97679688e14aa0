using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary><c>docker inspect</c> output from a real engine, scanned with the same rules as manifests.</summary>
public sealed class DockerInspectTests
{
    private static List<JsonElement> Findings(CliRunner.Result result) =>
        [.. JsonDocument.Parse(result.Out).RootElement.GetProperty("findings").EnumerateArray()];

    private static async Task<List<JsonElement>> ScanContainerAsync(object body, string name)
    {
        using var engine = DockerEngine.Connect();
        using var tree = new TempTree();
        var json = await engine.CreateAndInspectAsync($"bulwark-test-{name}-{Guid.NewGuid():N}", body);
        var file = tree.Write("inspect.json", json);
        var result = CliRunner.Run("scan", file, "--format", "json", "--severity", "info");
        Assert.True(result.ExitCode is ExitCodes.Findings or ExitCodes.Success, result.Error);
        return Findings(result);
    }

    private static HashSet<string?> Slugs(List<JsonElement> findings) => [.. findings.Select(f => f.GetProperty("slug").GetString())];

    /// <summary>A device node every Linux host has; the engine checks that it exists when the container is created.</summary>
    private static string HostDevice => new[] { "/dev/kmsg", "/dev/fuse", "/dev/vda", "/dev/sda" }.FirstOrDefault(File.Exists) ?? "/dev/kmsg";

    [SkippableFact]
    public async Task A_dangerous_container_gets_the_container_rules_with_their_slugs()
    {
        var socket = Path.Combine(Path.GetTempPath(), "bulwark-inspect-" + Guid.NewGuid().ToString("N"), "docker.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        await File.WriteAllTextAsync(socket, string.Empty);
        // Podman's compat API drops CapAdd from privileged containers and does not report IpcMode host or
        // Sysctls, so capabilities and the host network go on a second, unprivileged container.
        var findings = await ScanContainerAsync(
            new
            {
                Image = DockerEngine.Image,
                Cmd = new[] { "/bin/true" },
                Env = new[] { "DB_PASSWORD=hunter2-prod", "LOG_LEVEL=info" },
                HostConfig = new
                {
                    Privileged = true,
                    SecurityOpt = new[] { "seccomp=unconfined", "apparmor=unconfined" },
                    PidMode = "host",
                    Binds = new[] { $"{socket}:/var/run/docker.sock", "/etc:/host-etc:ro" },
                },
            },
            "privileged");
        findings.AddRange(await ScanContainerAsync(
            new
            {
                Image = DockerEngine.Image,
                Cmd = new[] { "/bin/true" },
                HostConfig = new
                {
                    CapAdd = new[] { "SYS_ADMIN" },
                    NetworkMode = "host",
                    Devices = new[] { new { PathOnHost = HostDevice, PathInContainer = "/dev/hostdev", CgroupPermissions = "rwm" } },
                },
            },
            "caps"));

        var slugs = Slugs(findings);
        Assert.Superset(
            new HashSet<string?>
            {
                "privileged-container", "dangerous-capability-added", "seccomp-disabled", "apparmor-disabled", "host-namespace-shared",
                "container-runtime-socket-mount", "host-path-mount", "runs-as-root", "secret-in-environment", "privilege-escalation-allowed",
                "writable-root-filesystem", "capabilities-not-dropped", "host-device-exposed",
            },
            slugs);
        Assert.All(findings, f =>
        {
            Assert.Equal("container", f.GetProperty("object").GetProperty("kind").GetString());
            Assert.True(f.GetProperty("line").GetInt32() > 0);
        });
        var secret = Assert.Single(findings, f => f.GetProperty("slug").GetString() == "secret-in-environment");
        Assert.Contains("DB_PASSWORD", secret.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("--security-opt no-new-privileges", findings.First(f => f.GetProperty("slug").GetString() == "privilege-escalation-allowed").GetProperty("remediation").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_hardened_container_passes_the_checklist()
    {
        var findings = await ScanContainerAsync(
            new
            {
                Image = DockerEngine.Image,
                Cmd = new[] { "/bin/true" },
                User = "1000:1000",
                HostConfig = new
                {
                    CapDrop = new[] { "ALL" },
                    CapAdd = new[] { "NET_BIND_SERVICE" },
                    SecurityOpt = new[] { "no-new-privileges" },
                    ReadonlyRootfs = true,
                },
            },
            "good");

        var slugs = Slugs(findings);
        foreach (var slug in new[] { "privileged-container", "dangerous-capability-added", "capabilities-not-dropped", "privilege-escalation-allowed", "writable-root-filesystem", "runs-as-root", "seccomp-disabled" })
        {
            Assert.DoesNotContain(slug, slugs);
        }
    }
}
