using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Parsing.Documents;
using Bulwark.Reporting.NetworkPolicy;
using Bulwark.Scanning.NetworkPolicy;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

public sealed class PolicySuggesterTests
{
    private const string Workloads = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, tier: front}}
            spec: {containers: [{name: web, image: web:1}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api, tier: back}}
            spec: {containers: [{name: api, image: api:1}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: data}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db, "true": "8080"}}
            spec: {containers: [{name: db, image: db:1}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: debug, namespace: data, labels: {app: debug}}
        spec: {containers: [{name: debug, image: debug:1}]}
        """;

    private const string Flows = """
        flows:
          - from: shop/web
            to: shop/api
            port: 8080
          - from: shop/api
            to: data/db
            port: 5432/TCP
          - from: shop/api
            to: data/db
            port: 53
            protocol: UDP
        """;

    [Fact]
    public void Suggested_policies_allow_exactly_the_declared_flows()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-suggest-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "workloads.yaml"), Workloads, Encoding.UTF8);
            var errors = new List<string>();
            var flows = PolicySuggester.ReadFlows(SourceFile.Parse("flows.yaml", Encoding.UTF8.GetBytes(Flows), DocumentLimits.Default, json: false), errors);
            Assert.Equal(3, flows.Count);
            var yaml = PolicySuggester.Suggest(NetpolLoader.Load(dir.FullName).Model, flows, errors);
            Assert.Empty(errors);
            File.WriteAllText(Path.Combine(dir.FullName, "policies.yaml"), yaml, Encoding.UTF8);

            var loaded = NetpolLoader.Load(dir.FullName);
            Assert.Empty(loaded.Errors);
            var analyzer = new ConnectivityAnalyzer(loaded.Model);
            var report = analyzer.Analyze();
            Assert.Empty(analyzer.Diagnostics);
            var lines = ConnlistWriter.Text(report.Connections).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(
                [
                    "shop/api[Deployment] => data/db[StatefulSet] : TCP 5432,UDP 53",
                    "shop/web[Deployment] => shop/api[Deployment] : TCP 8080",
                ],
                lines);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Bad_flows_are_reported()
    {
        const string bad = """
            flows:
              - from: shop/web
                to: shop/api
              - from: shop/web
                to: shop/api
                port: 70000
              - from: shop/web
                to: shop/api
                port: 80
                protocol: ICMP
              - from: shop/nobody
                to: shop/api
                port: 80
            """;
        var errors = new List<string>();
        var flows = PolicySuggester.ReadFlows(SourceFile.Parse("flows.yaml", Encoding.UTF8.GetBytes(bad), DocumentLimits.Default, json: false), errors);
        Assert.Single(flows);
        Assert.Equal(3, errors.Count);
        PolicySuggester.Suggest(new ConnectivityAnalyzer(NetpolLoader.Load(Path.GetTempPath() + "does-not-exist-" + Guid.NewGuid()).Model).Model, flows, errors);
        Assert.Contains(errors, e => e.Contains("shop/nobody", StringComparison.Ordinal));
    }
}
