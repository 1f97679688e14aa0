using System.Diagnostics;
using System.Text.Json;
using Bulwark.Parsing.Seccomp;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class SeccompProfileTests
{
    private static List<JsonElement> Findings(CliRunner.Result result) =>
        [.. JsonDocument.Parse(result.Out).RootElement.GetProperty("findings").EnumerateArray()];

    [Fact]
    public void A_profile_passed_directly_is_linted()
    {
        using var tree = new TempTree();
        var file = tree.Write("profile.json", """
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [
                { "names": ["kexec_load", "ptrce"], "action": "SCMP_ACT_ERRNO" }
              ]
            }
            """);
        var run = CliRunner.Run("scan", file, "--format", "json");
        Assert.True(run.Out.Length > 0, run.Error);
        var findings = Findings(run);
        var byDefault = Assert.Single(findings, f => f.GetProperty("slug").GetString() == "seccomp-profile-allows-by-default");
        Assert.Equal(2, byDefault.GetProperty("line").GetInt32());
        Assert.Contains("bpf", byDefault.GetProperty("message").GetString(), StringComparison.Ordinal);
        var unknown = Assert.Single(findings, f => f.GetProperty("slug").GetString() == "seccomp-profile-unknown-syscall");
        Assert.Contains("ptrce", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_referenced_from_compose_is_linted_in_its_own_file()
    {
        using var tree = new TempTree();
        tree.Write("compose.yaml", """
            services:
              app:
                image: app:1.0.0
                security_opt:
                  - seccomp=./seccomp/app.json
            """);
        tree.Write("seccomp/app.json", """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "syscalls": [
                { "names": ["read", "write", "bpf"], "action": "SCMP_ACT_ALLOW" }
              ]
            }
            """);
        var findings = Findings(CliRunner.Run("scan", tree.PathOf("compose.yaml"), "--format", "json"));
        var bpf = Assert.Single(findings, f => f.GetProperty("slug").GetString() == "seccomp-profile-allows-dangerous-syscall");
        Assert.EndsWith(Path.Combine("seccomp", "app.json"), bpf.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, bpf.GetProperty("line").GetInt32());
        Assert.DoesNotContain(findings, f => f.GetProperty("slug").GetString() == "seccomp-disabled");
    }

    [SkippableFact]
    public void Syscall_names_agree_with_libseccomp()
    {
        var resolver = FindResolver();
        foreach (var name in LinuxSyscalls.LibseccompNames)
        {
            Assert.True(Resolve(resolver, name) != "-1", $"{name} is in our list but scmp_sys_resolver does not know it");
        }

        foreach (var typo in new[] { "ptrce", "wirte", "mount3", "open_by_handle", "clone4", "execveat2" })
        {
            Assert.Equal("-1", Resolve(resolver, typo));
            Assert.False(LinuxSyscalls.IsKnown(typo));
        }
    }

    private static string FindResolver()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            var candidate = Path.Combine(dir, "scmp_sys_resolver");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.False(Environment.GetEnvironmentVariable("BULWARK_REQUIRE_TOOLS") == "1", "scmp_sys_resolver (Debian package seccomp) is required but not installed");
        Skip.If(true, "scmp_sys_resolver (Debian package seccomp) is not installed");
        return string.Empty;
    }

    private static string Resolve(string resolver, string name)
    {
        using var process = Process.Start(new ProcessStartInfo(resolver, [name]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
