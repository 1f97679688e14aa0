using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class SuppressionTests
{
    private static List<JsonElement> Findings(CliRunner.Result result) =>
        [.. JsonDocument.Parse(result.Out).RootElement.GetProperty("findings").EnumerateArray()];

    private static JsonElement Summary(CliRunner.Result result) => JsonDocument.Parse(result.Out).RootElement.GetProperty("summary");

    [Fact]
    public void Inline_comment_on_the_line_or_above_suppresses_and_is_counted()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug
            spec:
              hostNetwork: true # bulwark:ignore host-namespace-shared node exporter needs the host network
              containers:
                - name: shell
                  image: busybox:1.36
                  securityContext:
                    # bulwark:ignore BW1001 break-glass debugging pod
                    privileged: true
                  ports:
                    - containerPort: 80
                      hostPort: 80
            """);
        var result = CliRunner.Run("scan", file, "--format", "json", "--rule", "privileged-container", "--rule", "host-namespace-shared", "--rule", "host-port");
        var finding = Assert.Single(Findings(result));
        Assert.Equal("host-port", finding.GetProperty("slug").GetString());
        Assert.Equal(2, Summary(result).GetProperty("suppressed").GetInt32());

        var shown = CliRunner.Run("scan", file, "--format", "json", "--rule", "privileged-container", "--rule", "host-namespace-shared", "--show-suppressed");
        var suppressed = Findings(shown);
        Assert.Equal(2, suppressed.Count);
        Assert.All(suppressed, f => Assert.Equal("inline", f.GetProperty("suppression").GetProperty("kind").GetString()));
        Assert.Contains(suppressed, f => f.GetProperty("suppression").GetProperty("reason").GetString() == "break-glass debugging pod");
        Assert.Equal(ExitCodes.Success, shown.ExitCode);
    }

    [Fact]
    public void Comment_above_an_object_suppresses_the_whole_object()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", """
            # bulwark:ignore privileged-container,host-namespace-shared system agent, reviewed
            apiVersion: v1
            kind: Pod
            metadata:
              name: agent
            spec:
              hostPID: true
              containers:
                - name: agent
                  image: agent:1.0.0
                  securityContext:
                    privileged: true
            """);
        var result = CliRunner.Run("scan", file, "--format", "json", "--rule", "privileged-container", "--rule", "host-namespace-shared");
        Assert.Empty(Findings(result));
        Assert.Equal(2, Summary(result).GetProperty("suppressed").GetInt32());
    }

    [Fact]
    public void Annotation_suppresses_named_rules_on_the_object()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: agent
              annotations:
                bulwark.dev/ignore: "privileged-container, BW1009"
            spec:
              hostPID: true
              hostIPC: true
              containers:
                - name: agent
                  image: agent:1.0.0
                  securityContext:
                    privileged: true
                    allowPrivilegeEscalation: true
            """);
        var result = CliRunner.Run("scan", file, "--format", "json", "--rule", "privileged-container", "--rule", "host-namespace-shared", "--rule", "privilege-escalation-allowed");
        var finding = Assert.Single(Findings(result));
        Assert.Equal("privilege-escalation-allowed", finding.GetProperty("slug").GetString());
        Assert.Equal(3, Summary(result).GetProperty("suppressed").GetInt32());
    }

    [Fact]
    public void Annotation_and_comment_above_suppress_findings_about_a_network_policy()
    {
        // Findings of the NetworkPolicy rules once named the policy without its apiVersion, so they never matched the
        // object their ignore annotation or comment was on.
        using var tree = new TempTree();
        var file = tree.Write("policies.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: open-ingress
              namespace: shop
              annotations:
                bulwark.dev/ignore: "allow-all-policy"
            spec:
              podSelector: {}
              ingress:
                - {}
            ---
            # bulwark:ignore allow-all-policy egress is filtered by the proxy
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: open-egress
              namespace: shop
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
                - {}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              namespace: shop
            spec:
              containers:
                - name: web
                  image: nginx:1.27.3
            """);
        var result = CliRunner.Run("scan", file, "--format", "json", "--rule", "allow-all-policy", "--show-suppressed");
        var findings = Findings(result);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("networking.k8s.io/v1", f.GetProperty("object").GetProperty("apiVersion").GetString()));
        Assert.Equal(["annotation", "inline"], findings.Select(f => f.GetProperty("suppression").GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(ExitCodes.Success, result.ExitCode);
    }

    [Fact]
    public void Config_found_upward_disables_rules_overrides_severity_and_exempts_objects()
    {
        using var tree = new TempTree();
        tree.Write(".bulwark.yaml", """
            rules:
              disable: [image-not-pinned-by-digest, default-service-account]
              severity:
                host-port: critical
            exclude:
              - "vendor/**"
            exemptions:
              - rules: [privileged-container]
                namespace: kube-system
                name: "node-*"
                reason: node agents need it
            """);
        tree.Write("manifests/pods.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: node-agent
              namespace: kube-system
            spec:
              containers:
                - name: agent
                  image: agent:1.0.0
                  securityContext:
                    privileged: true
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              namespace: shop
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  securityContext:
                    privileged: true
                  ports:
                    - containerPort: 80
                      hostPort: 80
            """);
        tree.Write("vendor/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: v}\nspec: {containers: [{name: c, image: c, securityContext: {privileged: true}}]}\n");
        var result = CliRunner.Run("scan", tree.PathOf("manifests"), "--format", "json", "--show-suppressed", "--severity", "info");
        var findings = Findings(result);
        Assert.DoesNotContain(findings, f => f.GetProperty("slug").GetString() is "image-not-pinned-by-digest" or "default-service-account");
        Assert.DoesNotContain(findings, f => f.GetProperty("file").GetString()!.Contains("vendor", StringComparison.Ordinal));
        Assert.Equal("critical", findings.Single(f => f.GetProperty("slug").GetString() == "host-port").GetProperty("severity").GetString());
        var privileged = findings.Where(f => f.GetProperty("slug").GetString() == "privileged-container").ToList();
        Assert.Equal(2, privileged.Count);
        var exempted = privileged.Single(f => f.GetProperty("object").GetProperty("name").GetString() == "node-agent");
        Assert.Equal("config", exempted.GetProperty("suppression").GetProperty("kind").GetString());
        Assert.Equal("node agents need it", exempted.GetProperty("suppression").GetProperty("reason").GetString());
        Assert.False(privileged.Single(f => f.GetProperty("object").GetProperty("name").GetString() == "web").TryGetProperty("suppression", out _));
    }

    [Fact]
    public void Invalid_config_is_a_usage_error_naming_file_and_line()
    {
        using var tree = new TempTree();
        var config = tree.Write("bulwark.yaml", "rules:\n  disable: [x]\nfailOn: sometimes\n");
        var pod = tree.Write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n");
        var result = CliRunner.Run("scan", pod, "--config", config);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("bulwark.yaml:3:", result.Error, StringComparison.Ordinal);
    }
}
