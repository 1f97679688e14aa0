using System.Text.Json;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class PssCommandTests
{
    private static readonly string Examples = RepositoryPaths.InRepo("examples");

    [Fact]
    public void Text_verdicts_use_upstream_wording_one_line_per_object()
    {
        var result = CliRunner.Run("pss", "restricted:v1.30", Examples);
        Assert.Equal(ExitCodes.Findings, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var bad = Assert.Single(lines, l => l.Contains("bad-pod.yaml", StringComparison.Ordinal));
        Assert.Contains("Pod shop/web: violates PodSecurity \"restricted:v1.30\": allowPrivilegeEscalation != false (container \"web\" must set securityContext.allowPrivilegeEscalation=false), ", bad, StringComparison.Ordinal);
        var hardened = Assert.Single(lines, l => l.Contains("hardened-pod.yaml", StringComparison.Ordinal));
        Assert.EndsWith("allowed by PodSecurity \"restricted:v1.30\"", hardened, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("Namespace", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_verdicts_have_the_documented_shape()
    {
        var result = CliRunner.Run("pss", "restricted", Examples, "--format", "json");
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("restricted", root.GetProperty("level").GetString());
        Assert.Equal("latest", root.GetProperty("version").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        var bad = results.Single(r => r.GetProperty("name").GetString() == "web");
        Assert.False(bad.GetProperty("allowed").GetBoolean());
        Assert.Equal("Pod", bad.GetProperty("kind").GetString());
        Assert.Equal("shop", bad.GetProperty("namespace").GetString());
        Assert.Equal(0, bad.GetProperty("document").GetInt32());
        var checks = bad.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("check").GetString()).ToList();
        Assert.Equal(["allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "seccompProfile_restricted"], checks);
        var first = bad.GetProperty("violations")[0];
        Assert.Equal("allowPrivilegeEscalation != false", first.GetProperty("reason").GetString());
        Assert.Equal("container \"web\" must set securityContext.allowPrivilegeEscalation=false", first.GetProperty("detail").GetString());
        Assert.True(results.Single(r => r.GetProperty("name").GetString() == "my-app").GetProperty("allowed").GetBoolean());
        Assert.All(results.Where(r => r.GetProperty("kind").GetString() == "Deployment"), r => Assert.True(r.GetProperty("allowed").GetBoolean()));
    }

    [Fact]
    public void Baseline_allows_the_bad_pod_and_exit_code_is_0()
    {
        var result = CliRunner.Run("pss", "baseline", Examples);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
    }

    [Theory]
    [InlineData("strict")]
    [InlineData("restricted:1.30")]
    [InlineData("restricted:v2")]
    public void Bad_policy_is_a_usage_error(string policy)
    {
        var result = CliRunner.Run("pss", policy, Examples);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
    }

    [Fact]
    public void Scan_with_pss_reports_each_problem_once()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              securityContext:
                runAsNonRoot: true
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: app
                  image: app:1.0.0
                  securityContext:
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    privileged: true
                    procMount: Unmasked
                    capabilities:
                      drop: ["ALL"]
            """);
        var result = CliRunner.Run("scan", file, "--pss", "restricted:v1.30", "--format", "json");
        var findings = JsonDocument.Parse(result.Out).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var privileged = Assert.Single(findings, f => f.GetProperty("slug").GetString() == "privileged-container");
        Assert.Contains("PodSecurity \"restricted:v1.30\": privileged", privileged.GetProperty("alsoViolates")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.GetProperty("slug").GetString() == "pss-privileged");
        Assert.Single(findings, f => f.GetProperty("slug").GetString() == "proc-mount-unmasked");
        Assert.DoesNotContain(findings, f => f.GetProperty("slug").GetString()!.StartsWith("pss-proc", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_with_pss_reports_checks_no_rule_covers_as_pss_findings()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              volumes:
                - name: data
                  nfs:
                    server: nfs.local
                    path: /export
              containers:
                - name: app
                  image: app:1.0.0
            """);
        var result = CliRunner.Run("scan", file, "--pss", "restricted", "--format", "json");
        var findings = JsonDocument.Parse(result.Out).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var volume = Assert.Single(findings, f => f.GetProperty("slug").GetString() == "pss-restricted-volumes");
        Assert.StartsWith("violates PodSecurity \"restricted:latest\": restricted volume types", volume.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, volume.GetProperty("line").GetInt32());
    }
}
