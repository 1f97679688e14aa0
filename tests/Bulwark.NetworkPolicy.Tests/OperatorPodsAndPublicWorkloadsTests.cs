using Bulwark.Core.Findings;
using Bulwark.Rules;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

/// <summary>
/// Network policy rules where manifests do not show every pod (operators create some from custom resources) and
/// where a workload is public anyway.
/// </summary>
public sealed class OperatorPodsAndPublicWorkloadsTests
{
    private static List<Finding> Run(string slug, string yaml) => TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == slug), yaml);

    private const string Grafana = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: grafana, namespace: monitoring}
        spec:
          selector: {matchLabels: {app: grafana}}
          template:
            metadata: {labels: {app: grafana}}
            spec: {containers: [{name: grafana, image: grafana/grafana:11.2.0, ports: [{containerPort: 3000}]}]}
        ---

        """;

    // The Prometheus operator creates the prometheus-k8s-N pods from this object; no manifest has them.
    private const string PrometheusResource = """
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata: {name: k8s, namespace: monitoring}
        spec: {replicas: 2, serviceAccountName: prometheus-k8s}
        ---

        """;

    private const string PolicyForPrometheus = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: prometheus-k8s, namespace: monitoring}
        spec:
          podSelector:
            matchLabels: {app.kubernetes.io/name: prometheus}
          ingress:
            - from:
                - podSelector:
                    matchLabels: {app.kubernetes.io/name: alertmanager}
              ports: [{port: 9090}]
        """;

    [Fact]
    public void A_selector_for_pods_an_operator_creates_is_informational_and_says_why()
    {
        var policy = Assert.Single(Run("network-policy-selects-nothing", Grafana + PrometheusResource + PolicyForPrometheus));
        Assert.Equal(Severity.Info, policy.Severity);
        Assert.EndsWith("the pods may be created at runtime by an operator from a custom resource (Prometheus k8s in monitoring), which manifests do not show.", policy.Message, StringComparison.Ordinal);

        var peer = Assert.Single(Run("peer-selects-nothing", Grafana + PrometheusResource + PolicyForPrometheus));
        Assert.Equal(Severity.Info, peer.Severity);
        Assert.Contains("Prometheus k8s in monitoring", peer.Message, StringComparison.Ordinal);

        // Without the custom resource the same policy is a likely typo.
        Assert.Equal(Severity.Low, Assert.Single(Run("network-policy-selects-nothing", Grafana + PolicyForPrometheus)).Severity);
        Assert.Equal(Severity.Low, Assert.Single(Run("peer-selects-nothing", Grafana + PolicyForPrometheus)).Severity);
    }

    [Fact]
    public void Tool_configuration_and_custom_resources_with_pod_templates_are_not_operator_pods()
    {
        // A kustomization is no cluster object; an Argo Rollout's pods are in the manifest (its pod template).
        const string others = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            metadata: {name: monitoring, namespace: monitoring}
            resources: [grafana.yaml]
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: api, namespace: monitoring}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec: {containers: [{name: api, image: registry.example/api:1.4.2}]}
            ---

            """;
        Assert.Equal(Severity.Low, Assert.Single(Run("network-policy-selects-nothing", Grafana + others + PolicyForPrometheus)).Severity);
    }

    private const string AllowAll = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-all-ingress, namespace: monitoring}
        spec:
          podSelector: {matchLabels: {app: grafana}}
          ingress: [{}]
        """;

    [Theory]
    [InlineData("type: LoadBalancer", "")]
    [InlineData("type: NodePort", "")]
    [InlineData("type: ClusterIP", "ingress")]
    public void Allow_all_ingress_to_a_public_workload_is_no_finding(string serviceType, string ingressBackend)
    {
        var exposure = $$"""
            apiVersion: v1
            kind: Service
            metadata: {name: grafana, namespace: monitoring}
            spec: {{{serviceType}}, selector: {app: grafana}, ports: [{port: 80, targetPort: 3000}]}
            ---

            """;
        if (ingressBackend.Length > 0)
        {
            exposure += """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: grafana, namespace: monitoring}
                spec:
                  rules:
                    - host: grafana.example.com
                      http:
                        paths: [{path: /, pathType: Prefix, backend: {service: {name: grafana, port: {number: 80}}}}]
                ---

                """;
        }

        Assert.Empty(Run("allow-all-policy", Grafana + exposure + AllowAll));
    }

    [Fact]
    public void Allow_all_ingress_names_the_internal_workloads_it_opens()
    {
        var internalService = """
            apiVersion: v1
            kind: Service
            metadata: {name: grafana, namespace: monitoring}
            spec: {selector: {app: grafana}, ports: [{port: 80, targetPort: 3000}]}
            ---

            """;
        var finding = Assert.Single(Run("allow-all-policy", Grafana + internalService + AllowAll));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.EndsWith("allows all incoming connections of monitoring/grafana[Deployment], which no LoadBalancer/NodePort Service, Ingress or Route publishes.", finding.Message, StringComparison.Ordinal);

        // A policy that selects nothing of the input keeps the general wording.
        Assert.EndsWith("of the pods it selects.", Assert.Single(Run("allow-all-policy", AllowAll)).Message, StringComparison.Ordinal);
    }
}
