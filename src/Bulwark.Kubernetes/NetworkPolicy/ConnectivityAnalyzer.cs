namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// The exact connectivity engine. Workloads are grouped into equivalence classes (same namespace, same answers
/// to every pod selector the policies use, same named ports), every selector and peer is evaluated once into a
/// set of classes, and each direction of a connection is computed as admin tier (ANPs by priority, first
/// matching rule wins, Allow/Deny/Pass) → NetworkPolicies (isolating, additive) → baseline (BANP) → allow.
/// A connection is allowed when the source's egress and the destination's ingress both allow it.
/// </summary>
public sealed partial class ConnectivityAnalyzer
{
    private readonly NetworkModel _model;
    private readonly NetpolNamespace[] _namespaces;
    private readonly Dictionary<string, int> _namespaceIndex = new(StringComparer.Ordinal);
    private readonly List<EquivalenceClass> _classes = [];
    private readonly Dictionary<NetpolWorkload, int> _classOf = new(ReferenceEqualityComparer.Instance);
    private readonly List<int>[] _classesByNamespace;
    private readonly Dictionary<string, int> _podSelectorIds = new(StringComparer.Ordinal);
    private readonly List<LabelSelector> _podSelectors = [];
    private readonly List<BitSet> _podSelectorClasses = [];
    private readonly Dictionary<string, bool[]> _namespaceSelectorMatches = new(StringComparer.Ordinal);
    private readonly Dictionary<PeerSpec, BitSet> _peerClasses = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PolicyRule, RulePorts> _rulePorts = new(ReferenceEqualityComparer.Instance);
    private readonly List<PolicyDefinition>[] _npIngress;
    private readonly List<PolicyDefinition>[] _npEgress;
    private readonly List<PolicyDefinition>[] _anpIngress;
    private readonly List<PolicyDefinition>[] _anpEgress;
    private readonly bool[] _banpIngress;
    private readonly bool[] _banpEgress;
    private readonly List<NetpolDiagnostic> _diagnostics;
    private readonly int _ingressControllerClass = -1;
    private readonly Lazy<List<IngressRoute>> _ingressRoutes;

    public ConnectivityAnalyzer(NetworkModel model)
    {
        _model = model;
        _diagnostics = [.. model.Diagnostics];
        var namespaces = model.Namespaces.ToList();
        IngressController = new NetpolWorkload(NetpolNames.IngressControllerNamespace, "ingress-controller", string.Empty, new Dictionary<string, string>(StringComparer.Ordinal), [], default, 0)
        {
            IsIngressController = true,
        };
        if (model.Ingresses.Count > 0 && !namespaces.Any(n => n.Name == NetpolNames.IngressControllerNamespace))
        {
            namespaces.Add(NetpolNamespace.Implicit(NetpolNames.IngressControllerNamespace));
        }

        _namespaces = [.. namespaces];
        for (var i = 0; i < _namespaces.Length; i++)
        {
            _namespaceIndex[_namespaces[i].Name] = i;
        }

        _classesByNamespace = new List<int>[_namespaces.Length];
        for (var i = 0; i < _classesByNamespace.Length; i++)
        {
            _classesByNamespace[i] = [];
        }

        BuildClasses(model.Ingresses.Count > 0);
        if (model.Ingresses.Count > 0)
        {
            _ingressControllerClass = _classOf[IngressController];
        }

        _ingressRoutes = new(BuildIngressRoutes);
        BuildPeers();
        var count = _classes.Count;
        _npIngress = NewLists(count);
        _npEgress = NewLists(count);
        _anpIngress = NewLists(count);
        _anpEgress = NewLists(count);
        _banpIngress = new bool[count];
        _banpEgress = new bool[count];
        BuildSubjects();
        BuildRulePorts();
        SourceRanges = IpAddresses.Partition(model.NetworkPolicies.SelectMany(p => p.Ingress).SelectMany(r => r.Peers).Where(p => p.IpBlock is not null).Select(p => p.IpBlock!));
        DestinationRanges = IpAddresses.Partition(model.AllPolicies.SelectMany(p => p.Egress).SelectMany(r => r.Peers).Where(p => p.IpBlock is not null).Select(p => p.IpBlock!));
    }

    public NetworkModel Model => _model;

    /// <summary>Diagnostics of the inputs and of the analysis (named ports that cannot apply, selectors that match nothing are rules' business).</summary>
    public IReadOnlyList<NetpolDiagnostic> Diagnostics => _diagnostics;

    /// <summary>The external ranges that can be sources: the split of the address space by ingress ipBlocks.</summary>
    public IReadOnlyList<IpInterval> SourceRanges { get; }

    /// <summary>The external ranges that can be destinations: the split by egress ipBlocks and ANP networks.</summary>
    public IReadOnlyList<IpInterval> DestinationRanges { get; }

    public int ClassCount => _classes.Count;

    /// <summary>The pseudo-workload for the ingress controller (in its own namespace, without labels).</summary>
    public NetpolWorkload IngressController { get; }

    private static List<PolicyDefinition>[] NewLists(int count)
    {
        var lists = new List<PolicyDefinition>[count];
        for (var i = 0; i < count; i++)
        {
            lists[i] = [];
        }

        return lists;
    }

    /// <summary>One equivalence class of workloads: they answer every policy question alike.</summary>
    private sealed class EquivalenceClass(int ns, NetpolWorkload representative)
    {
        public int Namespace { get; } = ns;

        public NetpolWorkload Representative { get; } = representative;

        public List<NetpolWorkload> Members { get; } = [];

        public int[] PodSelectorIds { get; set; } = [];
    }

    /// <summary>A rule's ports: the numeric part once, named ports resolved per destination.</summary>
    private sealed record RulePorts(ConnectionSet Numeric, PortSpec[] Named);

    private int NamespaceSelectorIndex(string name) => _namespaceIndex[name];

    private bool[] NamespaceMatches(LabelSelector selector)
    {
        if (!_namespaceSelectorMatches.TryGetValue(selector.Key, out var matches))
        {
            matches = new bool[_namespaces.Length];
            for (var i = 0; i < _namespaces.Length; i++)
            {
                matches[i] = selector.Matches(_namespaces[i].Labels);
            }

            _namespaceSelectorMatches[selector.Key] = matches;
        }

        return matches;
    }

    private IEnumerable<int> NamespacesOf(LabelSelector? selector, string? sameNamespace)
    {
        if (selector is null)
        {
            if (sameNamespace is not null && _namespaceIndex.TryGetValue(sameNamespace, out var index))
            {
                yield return index;
            }

            yield break;
        }

        var matches = NamespaceMatches(selector);
        for (var i = 0; i < matches.Length; i++)
        {
            if (matches[i])
            {
                yield return i;
            }
        }
    }

    private int PodSelectorId(LabelSelector selector)
    {
        if (!_podSelectorIds.TryGetValue(selector.Key, out var id))
        {
            id = _podSelectors.Count;
            _podSelectorIds[selector.Key] = id;
            _podSelectors.Add(selector);
        }

        return id;
    }

    private void BuildClasses(bool withIngressController)
    {
        // Which pod selectors matter in which namespace: only those are evaluated on a namespace's workloads.
        var relevant = new HashSet<int>[_namespaces.Length];
        for (var i = 0; i < relevant.Length; i++)
        {
            relevant[i] = [];
        }

        void Use(LabelSelector? podSelector, IEnumerable<int> namespaces)
        {
            if (podSelector is null)
            {
                return;
            }

            var id = PodSelectorId(podSelector);
            foreach (var ns in namespaces)
            {
                relevant[ns].Add(id);
            }
        }

        var namedPorts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in _model.AllPolicies)
        {
            if (policy.Kind == PolicyKind.NetworkPolicy)
            {
                Use(policy.PodSelector, NamespacesOf(null, policy.Namespace));
            }
            else
            {
                Use(policy.PodSelector, NamespacesOf(policy.NamespaceSelector, null));
            }

            foreach (var rule in policy.Ingress.Concat(policy.Egress))
            {
                foreach (var peer in rule.Peers)
                {
                    if (peer.IsPods)
                    {
                        Use(peer.PodSelector, NamespacesOf(peer.NamespaceSelector, peer.SameNamespace));
                    }
                }

                foreach (var port in rule.Ports)
                {
                    if (port.Name is not null)
                    {
                        namedPorts.Add(port.Name);
                    }
                }
            }
        }

        var relevantSorted = relevant.Select(r => r.Order().ToArray()).ToArray();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var workloads = withIngressController ? _model.Workloads.Append(IngressController) : _model.Workloads;
        var matched = new List<int>();
        foreach (var workload in workloads)
        {
            var ns = _namespaceIndex[workload.Namespace];
            matched.Clear();
            foreach (var id in relevantSorted[ns])
            {
                if (_podSelectors[id].Matches(workload.Labels))
                {
                    matched.Add(id);
                }
            }

            var key = string.Join(",", matched) + "|" + ns + "|" + NamedPortSignature(workload, namedPorts) + (workload.IsIngressController ? "|ic" : string.Empty);
            if (!keys.TryGetValue(key, out var classIndex))
            {
                classIndex = _classes.Count;
                keys[key] = classIndex;
                _classes.Add(new EquivalenceClass(ns, workload) { PodSelectorIds = [.. matched] });
                _classesByNamespace[ns].Add(classIndex);
            }

            _classes[classIndex].Members.Add(workload);
            _classOf[workload] = classIndex;
        }

        for (var id = 0; id < _podSelectors.Count; id++)
        {
            _podSelectorClasses.Add(new BitSet(_classes.Count));
        }

        for (var c = 0; c < _classes.Count; c++)
        {
            foreach (var id in _classes[c].PodSelectorIds)
            {
                _podSelectorClasses[id].Set(c);
            }
        }
    }

    private static string NamedPortSignature(NetpolWorkload workload, HashSet<string> names)
    {
        if (names.Count == 0 || workload.Ports.Count == 0)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        foreach (var port in workload.Ports)
        {
            if (port.Name is not null && names.Contains(port.Name))
            {
                parts.Add(port.Name + ":" + port.Protocol + ":" + port.Port);
            }
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(",", parts);
    }

    private bool ClassMatchesPods(int c, LabelSelector? namespaceSelector, string? sameNamespace, LabelSelector? podSelector)
    {
        var cls = _classes[c];
        if (namespaceSelector is null)
        {
            if (sameNamespace is null || _namespaces[cls.Namespace].Name != sameNamespace)
            {
                return false;
            }
        }
        else if (!NamespaceMatches(namespaceSelector)[cls.Namespace])
        {
            return false;
        }

        return podSelector is null || _podSelectorClasses[_podSelectorIds[podSelector.Key]][c];
    }

    private BitSet ClassesOf(LabelSelector? namespaceSelector, string? sameNamespace, LabelSelector? podSelector)
    {
        var set = new BitSet(_classes.Count);
        foreach (var ns in NamespacesOf(namespaceSelector, sameNamespace))
        {
            foreach (var c in _classesByNamespace[ns])
            {
                if (podSelector is null || _podSelectorClasses[_podSelectorIds[podSelector.Key]][c])
                {
                    set.Set(c);
                }
            }
        }

        return set;
    }

    private void BuildPeers()
    {
        foreach (var policy in _model.AllPolicies)
        {
            foreach (var rule in policy.Ingress.Concat(policy.Egress))
            {
                foreach (var peer in rule.Peers)
                {
                    _peerClasses[peer] = peer.IsPods ? ClassesOf(peer.NamespaceSelector, peer.SameNamespace, peer.PodSelector) : new BitSet(_classes.Count);
                }
            }
        }
    }

    private void BuildSubjects()
    {
        foreach (var policy in _model.NetworkPolicies)
        {
            foreach (var c in ClassesOf(null, policy.Namespace, policy.PodSelector).Members())
            {
                if (policy.AffectsIngress)
                {
                    _npIngress[c].Add(policy);
                }

                if (policy.AffectsEgress)
                {
                    _npEgress[c].Add(policy);
                }
            }
        }

        foreach (var policy in _model.AdminPolicies)
        {
            foreach (var c in ClassesOf(policy.NamespaceSelector, null, policy.PodSelector).Members())
            {
                if (policy.AffectsIngress)
                {
                    _anpIngress[c].Add(policy);
                }

                if (policy.AffectsEgress)
                {
                    _anpEgress[c].Add(policy);
                }
            }
        }

        if (_model.Baseline is { } baseline)
        {
            foreach (var c in ClassesOf(baseline.NamespaceSelector, null, baseline.PodSelector).Members())
            {
                _banpIngress[c] = baseline.AffectsIngress;
                _banpEgress[c] = baseline.AffectsEgress;
            }
        }
    }

    private void BuildRulePorts()
    {
        foreach (var policy in _model.AllPolicies)
        {
            foreach (var (rule, egress) in policy.Ingress.Select(r => (r, false)).Concat(policy.Egress.Select(r => (r, true))))
            {
                var numeric = rule.AllPorts ? ConnectionSet.All : ConnectionSet.None;
                foreach (var port in rule.Ports)
                {
                    if (port.IsNamed)
                    {
                        continue;
                    }

                    var protocol = port.Protocol ?? NetProtocol.TCP;
                    var ports = port.Port is { } start ? PortSet.Range(start, port.EndPort ?? start) : PortSet.All;
                    numeric = numeric.Union(ConnectionSet.Of(protocol, ports));
                }

                _rulePorts[rule] = new RulePorts(numeric, [.. rule.Ports.Where(p => p.IsNamed)]);
                if (egress && rule.HasNamedPorts && (rule.AllPeers || rule.Peers.Any(p => p.IsIpBlock)))
                {
                    var names = string.Join(", ", rule.Ports.Where(p => p.IsNamed).Select(p => p.Name));
                    _diagnostics.Add(new(DiagnosticLevel.Warning, policy.ToString(), rule.Location,
                        $"named port {names} in an egress rule does not apply to IP addresses (a named port is defined only on pods); ignored for ipBlock destinations"));
                }
            }
        }
    }
}
