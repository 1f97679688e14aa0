using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class NetpolCommandTests
{
    private static readonly string Examples = RepositoryPaths.InRepo("examples", "kubernetes");

    [Fact]
    public void List_prints_the_checklist_flow()
    {
        var result = CliRunner.Run("netpol", "list", Examples);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("production/frontend[Deployment] => production/backend[Deployment] : TCP 8080\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_names_the_policies_of_both_directions()
    {
        var result = CliRunner.Run("netpol", "explain", Examples, "production/frontend", "production/backend");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Allowed TCP:[8080] due to the following policies and rules:", result.Out, StringComparison.Ordinal);
        Assert.Contains("NetworkPolicy 'production/frontend-to-backend' allows connections by Egress rule #1", result.Out, StringComparison.Ordinal);
        Assert.Contains("NetworkPolicy 'production/backend-allow-frontend' allows connections by Ingress rule #1", result.Out, StringComparison.Ordinal);
        Assert.Contains("Denied TCP:[1-8079,8081-65535], UDP, SCTP", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_of_an_unknown_workload_is_an_error()
    {
        var result = CliRunner.Run("netpol", "explain", Examples, "production/nobody", "production/backend");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("production/nobody", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_against_itself_is_empty_and_against_another_version_lists_changes()
    {
        Assert.Equal(string.Empty, CliRunner.Run("netpol", "diff", Examples, Examples).Out);

        var shared = RepositoryPaths.InShared("conformance", "netpol", "np-guard", "tests");
        var result = CliRunner.Run("netpol", "diff", Path.Combine(shared, "onlineboutique_workloads"), Path.Combine(shared, "onlineboutique_workloads_changed_netpols"));
        Assert.StartsWith("Connectivity diff:\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("diff-type: changed, source: default/checkoutservice[Deployment], destination: default/cartservice[Deployment], ref1: TCP 7070, ref2: TCP 8000", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_draws_mermaid_and_svg_or_says_graphviz_is_missing()
    {
        var mermaid = CliRunner.Run("netpol", "graph", Examples, "--format", "mermaid");
        Assert.Equal(0, mermaid.ExitCode);
        Assert.StartsWith("flowchart LR", mermaid.Out, StringComparison.Ordinal);
        Assert.Contains("|\"TCP 8080\"|", mermaid.Out, StringComparison.Ordinal);

        var svg = CliRunner.Run("netpol", "graph", Examples, "--format", "svg");
        var hasDot = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, "dot")));
        if (hasDot)
        {
            Assert.Equal(0, svg.ExitCode);
            Assert.Contains("<svg", svg.Out, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(2, svg.ExitCode);
            Assert.Contains("graphviz", svg.Error, StringComparison.Ordinal);
        }
    }
}
