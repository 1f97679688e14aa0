namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// The inputs put together: namespaces (implicit ones added for workloads whose namespace has no object),
/// workloads (pods folded into their owners, duplicates dropped), NetworkPolicies by namespace, AdminNetworkPolicies
/// by priority, the BaselineAdminNetworkPolicy, and every problem found on the way.
/// </summary>
public sealed class NetworkModel
{
    public required IReadOnlyList<NetpolNamespace> Namespaces { get; init; }

    public required IReadOnlyList<NetpolWorkload> Workloads { get; init; }

    public required IReadOnlyList<PolicyDefinition> NetworkPolicies { get; init; }

    /// <summary>AdminNetworkPolicies, lowest priority number (highest precedence) first; ties by name.</summary>
    public required IReadOnlyList<PolicyDefinition> AdminPolicies { get; init; }

    public PolicyDefinition? Baseline { get; init; }

    public required IReadOnlyList<ServiceDefinition> Services { get; init; }

    public required IReadOnlyList<IngressDefinition> Ingresses { get; init; }

    public required IReadOnlyList<NetpolDiagnostic> Diagnostics { get; init; }

    public IEnumerable<PolicyDefinition> AllPolicies =>
        NetworkPolicies.Concat(AdminPolicies).Concat(Baseline is null ? [] : [Baseline]);

    public static NetworkModel Build(NetworkInputs inputs)
    {
        var diagnostics = new List<NetpolDiagnostic>(inputs.Diagnostics);

        var namespaces = new Dictionary<string, NetpolNamespace>(StringComparer.Ordinal);
        foreach (var ns in inputs.Namespaces)
        {
            if (!namespaces.TryAdd(ns.Name, ns))
            {
                diagnostics.Add(new(DiagnosticLevel.Warning, "Namespace " + ns.Name, ns.Location ?? default, "defined more than once; the first definition is used"));
            }
        }

        var workloads = new Dictionary<string, NetpolWorkload>(StringComparer.Ordinal);
        foreach (var workload in inputs.Workloads)
        {
            if (!workloads.TryAdd(workload.DisplayName, workload))
            {
                diagnostics.Add(new(DiagnosticLevel.Warning, workload.DisplayName, workload.Location, "defined more than once; the first definition is used"));
            }
        }

        foreach (var group in inputs.OwnedPods.GroupBy(p => (p.Namespace, p.OwnerKind, p.OwnerName)))
        {
            var first = group.First();
            var folded = new NetpolWorkload(first.Namespace, first.OwnerName, first.OwnerKind, first.Labels, first.Ports, first.Location, first.Document);
            if (workloads.ContainsKey(folded.DisplayName))
            {
                continue;
            }

            workloads[folded.DisplayName] = folded;
            var odd = group.FirstOrDefault(p => !SameLabels(p.Labels, first.Labels));
            if (odd is not null)
            {
                diagnostics.Add(new(DiagnosticLevel.Warning, folded.DisplayName, odd.Location,
                    $"pods {first.Name} and {odd.Name} of the same owner have different labels; the workload is analysed with the labels of {first.Name}"));
            }
        }

        foreach (var workload in workloads.Values)
        {
            namespaces.TryAdd(workload.Namespace, NetpolNamespace.Implicit(workload.Namespace));
        }

        var networkPolicies = new List<PolicyDefinition>();
        var admin = new List<PolicyDefinition>();
        PolicyDefinition? baseline = null;
        var seenPolicies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in inputs.Policies)
        {
            if (!seenPolicies.Add(policy.KindName + " " + policy.QualifiedName))
            {
                diagnostics.Add(new(DiagnosticLevel.Warning, policy.ToString(), policy.Location, "defined more than once; the first definition is used"));
                continue;
            }

            switch (policy.Kind)
            {
                case PolicyKind.NetworkPolicy:
                    networkPolicies.Add(policy);
                    namespaces.TryAdd(policy.Namespace!, NetpolNamespace.Implicit(policy.Namespace!));
                    break;
                case PolicyKind.AdminNetworkPolicy:
                    admin.Add(policy);
                    break;
                default:
                    if (baseline is null)
                    {
                        baseline = policy;
                    }
                    else
                    {
                        diagnostics.Add(new(DiagnosticLevel.Error, policy.ToString(), policy.Location, "a cluster has at most one BaselineAdminNetworkPolicy; this one is ignored"));
                    }

                    break;
            }
        }

        admin.Sort((a, b) => a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < admin.Count; i++)
        {
            if (admin[i].Priority == admin[i - 1].Priority)
            {
                diagnostics.Add(new(DiagnosticLevel.Warning, admin[i].ToString(), admin[i].Location,
                    $"has the same priority ({admin[i].Priority}) as AdminNetworkPolicy '{admin[i - 1].Name}'; which wins where they overlap is implementation-defined (Bulwark orders them by name)"));
            }
        }

        return new NetworkModel
        {
            Namespaces = [.. namespaces.Values.OrderBy(n => n.Name, StringComparer.Ordinal)],
            Workloads = [.. workloads.Values.OrderBy(w => w.DisplayName, StringComparer.Ordinal)],
            NetworkPolicies = networkPolicies,
            AdminPolicies = admin,
            Baseline = baseline,
            Services = inputs.Services,
            Ingresses = inputs.Ingresses,
            Diagnostics = diagnostics,
        };
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

/// <summary>A fixed-size set of small integers (classes), for selector and peer matches.</summary>
public sealed class BitSet
{
    private readonly ulong[] _words;

    public BitSet(int size)
    {
        Size = size;
        _words = new ulong[(size + 63) / 64];
    }

    public int Size { get; }

    public bool this[int index] => (_words[index >> 6] & (1UL << (index & 63))) != 0;

    public void Set(int index) => _words[index >> 6] |= 1UL << (index & 63);

    public void SetAll()
    {
        Array.Fill(_words, ulong.MaxValue);
        if ((Size & 63) != 0 && _words.Length > 0)
        {
            _words[^1] = (1UL << (Size & 63)) - 1;
        }
    }

    public void Or(BitSet other)
    {
        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] |= other._words[i];
        }
    }

    public bool Any() => _words.Any(w => w != 0);

    public IEnumerable<int> Members()
    {
        for (var i = 0; i < _words.Length; i++)
        {
            var word = _words[i];
            while (word != 0)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                yield return (i << 6) + bit;
                word &= word - 1;
            }
        }
    }
}
