using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Parsing.Compose;
using Bulwark.Reporting.NetworkPolicy;
using Bulwark.Scanning.NetworkPolicy;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

public sealed class ComposeFlowSeederTests
{
    private static string Deployment(string name, string ns = "shop", string kind = "Deployment") => $$$"""
        apiVersion: apps/v1
        kind: {{{kind}}}
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          selector: {matchLabels: {app: {{{name}}}}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec: {containers: [{name: {{{name}}}, image: "{{{name}}}:1"}]}

        """;

    private sealed class Project : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("bulwark-compose-seed-");

        public string Manifests => Path.Combine(_dir.FullName, "k8s");

        public Project(string compose, string manifests, string? dotEnv = null)
        {
            Directory.CreateDirectory(Manifests);
            File.WriteAllText(Path.Combine(_dir.FullName, "compose.yaml"), compose, Encoding.UTF8);
            File.WriteAllText(Path.Combine(Manifests, "workloads.yaml"), manifests, Encoding.UTF8);
            if (dotEnv is not null)
            {
                File.WriteAllText(Path.Combine(_dir.FullName, ".env"), dotEnv, Encoding.UTF8);
            }
        }

        public (List<DeclaredFlow> Flows, List<string> Warnings, NetworkModel Model) Seed(string ns = "shop")
        {
            var compose = ComposeLoader.Load(Path.Combine(_dir.FullName, "compose.yaml"));
            Assert.Empty(compose.Errors);
            var model = NetpolLoader.Load(Manifests).Model;
            var warnings = new List<string>();
            return (ComposeFlowSeeder.Seed(compose, model, ns, warnings), warnings, model);
        }

        /// <summary>Suggests policies for the flows, writes them beside the workloads, and lists what the engine then allows.</summary>
        public string[] Allowed(IReadOnlyList<DeclaredFlow> flows, NetworkModel model)
        {
            var errors = new List<string>();
            var yaml = PolicySuggester.Suggest(model, flows, errors);
            Assert.Empty(errors);
            File.WriteAllText(Path.Combine(Manifests, "policies.yaml"), yaml, Encoding.UTF8);
            var loaded = NetpolLoader.Load(Manifests);
            Assert.Empty(loaded.Errors);
            var analyzer = new ConnectivityAnalyzer(loaded.Model);
            var report = analyzer.Analyze();
            Assert.Empty(analyzer.Diagnostics);
            return ConnlistWriter.Text(report.Connections).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        public void Dispose() => _dir.Delete(recursive: true);
    }

    [Fact]
    public void Suggested_policies_allow_exactly_the_flows_compose_declares()
    {
        const string compose = """
            services:
              web:
                image: web
                depends_on: [api]
              api:
                image: api
                expose: ["8080", "9000-9001/udp"]
                ports: ["${API_PORT}:8443", {target: 7000, protocol: sctp}]
                depends_on:
                  db: {condition: service_healthy}
              db:
                image: db
                ports: ["127.0.0.1:15432:5432"]
              batch:
                image: batch
            """;
        using var project = new Project(
            compose,
            Deployment("web") + "---\n" + Deployment("api") + "---\n" + Deployment("db", kind: "StatefulSet") + "---\n" + Deployment("batch"),
            dotEnv: "API_PORT=18443\n");
        var (flows, warnings, model) = project.Seed();
        Assert.Empty(warnings);
        Assert.Equal(
            [
                "shop/api[Deployment] => shop/db[StatefulSet] : TCP 5432",
                "shop/web[Deployment] => shop/api[Deployment] : SCTP 7000,TCP 8080,8443,UDP 9000-9001",
            ],
            project.Allowed(flows, model));
    }

    [Fact]
    public void Services_on_no_common_network_get_no_flow_and_a_warning()
    {
        const string compose = """
            services:
              web:
                image: web
                networks: [front]
                depends_on: [api, admin]
              api:
                image: api
                networks: {front: {}, back: {}}
                expose: [8080]
                depends_on: [db]
              admin:
                image: admin
                networks: [back]
                expose: [9090]
              db:
                image: db
                network_mode: "service:admin"
                expose: [5432]
            networks: {front: {}, back: {}}
            """;
        using var project = new Project(compose, Deployment("web") + "---\n" + Deployment("api") + "---\n" + Deployment("admin") + "---\n" + Deployment("db"));
        var (flows, warnings, model) = project.Seed();
        var warning = Assert.Single(warnings);
        Assert.Contains("\"web\" depends on \"admin\"", warning, StringComparison.Ordinal);
        Assert.Contains("share no network", warning, StringComparison.Ordinal);
        Assert.Equal(
            [
                "shop/api[Deployment] => shop/db[Deployment] : TCP 5432",
                "shop/web[Deployment] => shop/api[Deployment] : TCP 8080",
            ],
            project.Allowed(flows, model));
    }

    [Fact]
    public void Unusable_dependencies_are_warnings_naming_the_service()
    {
        const string compose = """
            services:
              web:
                image: web
                depends_on: [cache, api, queue, wide]
              cache:
                image: cache
              api:
                image: api
                expose: ["8080"]
              queue:
                image: queue
                expose: ["5672"]
              wide:
                image: wide
                ports: ["30000-30100"]
            """;
        using var project = new Project(compose, Deployment("web", ns: "prod") + "---\n" + Deployment("api", ns: "prod") + "---\n" + Deployment("wide", ns: "prod") + "---\n" + Deployment("queue", ns: "other"));
        var (flows, warnings, _) = project.Seed("prod");
        Assert.Equal([new DeclaredFlow("prod/web[Deployment]", "prod/api[Deployment]", 8080, NetProtocol.TCP)], flows);
        Assert.Equal(4, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("\"cache\", which exposes no usable port", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("no workload named \"queue\" in namespace \"prod\"", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("\"wide\" ports \"30000-30100\" spans 101 ports", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("\"wide\", which exposes no usable port", StringComparison.Ordinal));
    }

    [Fact]
    public void The_namespace_chooses_the_workloads()
    {
        const string compose = """
            services:
              web: {image: web, depends_on: [api]}
              api: {image: api, expose: ["8080"]}
            """;
        using var project = new Project(compose, Deployment("web", ns: "a") + "---\n" + Deployment("api", ns: "a") + "---\n" + Deployment("web", ns: "b") + "---\n" + Deployment("api", ns: "b"));
        var (flows, warnings, _) = project.Seed("b");
        Assert.Empty(warnings);
        Assert.Equal([new DeclaredFlow("b/web[Deployment]", "b/api[Deployment]", 8080, NetProtocol.TCP)], flows);
    }

    [Fact]
    public void A_flow_also_declared_by_name_yields_one_pair_of_policies()
    {
        const string compose = """
            services:
              web: {image: web, depends_on: [api]}
              api: {image: api, expose: ["8080"]}
            """;
        using var project = new Project(compose, Deployment("web") + "---\n" + Deployment("api"));
        var (flows, _, model) = project.Seed();
        var errors = new List<string>();
        var yaml = PolicySuggester.Suggest(model, [.. flows, new DeclaredFlow("shop/web", "shop/api", 8080, NetProtocol.TCP)], errors);
        Assert.Empty(errors);
        Assert.Equal(1, yaml.Split('\n').Count(l => l.Contains("name: \"allow-web-to-api-tcp-8080", StringComparison.Ordinal)));
        Assert.DoesNotContain("tcp-8080-2", yaml, StringComparison.Ordinal);
    }
}
