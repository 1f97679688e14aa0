using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.NetworkPolicies;

/// <summary>
/// The NetworkPolicy model of a scan's cluster objects, built once per scan and shared by the network rules
/// (every rule of the family reads the same namespaces, workloads and policies).
/// </summary>
internal sealed class ClusterNetwork
{
    public const string DnsNamespace = "kube-system";

    private static readonly ConditionalWeakTable<KubernetesCluster, Lazy<ClusterNetwork>> Cache = [];

    private readonly Dictionary<string, WorkloadSummary> _summaries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubernetesObject> _namespaceObjects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _publicWorkloads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _customResources = new(StringComparer.Ordinal);

    // Per-namespace indexes: a policy selects only pods of its own namespace, so every lookup stays within one
    // namespace, and within it only the workloads carrying a label the selector requires are tried (50,000-object
    // scans have thousands of workloads, policies and Services).
    private readonly Dictionary<string, LabelIndex<NetpolWorkload>> _workloadsByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PolicyDefinition>> _policiesByNamespace = new(StringComparer.Ordinal);
    private readonly LabelIndex<NetpolNamespace> _namespaces = new();
    private readonly ConcurrentDictionary<(string? Namespaces, string? SameNamespace, string Pods), bool?> _peerSelectsAny = new();
    private readonly Lazy<Dictionary<string, (List<PolicyDefinition> Ingress, List<PolicyDefinition> Egress)>> _selecting;

    private ClusterNetwork(KubernetesCluster cluster)
    {
        var inputs = new NetworkInputs();
        var serviceTypes = new Dictionary<(string, string), string>();
        foreach (var obj in cluster.Objects)
        {
            NetpolObjectReader.Read(obj, inputs);
            if (obj.Kind == "Namespace" && obj.ApiVersion == "v1" && obj.Name is { Length: > 0 } name)
            {
                _namespaceObjects.TryAdd(name, obj);
            }
            else if (KubernetesCluster.IsOperatorManaged(obj))
            {
                var ns = NetpolObjectReader.NamespaceOf(obj);
                if (!_customResources.TryGetValue(ns, out var list))
                {
                    _customResources[ns] = list = [];
                }

                list.Add($"{obj.Kind} {obj.Name}");
            }
            else if (obj.Kind == "Service" && obj.Name is { Length: > 0 } service && obj.Root.At("spec.type") is DocScalar type)
            {
                serviceTypes[(NetpolObjectReader.NamespaceOf(obj), service)] = type.Value;
            }
        }

        foreach (var summary in cluster.Workloads)
        {
            var ns = summary.Namespace.Length > 0 ? summary.Namespace : NetpolNames.DefaultNamespace;
            var ports = summary.Ports.Select(p => new ContainerPortInfo(p.Name, p.Port, NetProtocols.TryParse(p.Protocol, out var protocol) ? protocol : NetProtocol.TCP)).ToList();
            var workload = new NetpolWorkload(ns, summary.Object.Name ?? string.Empty, summary.Object.Kind, summary.PodLabels, ports, summary.Location, summary.Document);
            if (_summaries.TryAdd(workload.DisplayName, summary))
            {
                inputs.Workloads.Add(workload);
            }
        }

        Model = NetworkModel.Build(inputs);
        foreach (var workload in Model.Workloads)
        {
            if (!_workloadsByNamespace.TryGetValue(workload.Namespace, out var index))
            {
                _workloadsByNamespace[workload.Namespace] = index = new LabelIndex<NetpolWorkload>();
            }

            index.Add(workload, workload.Labels);
        }

        foreach (var ns in Model.Namespaces)
        {
            _namespaces.Add(ns, ns.Labels);
        }

        foreach (var policy in Model.NetworkPolicies)
        {
            var ns = policy.Namespace ?? string.Empty;
            if (!_policiesByNamespace.TryGetValue(ns, out var list))
            {
                _policiesByNamespace[ns] = list = [];
            }

            list.Add(policy);
        }

        var ingressBackends = Model.Ingresses.SelectMany(i => i.Backends.Select(b => (i.Namespace, b.Service))).ToHashSet();
        foreach (var service in Model.Services)
        {
            var exposed = serviceTypes.TryGetValue((service.Namespace, service.Name), out var type) && type is "LoadBalancer" or "NodePort";
            exposed |= ingressBackends.Contains((service.Namespace, service.Name));
            if (exposed && service.Selector is { Count: > 0 } selector && _workloadsByNamespace.TryGetValue(service.Namespace, out var index))
            {
                foreach (var workload in index.Select(LabelSelector.FromLabels(selector)))
                {
                    _publicWorkloads.Add(workload.DisplayName);
                }
            }
        }

        _selecting = new(IndexSelections);
    }

    public NetworkModel Model { get; }

    /// <summary>The scan's network model, built once however many rules (on however many threads) ask for it.</summary>
    public static ClusterNetwork Of(KubernetesCluster cluster) => Cache.GetValue(cluster, c => new Lazy<ClusterNetwork>(() => new ClusterNetwork(c))).Value;

    /// <summary>The model if a rule built it for this cluster, else null.</summary>
    public static ClusterNetwork? Built(KubernetesCluster cluster) =>
        Cache.TryGetValue(cluster, out var lazy) && lazy.IsValueCreated ? lazy.Value : null;

    public IReadOnlyList<NetpolWorkload> WorkloadsIn(string ns) => _workloadsByNamespace.TryGetValue(ns, out var index) ? index.Items : [];

    public IReadOnlyList<PolicyDefinition> PoliciesIn(string ns) => _policiesByNamespace.TryGetValue(ns, out var list) ? list : [];

    /// <summary>Namespaces that hold at least one workload of the input, in input order.</summary>
    public IEnumerable<string> NamespacesWithWorkloads() => Model.Workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal);

    /// <summary>The workloads of its namespace a NetworkPolicy's podSelector selects.</summary>
    public IReadOnlyList<NetpolWorkload> SelectedBy(PolicyDefinition policy) =>
        _workloadsByNamespace.TryGetValue(policy.Namespace ?? string.Empty, out var index) ? index.Select(policy.PodSelector) : [];

    /// <summary>The NetworkPolicies that select the workload for the direction, in input order.</summary>
    public IReadOnlyList<PolicyDefinition> Selecting(NetpolWorkload workload, bool ingress) =>
        _selecting.Value.TryGetValue(workload.DisplayName, out var found) ? (ingress ? found.Ingress : found.Egress) : [];

    private Dictionary<string, (List<PolicyDefinition> Ingress, List<PolicyDefinition> Egress)> IndexSelections()
    {
        var result = new Dictionary<string, (List<PolicyDefinition> Ingress, List<PolicyDefinition> Egress)>(StringComparer.Ordinal);
        foreach (var policy in Model.NetworkPolicies)
        {
            if (!policy.AffectsIngress && !policy.AffectsEgress)
            {
                continue;
            }

            foreach (var workload in SelectedBy(policy))
            {
                if (!result.TryGetValue(workload.DisplayName, out var lists))
                {
                    result[workload.DisplayName] = lists = ([], []);
                }

                if (policy.AffectsIngress)
                {
                    lists.Ingress.Add(policy);
                }

                if (policy.AffectsEgress)
                {
                    lists.Egress.Add(policy);
                }
            }
        }

        return result;
    }

    /// <summary>The namespaces of the input a pod peer can reach (its own, or those its namespaceSelector matches).</summary>
    public IEnumerable<NetpolNamespace> PeerNamespaces(PeerSpec peer) =>
        peer.NamespaceSelector is { } selector
            ? _namespaces.Select(selector)
            : Model.Namespaces.Where(n => n.Name == peer.SameNamespace);

    public IEnumerable<NetpolWorkload> PeerWorkloads(PeerSpec peer) =>
        PeerNamespaces(peer).SelectMany(n => _workloadsByNamespace.TryGetValue(n.Name, out var index) ? index.Select(peer.PodSelector ?? LabelSelector.Everything) : []);

    /// <summary>
    /// Whether <see cref="PeerWorkloads"/> is non-empty; null when none of the peer's namespaces holds a workload of
    /// the input (nothing is known there). Memoized by the peer's selectors: policies repeat peers.
    /// </summary>
    public bool? PeerSelectsAny(PeerSpec peer) =>
        _peerSelectsAny.GetOrAdd((peer.NamespaceSelector?.Key, peer.SameNamespace, peer.PodSelector?.Key ?? string.Empty), _ =>
        {
            var namespaces = PeerNamespaces(peer).Where(n => WorkloadsIn(n.Name).Count > 0).ToList();
            return namespaces.Count == 0 ? null : PeerWorkloads(peer).Any();
        });

    /// <summary>Exposed outside the cluster on purpose: selected by a LoadBalancer or NodePort Service, or behind an Ingress or Route.</summary>
    public bool IsPublic(NetpolWorkload workload) => _publicWorkloads.Contains(workload.DisplayName);

    /// <summary>
    /// The workloads a policy selects that are not public (<see cref="IsPublic"/>): an ingress rule that admits
    /// anyone is a hole only for them, as the rest is reachable from anywhere by design.
    /// </summary>
    public IReadOnlyList<NetpolWorkload> InternalWorkloadsSelectedBy(PolicyDefinition policy) => [.. SelectedBy(policy).Where(w => !IsPublic(w))];

    /// <summary>
    /// The custom resources of a namespace (<c>Kind name</c>) from which an operator may create pods at runtime, pods
    /// no manifest shows: a selector that matches no workload of the input may be meant for them.
    /// </summary>
    public IReadOnlyList<string> CustomResourcesIn(string ns) => _customResources.TryGetValue(ns, out var list) ? list : [];

    /// <summary>Why a selector that matches no workload of the namespaces may still be right, or null when nothing suggests so.</summary>
    public string? OperatorPodsNote(IEnumerable<string> namespaces)
    {
        var found = namespaces.Distinct(StringComparer.Ordinal).SelectMany(n => CustomResourcesIn(n).Select(r => $"{r} in {n}")).ToList();
        return found.Count == 0
            ? null
            : $"the pods may be created at runtime by an operator from a custom resource ({Internal.Listing.Join(found)}), which manifests do not show";
    }

    /// <summary>The labels kube-system has in the input, or the ones the control plane gives it.</summary>
    public IReadOnlyDictionary<string, string> DnsNamespaceLabels =>
        Model.Namespaces.FirstOrDefault(n => n.Name == DnsNamespace)?.Labels ?? NetpolNamespace.Implicit(DnsNamespace).Labels;

    public void Report(RuleContext context, RuleDescriptor rule, NetpolWorkload workload, string message, Severity? severity = null)
    {
        var summary = _summaries[workload.DisplayName];
        context.Report(new Finding
        {
            Rule = rule,
            Severity = severity ?? rule.Severity,
            Message = message,
            Location = summary.Location,
            Document = summary.Document,
            Object = summary.Object,
        });
    }

    public static void Report(RuleContext context, RuleDescriptor rule, PolicyDefinition policy, SourceLocation at, string message, Severity? severity = null) =>
        context.Report(new Finding
        {
            Rule = rule,
            Severity = severity ?? rule.Severity,
            Message = message,
            Location = at,
            Document = policy.Document,
            Object = policy.Object,
        });

    /// <summary>Reports on the Namespace object when the input has one, else on the namespace's first workload.</summary>
    public void ReportNamespace(RuleContext context, RuleDescriptor rule, string ns, string message)
    {
        if (_namespaceObjects.TryGetValue(ns, out var obj))
        {
            var at = obj.Root.Entry("metadata") is { } metadata ? obj.At(metadata.Key) : obj.Location;
            context.Report(rule, obj, at, message);
            return;
        }

        Report(context, rule, WorkloadsIn(ns)[0], message);
    }
}
