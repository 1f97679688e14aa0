namespace Bulwark.Parsing.Kubernetes;

/// <summary>
/// Which API an object belongs to: one served by every kube-apiserver, or one a cluster gets from a
/// CustomResourceDefinition or an aggregated API server (a custom resource, typically handled by an operator).
/// </summary>
public static class KubernetesApiGroups
{
    private static readonly HashSet<string> BuiltIn = new(StringComparer.Ordinal)
    {
        string.Empty, "apps", "batch", "autoscaling", "policy", "extensions", "networking.k8s.io", "rbac.authorization.k8s.io",
        "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io",
        "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "node.k8s.io",
        "scheduling.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "resource.k8s.io", "internal.apiserver.k8s.io",
        "storagemigration.k8s.io",
    };

    /// <summary>Groups of configuration files that tools read and clusters never hold (kustomize, kubeadm, kind, kubelet, audit policies).</summary>
    private static readonly HashSet<string> ToolConfiguration = new(StringComparer.Ordinal)
    {
        "kubeadm.k8s.io", "audit.k8s.io", "kind.x-k8s.io", "config.kubernetes.io", "client.authentication.k8s.io", "kpt.dev",
        "skaffold", "k3d.io", "apiserver.k8s.io", "componentconfig",
    };

    /// <summary>
    /// Custom resources that are configuration read by a controller or a proxy and never stand for pods of their
    /// own: certificates and issuers, Prometheus scrape and alerting rules, Istio and Traefik routing and policy,
    /// admission policies, MetalLB address pools, Gateway API routes, volume snapshots. (A Prometheus, an
    /// Alertmanager, a Gateway or a CephCluster does make pods.) By group, with the kinds when the group has both.
    /// </summary>
    private static readonly Dictionary<string, HashSet<string>?> ConfigurationOnly = new(StringComparer.Ordinal)
    {
        ["cert-manager.io"] = null,
        ["acme.cert-manager.io"] = null,
        ["trust.cert-manager.io"] = null,
        ["monitoring.coreos.com"] = new(StringComparer.Ordinal) { "ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe", "AlertmanagerConfig", "ScrapeConfig" },
        ["security.istio.io"] = null,
        ["networking.istio.io"] = null,
        ["telemetry.istio.io"] = null,
        ["extensions.istio.io"] = null,
        ["kyverno.io"] = null,
        ["wgpolicyk8s.io"] = null,
        ["constraints.gatekeeper.sh"] = null,
        ["templates.gatekeeper.sh"] = null,
        ["config.gatekeeper.sh"] = null,
        ["mutations.gatekeeper.sh"] = null,
        ["metallb.io"] = null,
        ["traefik.io"] = null,
        ["traefik.containo.us"] = null,
        ["gateway.networking.k8s.io"] = new(StringComparer.Ordinal) { "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute", "ReferenceGrant", "BackendTLSPolicy", "GatewayClass" },
        ["policy.networking.k8s.io"] = null,
        ["snapshot.storage.k8s.io"] = null,
    };

    /// <summary>The group of an apiVersion (<c>apps/v1</c> → <c>apps</c>; <c>v1</c> → the core group, empty).</summary>
    public static string GroupOf(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? apiVersion[..slash] : string.Empty;
    }

    public static bool IsBuiltIn(string group) => BuiltIn.Contains(group);

    /// <summary>True for a well-known custom resource that is configuration only, never pods (see <see cref="ConfigurationOnly"/>).</summary>
    public static bool IsConfigurationOnly(string group, string kind) =>
        ConfigurationOnly.TryGetValue(group, out var kinds) && (kinds is null || kinds.Contains(kind));

    /// <summary>
    /// True for an object of an API no kube-apiserver serves by itself: a custom resource (<c>monitoring.coreos.com</c>
    /// Prometheus, <c>kafka.strimzi.io</c> Kafka, …). Tools' own configuration files (<c>*.config.k8s.io</c>,
    /// kubeadm, kind) are not cluster objects at all.
    /// </summary>
    public static bool IsCustomResource(KubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var group = GroupOf(obj.ApiVersion);
        return group.Length > 0 && !BuiltIn.Contains(group) && !ToolConfiguration.Contains(group)
            && !group.EndsWith(".config.k8s.io", StringComparison.Ordinal);
    }
}
