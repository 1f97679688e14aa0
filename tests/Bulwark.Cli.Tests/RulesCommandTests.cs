using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class RulesCommandTests
{
    [Fact]
    public void List_names_every_rule()
    {
        var result = CliRunner.Run("rules", "list");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("privileged-container", result.Out, StringComparison.Ordinal);
        Assert.Contains("namespace-pss-not-enforced", result.Out, StringComparison.Ordinal);

        var json = JsonDocument.Parse(CliRunner.Run("rules", "list", "--format", "json").Out).RootElement;
        Assert.Contains(json.EnumerateArray(), r => r.GetProperty("id").GetString() == "BW1001");
    }

    [Fact]
    public void List_shows_the_default_severity_the_range_and_when_a_rule_fires_only_with_an_option()
    {
        var lines = CliRunner.Run("rules", "list").Out.Split('\n');
        var runsAsRoot = Assert.Single(lines, l => l.StartsWith("BW1005 ", StringComparison.Ordinal));
        Assert.Matches(@"^BW1005\s+medium\s+low–high\s+runs-as-root\s", runsAsRoot);
        var privileged = Assert.Single(lines, l => l.StartsWith("BW1001 ", StringComparison.Ordinal));
        Assert.Matches(@"^BW1001\s+critical\s+privileged-container\s", privileged);
        Assert.EndsWith("(only with --pss)", Assert.Single(lines, l => l.StartsWith("BW9002 ", StringComparison.Ordinal)), StringComparison.Ordinal);

        var json = JsonDocument.Parse(CliRunner.Run("rules", "list", "--format", "json").Out).RootElement;
        var rule = Assert.Single(json.EnumerateArray(), r => r.GetProperty("id").GetString() == "BW1005");
        Assert.Equal("medium", rule.GetProperty("severity").GetString());
        Assert.Equal("low", rule.GetProperty("minimumSeverity").GetString());
        Assert.Equal("high", rule.GetProperty("maximumSeverity").GetString());
        Assert.Contains("user namespace", rule.GetProperty("severityNote").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("bulwark.dev", rule.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("privileged-container")]
    [InlineData("BW1001")]
    [InlineData("bw1001")]
    public void Explain_accepts_id_or_slug(string name)
    {
        var result = CliRunner.Run("rules", "explain", name);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("# BW1001", result.Out, StringComparison.Ordinal);
        Assert.Contains("How to fix", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("# expect:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_unknown_rule_exits_2()
    {
        var result = CliRunner.Run("rules", "explain", "no-such-rule");
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("unknown rule", result.Error, StringComparison.Ordinal);
    }
}
