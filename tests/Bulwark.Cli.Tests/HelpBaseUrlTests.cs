using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary><c>helpBaseUrl</c> in <c>.bulwark.yaml</c>: where the reports link rule pages to.</summary>
public sealed class HelpBaseUrlTests
{
    private const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
        spec:
          containers:
            - name: shell
              image: busybox:1.36.1
              securityContext:
                privileged: true
        """;

    [Fact]
    public void Reports_link_rule_pages_under_the_configured_base()
    {
        using var tree = new TempTree();
        tree.Write(".bulwark.yaml", "helpBaseUrl: https://git.example.com/mirrors/bulwark/docs/rules/\n");
        var pod = tree.Write("pod.yaml", Pod);

        var json = CliRunner.Run("scan", pod, "--format", "json", "--rule", "privileged-container");
        var finding = Assert.Single(JsonDocument.Parse(json.Out).RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("https://git.example.com/mirrors/bulwark/docs/rules/BW1001.md", finding.GetProperty("helpUri").GetString());

        var sarif = CliRunner.Run("scan", pod, "--format", "sarif", "--rule", "privileged-container");
        var rule = JsonDocument.Parse(sarif.Out).RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules")[0];
        Assert.Equal("https://git.example.com/mirrors/bulwark/docs/rules/BW1001.md", rule.GetProperty("helpUri").GetString());

        var junit = CliRunner.Run("scan", pod, "--format", "junit", "--rule", "privileged-container");
        Assert.Contains("help: https://git.example.com/mirrors/bulwark/docs/rules/BW1001.md", junit.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("helpBaseUrl: docs/rules/")]
    [InlineData("helpBaseUrl: ftp://example.com/rules/")]
    [InlineData("helpBaseUrl: [https://example.com/]")]
    public void A_help_base_that_is_not_a_web_address_is_a_usage_error(string line)
    {
        using var tree = new TempTree();
        tree.Write(".bulwark.yaml", line + "\n");
        var pod = tree.Write("pod.yaml", Pod);

        var result = CliRunner.Run("scan", pod);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("helpBaseUrl must be an http or https URL", result.Error, StringComparison.Ordinal);
        Assert.Contains(".bulwark.yaml:1:", result.Error, StringComparison.Ordinal);
    }
}
