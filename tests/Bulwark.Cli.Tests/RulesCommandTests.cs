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
        Assert.Contains("no rule named", result.Error, StringComparison.Ordinal);
    }
}
