using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Reporting.NetworkPolicy;
using Bulwark.Scanning;
using Bulwark.Scanning.NetworkPolicy;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

public sealed class ExampleAndBadInputTests
{
    [Fact]
    public void Checklist_example_allows_exactly_frontend_to_backend_on_TCP_8080()
    {
        var loaded = NetpolLoader.Load(RepositoryPaths.InRepo("examples", "kubernetes"));
        Assert.Empty(loaded.Errors);
        var report = new ConnectivityAnalyzer(loaded.Model).Analyze();
        var lines = ConnlistWriter.Text(report.Connections).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // production is closed by default: the one flow its policies open, plus the unprotected shop/web pod's traffic.
        Assert.Equal(
            [
                "0.0.0.0-255.255.255.255[External] => shop/web[Pod] : All Connections",
                "production/frontend[Deployment] => production/backend[Deployment] : TCP 8080",
                "shop/web[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections",
            ],
            lines);
    }

    [Fact]
    public void Bad_policies_are_reported_by_name_and_the_rest_is_analysed()
    {
        const string manifests = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: ns, labels: {app: a}}
            spec: {containers: [{name: a, image: a:1, ports: [{name: http, containerPort: 80}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: ns, labels: {app: b}}
            spec: {containers: [{name: b, image: b:1}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-selector, namespace: ns}
            spec:
              podSelector: {matchExpressions: [{key: app, operator: Sometimes, values: [a]}]}
              policyTypes: [Ingress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-protocol, namespace: ns}
            spec:
              podSelector: {}
              ingress: [{ports: [{protocol: ICMP, port: 1}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-endport, namespace: ns}
            spec:
              podSelector: {}
              ingress: [{ports: [{port: 90, endPort: 80}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-cidr, namespace: ns}
            spec:
              podSelector: {}
              ingress: [{from: [{ipBlock: {cidr: 10.0.0.300/8}}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: named-port-to-ip, namespace: ns}
            spec:
              podSelector: {matchLabels: {app: b}}
              policyTypes: [Egress]
              egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}], ports: [{port: http}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: good, namespace: ns}
            spec:
              podSelector: {matchLabels: {app: a}}
              ingress: [{from: [{podSelector: {matchLabels: {app: b}}}], ports: [{port: 80}]}]
            """;
        var dir = Directory.CreateTempSubdirectory("bulwark-netpol-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "policies.yaml"), manifests, Encoding.UTF8);
            var loaded = NetpolLoader.Load(new ScanOptions { Paths = [dir.FullName] });
            var analyzer = new ConnectivityAnalyzer(loaded.Model);
            var report = analyzer.Analyze();
            var messages = analyzer.Diagnostics.Select(d => d.ToString()).ToList();
            foreach (var name in new[] { "bad-selector", "bad-protocol", "bad-endport", "bad-cidr", "named-port-to-ip" })
            {
                Assert.Contains(messages, m => m.Contains(name, StringComparison.Ordinal));
            }

            // Only the valid policies count: "good" isolates a for ingress (b only, TCP 80), and b's one egress rule
            // names a port towards an ipBlock, where named ports mean nothing, so b can open no connection at all.
            var lines = ConnlistWriter.Text(report.Connections).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("ns/a[Pod] => ns/b[Pod] : All Connections", lines);
            Assert.Contains("ns/a[Pod] => 11.0.0.0-255.255.255.255[External] : All Connections", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith("ns/b[Pod] =>", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.EndsWith("=> ns/a[Pod] : All Connections", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
