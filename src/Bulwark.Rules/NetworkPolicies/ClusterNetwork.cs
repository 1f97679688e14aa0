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

    private static readonly ConditionalWeakTable<KubernetesCluster, ClusterNetwork> Cache = [];

    private readonly Dictionary<string, WorkloadSummary> _summaries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubernetesObject> _namespaceObjects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _publicWorkloads = new(StringComparer.Ordinal);

    // Per-namespace indexes: a policy selects only pods of its own namespace, so every lookup stays within one
    // namespace instead of scanning every workload or policy of the scan (50,000-object scans have thousands).
    private readonly Dictionary<string, List<NetpolWorkload>> _workloadsByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PolicyDefinition>> _policiesByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool?> _peerSelectsAny = new(StringComparer.Ordinal);

    private ClusterNetwork(KubernetesCluster cluster)
    {
        var inputs = new NetworkInputs();
        var serviceTypes = new Dictionary<(string, string), string>();
        foreach (var obj in cluster.Objects)
        {
            NetpolObjectReader.Read(obj, inputs);
            if (obj.Kind == "Namespace" && obj.Name is { Length: > 0 } name)
            {
                _namespaceObjects.TryAdd(name, obj);
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
            AddTo(_workloadsByNamespace, workload.Namespace, workload);
        }

        foreach (var policy in Model.NetworkPolicies)
        {
            AddTo(_policiesByNamespace, policy.Namespace ?? string.Empty, policy);
        }

        foreach (var service in Model.Services)
        {
            var exposed = serviceTypes.TryGetValue((service.Namespace, service.Name), out var type) && type is "LoadBalancer" or "NodePort";
            exposed |= Model.Ingresses.Any(i => i.Namespace == service.Namespace && i.Backends.Any(b => b.Service == service.Name));
            if (exposed && service.Selector is { Count: > 0 } selector)
            {
                var match = LabelSelector.FromLabels(selector);
                foreach (var workload in WorkloadsIn(service.Namespace).Where(w => match.Matches(w.Labels)))
                {
                    _publicWorkloads.Add(workload.DisplayName);
                }
            }
        }
    }

    public NetworkModel Model { get; }

    public static ClusterNetwork Of(KubernetesCluster cluster) => Cache.GetValue(cluster, c => new ClusterNetwork(c));

    public IEnumerable<NetpolWorkload> WorkloadsIn(string ns) => _workloadsByNamespace.TryGetValue(ns, out var list) ? list : [];

    public IEnumerable<PolicyDefinition> PoliciesIn(string ns) => _policiesByNamespace.TryGetValue(ns, out var list) ? list : [];

    private static void AddTo<T>(Dictionary<string, List<T>> index, string ns, T item)
    {
        if (!index.TryGetValue(ns, out var list))
        {
            index[ns] = list = [];
        }

        list.Add(item);
    }

    /// <summary>Namespaces that hold at least one workload of the input, in input order.</summary>
    public IEnumerable<string> NamespacesWithWorkloads() => Model.Workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal);

    public static bool Selects(PolicyDefinition policy, NetpolWorkload workload) =>
        policy.Namespace == workload.Namespace && policy.PodSelector.Matches(workload.Labels);

    public IEnumerable<NetpolWorkload> SelectedBy(PolicyDefinition policy) => WorkloadsIn(policy.Namespace ?? string.Empty).Where(w => Selects(policy, w));

    public IEnumerable<PolicyDefinition> Selecting(NetpolWorkload workload, bool ingress) =>
        PoliciesIn(workload.Namespace).Where(p => (ingress ? p.AffectsIngress : p.AffectsEgress) && Selects(p, workload));

    /// <summary>The namespaces of the input a pod peer can reach (its own, or those its namespaceSelector matches).</summary>
    public IEnumerable<NetpolNamespace> PeerNamespaces(PeerSpec peer) =>
        peer.NamespaceSelector is { } selector
            ? Model.Namespaces.Where(n => selector.Matches(n.Labels))
            : Model.Namespaces.Where(n => n.Name == peer.SameNamespace);

    public IEnumerable<NetpolWorkload> PeerWorkloads(PeerSpec peer)
    {
        return PeerNamespaces(peer).SelectMany(n => WorkloadsIn(n.Name))
            .Where(w => peer.PodSelector is null || peer.PodSelector.Matches(w.Labels));
    }

    /// <summary>
    /// Whether <see cref="PeerWorkloads"/> is non-empty; null when none of the peer's namespaces holds a workload of
    /// the input (nothing is known there). Memoized by the peer's text: policies repeat peers, and a namespace
    /// selector is matched against every namespace of the scan.
    /// </summary>
    public bool? PeerSelectsAny(PeerSpec peer)
    {
        var key = peer.ToString();
        if (!_peerSelectsAny.TryGetValue(key, out var any))
        {
            var namespaces = PeerNamespaces(peer).Where(n => WorkloadsIn(n.Name).Any()).ToList();
            any = namespaces.Count == 0 ? null
                : namespaces.Any(n => WorkloadsIn(n.Name).Any(w => peer.PodSelector is null || peer.PodSelector.Matches(w.Labels)));
            _peerSelectsAny[key] = any;
        }

        return any;
    }

    /// <summary>Exposed outside the cluster on purpose: selected by a LoadBalancer or NodePort Service, or behind an Ingress or Route.</summary>
    public bool IsPublic(NetpolWorkload workload) => _publicWorkloads.Contains(workload.DisplayName);

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

        Report(context, rule, WorkloadsIn(ns).First(), message);
    }
}
