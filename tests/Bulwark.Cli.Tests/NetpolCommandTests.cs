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

    [SharedDataFact]
    public void Explain_of_every_pair_covers_the_ingress_controller_with_its_routes()
    {
        var routes = RepositoryPaths.InShared("conformance", "netpol", "np-guard", "tests", "route_example_with_target_port");
        var result = CliRunner.Run("netpol", "explain", routes);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Connections between {ingress-controller} => routes-world/workload-with-multiple-ports[Deployment]:", result.Out, StringComparison.Ordinal);
        Assert.Contains("Route 'routes-world/route-1' allows ingress connections through service routes-world-svc (TCP 8000)", result.Out, StringComparison.Ordinal);
        Assert.Contains("Denied TCP:[1-7999,8001-8089,8091-65535], UDP, SCTP", result.Out, StringComparison.Ordinal);
        Assert.Contains("Route 'routes-world/route-2' allows ingress to service routes-world-svc (TCP 8090), but the protocols and ports do not match", result.Out, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Explain_towards_the_ingress_controller_is_an_error()
    {
        var routes = RepositoryPaths.InShared("conformance", "netpol", "np-guard", "tests", "route_example_with_target_port");
        var result = CliRunner.Run("netpol", "explain", routes, "routes-world/workload-with-multiple-ports", "{ingress-controller}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("can only be a source", result.Error, StringComparison.Ordinal);
    }

    [SharedDataFact]
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

    [Fact]
    public void Suggest_needs_flows_or_compose()
    {
        var result = CliRunner.Run("netpol", "suggest", Examples);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bulwark: netpol suggest needs --flows FLOWS.yaml, --compose compose.yaml, or both", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public void Suggest_seeds_flows_from_compose_and_warns_about_the_rest()
    {
        using var tree = new TempTree();
        var compose = tree.Write("app/compose.yaml", """
            services:
              web: {image: web, depends_on: [api, cache]}
              api: {image: api, expose: ["${API_PORT}"]}
              cache: {image: cache}
            """);
        tree.Write("app/.env", "API_PORT=8080\n");
        var manifests = tree.Write("k8s/workloads.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web}]}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            spec:
              selector: {matchLabels: {app: api}}
              template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: api}]}}
            """);
        var result = CliRunner.Run("netpol", "suggest", manifests, "--compose", compose, "--namespace", "shop");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("name: \"allow-web-to-api-tcp-8080\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("name: \"allow-api-from-web-tcp-8080\"", result.Out, StringComparison.Ordinal);
        Assert.Equal(
            "bulwark: compose: service \"web\" depends on \"cache\", which exposes no usable port (expose or ports); no flow\n",
            result.Error.Replace("\r\n", "\n", StringComparison.Ordinal));

        var wrongNamespace = CliRunner.Run("netpol", "suggest", manifests, "--compose", compose);
        Assert.Equal(0, wrongNamespace.ExitCode);
        Assert.DoesNotContain("allow-web-to-api", wrongNamespace.Out, StringComparison.Ordinal);
        Assert.Contains("bulwark: compose: web -> api: no workload named \"web\" in namespace \"default\"", wrongNamespace.Error, StringComparison.Ordinal);
    }
}
