using System.Runtime.CompilerServices;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// The RBAC objects of an input, resolved as a cluster would hold them: roles by name (the later of two
/// objects with one name wins, as with <c>kubectl apply</c>), aggregated ClusterRoles filled in, bindings tied
/// to their roles, subjects indexed the way the authorizer matches them, and every service account a pod
/// could run as. Problems (missing roles, unknown subject kinds, duplicates) become <see cref="Warnings"/>;
/// the analysis goes on without the broken part.
/// <para>
/// The cluster's own RBAC objects are in force too: the API server's <see cref="BootstrapPolicy"/> (cluster-admin,
/// admin/edit/view, the <c>system:</c> roles, kube-system's Roles) and its bindings. An input object with the
/// name of a bootstrap object is what the cluster converges to when the API server reconciles its policy at
/// start-up: the input's rules plus the bootstrap rules it lacks (a binding: the input's subjects plus the
/// bootstrap ones), unless it carries <c>rbac.authorization.kubernetes.io/autoupdate: "false"</c>, which makes the
/// API server leave it as written.
/// </para>
/// </summary>
public sealed class RbacModel
{
    /// <summary>Where <c>kubectl apply</c> puts a namespaced object whose manifest names no namespace.</summary>
    public const string DefaultNamespace = "default";

    public const string RbacGroup = "rbac.authorization.k8s.io";

    public const string ClusterAdmin = "cluster-admin";

    private static readonly ConditionalWeakTable<KubernetesCluster, Lazy<RbacModel>> Cache = [];

    private readonly Dictionary<(RbacRoleKind Kind, string Namespace, string Name), RbacRole> _roles = [];
    private readonly Dictionary<(string Namespace, string Name), RbacServiceAccount> _serviceAccounts = [];
    private readonly Dictionary<RbacRole, List<RbacBinding>> _bindingsByRole = [];
    private readonly Dictionary<RbacRole, List<RbacRole>> _aggregatedInto = [];
    private readonly List<RbacWarning> _warnings = [];
    private readonly Dictionary<string, List<RbacBinding>> _roleBindingsByNamespace = new(StringComparer.Ordinal);

    private RbacModel()
    {
    }

    /// <summary>Every Role and ClusterRole object of the input, in input order, duplicates included.</summary>
    public IReadOnlyList<RbacRole> AllRoles { get; private set; } = [];

    /// <summary>Every RoleBinding and ClusterRoleBinding object of the input, in input order, duplicates included.</summary>
    public IReadOnlyList<RbacBinding> AllBindings { get; private set; } = [];

    /// <summary>The roles in force: one per name, the bootstrap policy's included.</summary>
    public IReadOnlyList<RbacRole> Roles { get; private set; } = [];

    /// <summary>The bindings in force: one per name of the input, and the bootstrap policy's.</summary>
    public IReadOnlyList<RbacBinding> Bindings { get; private set; } = [];

    public IReadOnlyList<RbacServiceAccount> ServiceAccounts { get; private set; } = [];

    public IReadOnlyList<WorkloadSummary> Workloads { get; private set; } = [];

    /// <summary>Every namespace the input names, sorted.</summary>
    public IReadOnlyList<string> Namespaces { get; private set; } = [];

    public IReadOnlyList<RbacWarning> Warnings => _warnings;

    /// <summary>Binding subjects by <see cref="RbacSubject.MatchKey"/>: the first subject of each binding that applies.</summary>
    internal Dictionary<string, List<(RbacBinding Binding, RbacSubject Subject)>> SubjectIndex { get; } = new(StringComparer.Ordinal);

    /// <summary>The model of a scan's cluster view, built once and shared by every rule of the scan (rules run in parallel).</summary>
    public static RbacModel For(KubernetesCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return Cache.GetValue(cluster, c => new Lazy<RbacModel>(() => Build(c.Objects, c.Workloads))).Value;
    }

    /// <summary>The model if something built it for this cluster (an RBAC rule ran), else null.</summary>
    public static RbacModel? Built(KubernetesCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return Cache.TryGetValue(cluster, out var lazy) && lazy.IsValueCreated ? lazy.Value : null;
    }

    public static RbacModel Build(IEnumerable<KubernetesObject> objects, IEnumerable<WorkloadSummary> workloads)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(workloads);
        var model = new RbacModel();
        model.Load([.. objects], [.. workloads]);
        return model;
    }

    public RbacRole? FindRole(RbacRoleKind kind, string ns, string name) =>
        _roles.GetValueOrDefault((kind, kind == RbacRoleKind.Role ? ns : string.Empty, name));

    public RbacServiceAccount? FindServiceAccount(string ns, string name) => _serviceAccounts.GetValueOrDefault((ns, name));

    /// <summary>The ClusterRoleBindings in force.</summary>
    public IReadOnlyList<RbacBinding> ClusterRoleBindings { get; private set; } = [];

    /// <summary>The RoleBindings in force in namespace <paramref name="ns"/>.</summary>
    public IReadOnlyList<RbacBinding> RoleBindingsIn(string ns) => _roleBindingsByNamespace.TryGetValue(ns, out var list) ? list : [];

    /// <summary>The bindings in force that refer to <paramref name="role"/> directly.</summary>
    public IReadOnlyList<RbacBinding> BindingsOf(RbacRole role) => _bindingsByRole.TryGetValue(role, out var list) ? list : [];

    /// <summary>The aggregated ClusterRoles that take <paramref name="role"/>'s rules, directly or through other aggregated roles.</summary>
    public IReadOnlyList<RbacRole> AggregatedInto(RbacRole role) => _aggregatedInto.TryGetValue(role, out var list) ? list : [];

    /// <summary>Bindings through which <paramref name="role"/>'s rules are in force: its own, and those of the ClusterRoles it is aggregated into.</summary>
    public IEnumerable<RbacBinding> EffectiveBindingsOf(RbacRole role) =>
        BindingsOf(role).Concat(AggregatedInto(role).SelectMany(BindingsOf)).Distinct();

    public static bool IsRbacApiVersion(string apiVersion) => apiVersion.StartsWith(RbacGroup + "/", StringComparison.Ordinal);

    /// <summary>A namespaced object's namespace as the cluster would hold it.</summary>
    public static string NamespaceOf(string? ns) => string.IsNullOrEmpty(ns) ? DefaultNamespace : ns;

    private void Warn(KubernetesObject obj, DocNode? at, string message) =>
        _warnings.Add(new RbacWarning(at is null ? obj.Location : obj.At(at), obj.Object.Display, message));

    private void Load(List<KubernetesObject> objects, List<WorkloadSummary> workloads)
    {
        var allRoles = new List<RbacRole>();
        var allBindings = new List<(KubernetesObject Object, RbacBindingKind Kind)>();
        var serviceAccountObjects = new List<KubernetesObject>();
        var namespaces = new HashSet<string>(StringComparer.Ordinal);

        foreach (var obj in objects)
        {
            switch (obj.Kind)
            {
                case "Role" or "ClusterRole" when IsRbacApiVersion(obj.ApiVersion):
                    if (ReadRole(obj) is { } role)
                    {
                        allRoles.Add(role);
                    }

                    break;
                case "RoleBinding" when IsRbacApiVersion(obj.ApiVersion):
                    allBindings.Add((obj, RbacBindingKind.RoleBinding));
                    break;
                case "ClusterRoleBinding" when IsRbacApiVersion(obj.ApiVersion):
                    allBindings.Add((obj, RbacBindingKind.ClusterRoleBinding));
                    break;
                case "ServiceAccount" when obj.ApiVersion == "v1":
                    serviceAccountObjects.Add(obj);
                    break;
                case "Namespace" when obj.ApiVersion == "v1" && obj.Name is { Length: > 0 } name:
                    namespaces.Add(name);
                    break;
            }
        }

        AllRoles = allRoles;
        foreach (var role in allRoles)
        {
            var key = (role.Kind, role.Namespace, role.Name);
            if (_roles.TryGetValue(key, out var earlier))
            {
                Warn(role.Object!, role.Object!.Metadata?.Entry("name")?.Key,
                    $"duplicate {role.Display} (also defined at {earlier.Location}); the later definition is the one in force, as kubectl apply would leave it");
            }

            _roles[key] = role;
            if (role.Kind == RbacRoleKind.Role)
            {
                namespaces.Add(role.Namespace);
            }
        }

        foreach (var definition in BootstrapPolicy.Roles)
        {
            var key = (definition.Kind, definition.Namespace, definition.Name);
            if (_roles.TryGetValue(key, out var defined))
            {
                Reconcile(defined, definition);
            }
            else
            {
                _roles[key] = BuiltIn(definition);
            }
        }

        Roles = [.. _roles.Values];
        for (var i = 0; i < Roles.Count; i++)
        {
            Roles[i].Index = i;
        }

        Aggregate();

        var bindings = new List<RbacBinding>();
        var effective = new Dictionary<(RbacBindingKind, string, string), RbacBinding>();
        foreach (var (obj, kind) in allBindings)
        {
            if (ReadBinding(obj, kind) is not { } binding)
            {
                continue;
            }

            bindings.Add(binding);
            var key = (binding.Kind, binding.Namespace, binding.Name);
            if (effective.TryGetValue(key, out var earlier))
            {
                Warn(obj, obj.Metadata?.Entry("name")?.Key,
                    $"duplicate {binding.Display} (also defined at {earlier.Object!.Location}); the later definition is the one in force, as kubectl apply would leave it");
            }

            effective[key] = binding;
            if (binding.Kind == RbacBindingKind.RoleBinding)
            {
                namespaces.Add(binding.Namespace);
            }
        }

        AllBindings = bindings;
        var builtIn = new List<RbacBinding>();
        foreach (var definition in BootstrapPolicy.Bindings)
        {
            if (effective.TryGetValue((definition.Kind, definition.Namespace, definition.Name), out var defined) && !AutoUpdates(defined.Object))
            {
                continue;
            }

            // Alongside an input binding of the same name, the bootstrap one stands for the subjects the reconciler adds to it.
            builtIn.Add(new RbacBinding
            {
                Kind = definition.Kind,
                Namespace = definition.Namespace,
                Name = definition.Name,
                RoleRef = new RbacRoleRef(definition.RoleKind.ToString(), definition.RoleName, RbacGroup, null),
                Subjects = definition.Subjects,
                Role = _roles.GetValueOrDefault((definition.RoleKind, definition.RoleKind == RbacRoleKind.Role ? definition.Namespace : string.Empty, definition.RoleName)),
            });
        }

        Bindings = [.. effective.Values, .. builtIn];
        ClusterRoleBindings = [.. Bindings.Where(b => b.IsClusterWide)];
        foreach (var binding in Bindings.Where(b => !b.IsClusterWide))
        {
            if (!_roleBindingsByNamespace.TryGetValue(binding.Namespace, out var inNamespace))
            {
                _roleBindingsByNamespace[binding.Namespace] = inNamespace = [];
            }

            inNamespace.Add(binding);
        }

        foreach (var binding in Bindings)
        {
            if (binding.Role is { } role)
            {
                if (!_bindingsByRole.TryGetValue(role, out var list))
                {
                    _bindingsByRole[role] = list = [];
                }

                list.Add(binding);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var subject in binding.Subjects)
            {
                if (subject.MatchKey is { } key && seen.Add(key))
                {
                    if (!SubjectIndex.TryGetValue(key, out var list))
                    {
                        SubjectIndex[key] = list = [];
                    }

                    list.Add((binding, subject));
                }

                if (subject.Kind == RbacSubject.ServiceAccount && subject.Namespace.Length > 0 && !binding.IsBuiltIn)
                {
                    namespaces.Add(subject.Namespace);
                    AddServiceAccount(subject.Namespace, subject.Name, null);
                }
            }
        }

        foreach (var obj in serviceAccountObjects)
        {
            if (obj.Name is not { Length: > 0 } name)
            {
                Warn(obj, null, "ServiceAccount without a name is ignored");
                continue;
            }

            var ns = NamespaceOf(obj.Namespace);
            namespaces.Add(ns);
            if (_serviceAccounts.TryGetValue((ns, name), out var earlier) && earlier.Object is { } earlierObject)
            {
                Warn(obj, obj.Metadata?.Entry("name")?.Key,
                    $"duplicate ServiceAccount {ns}/{name} (also defined at {earlierObject.Location}); the later definition is the one in force");
            }

            var automount = obj.Root.Scalar("automountServiceAccountToken")?.AsBool();
            var account = new RbacServiceAccount { Namespace = ns, Name = name, Object = obj, AutomountServiceAccountToken = automount };
            if (_serviceAccounts.TryGetValue((ns, name), out var existing))
            {
                account.Workloads.AddRange(existing.Workloads);
            }

            _serviceAccounts[(ns, name)] = account;
        }

        Workloads = workloads;
        foreach (var workload in workloads)
        {
            var ns = NamespaceOf(workload.Namespace);
            namespaces.Add(ns);
            var name = workload.ServiceAccountName?.Value is { Length: > 0 } sa ? sa : "default";
            AddServiceAccount(ns, name, null).Workloads.Add(workload);
        }

        foreach (var ns in namespaces)
        {
            // Every namespace has a "default" service account; pods that name none run as it.
            AddServiceAccount(ns, "default", null);
        }

        // The controllers' and kube-dns's accounts exist in every cluster; pods can be created to run as them.
        foreach (var subject in builtIn.SelectMany(b => b.Subjects).Where(s => s.Kind == RbacSubject.ServiceAccount))
        {
            if (!_serviceAccounts.ContainsKey((subject.Namespace, subject.Name)))
            {
                _serviceAccounts[(subject.Namespace, subject.Name)] = new RbacServiceAccount { Namespace = subject.Namespace, Name = subject.Name, IsBuiltIn = true };
            }
        }

        Namespaces = [.. namespaces.Order(StringComparer.Ordinal)];
        ServiceAccounts = [.. _serviceAccounts.Values.OrderBy(a => a.Namespace, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal)];
        _warnings.AddRange(UnnamespacedServiceAccounts.Warnings(this));
    }

    private RbacServiceAccount AddServiceAccount(string ns, string name, KubernetesObject? obj)
    {
        if (!_serviceAccounts.TryGetValue((ns, name), out var account))
        {
            _serviceAccounts[(ns, name)] = account = new RbacServiceAccount { Namespace = ns, Name = name, Object = obj };
        }

        return account;
    }

    private RbacRole? ReadRole(KubernetesObject obj)
    {
        var kind = obj.Kind == "Role" ? RbacRoleKind.Role : RbacRoleKind.ClusterRole;
        if (obj.Metadata.String("name") is not { Length: > 0 } name)
        {
            Warn(obj, null, $"{obj.Kind} without a name is ignored");
            return null;
        }

        var rules = new List<RbacPolicyRule>();
        var rulesNode = obj.Root["rules"];
        if (rulesNode is DocSequence sequence)
        {
            foreach (var item in sequence.Items)
            {
                if (item is DocMapping map)
                {
                    rules.Add(RbacPolicyRule.Read(map));
                }
            }
        }
        else if (rulesNode is not null and not DocScalar { IsNull: true })
        {
            Warn(obj, obj.Root.Entry("rules")?.Key, "rules is not a list; the role grants nothing");
        }

        List<LabelSelector>? selectors = null;
        if (kind == RbacRoleKind.ClusterRole && obj.Root.Entry("aggregationRule") is { Value: DocMapping aggregation })
        {
            selectors = [];
            foreach (var node in aggregation.ItemsOf("clusterRoleSelectors"))
            {
                selectors.Add(LabelSelector.Read(node));
            }
        }

        var role = new RbacRole
        {
            Kind = kind,
            Namespace = kind == RbacRoleKind.Role ? NamespaceOf(obj.Namespace) : string.Empty,
            Name = name,
            Object = obj,
            Labels = obj.Labels,
            WrittenRules = rules,
            AggregationSelectors = selectors,
        };
        foreach (var rule in rules)
        {
            rule.Owner = role;
        }

        role.Rules = rules;
        return role;
    }

    /// <summary>
    /// Fills aggregated ClusterRoles as the aggregation controller converges to: each gets, per selector in order
    /// and per matching ClusterRole by name (itself excluded), that role's current rules, without duplicates.
    /// Starting from empty rules and repeating until nothing changes gives the least fixed point, so chains of
    /// aggregated roles resolve and cycles do not invent rules. A selector that does not convert makes the
    /// controller give up on the role, which keeps its written rules.
    /// </summary>
    private void Aggregate()
    {
        var aggregated = Roles.Where(r => r.IsAggregated).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (aggregated.Count == 0)
        {
            return;
        }

        var clusterRoles = Roles.Where(r => r.Kind == RbacRoleKind.ClusterRole).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var sources = new Dictionary<RbacRole, List<RbacRole>>();
        foreach (var role in aggregated)
        {
            if (role.AggregationSelectors!.FirstOrDefault(s => !s.IsValid) is { } invalid)
            {
                Warn(role.Object!, role.Object!.Root.Entry("aggregationRule")?.Key,
                    $"aggregationRule has an invalid selector ({invalid.Error}); the aggregation controller leaves the role's rules as written");
                continue;
            }

            var matched = new List<RbacRole>();
            foreach (var selector in role.AggregationSelectors!)
            {
                matched.AddRange(clusterRoles.Where(r => r != role && selector.Matches(r.Labels)));
            }

            sources[role] = matched;
            role.AggregatedFrom = [.. matched.Distinct()];
            if (role.WrittenRules.Count > 0)
            {
                Warn(role.Object!, role.Object!.Root.Entry("rules")?.Key,
                    "the rules of an aggregated ClusterRole are replaced by the aggregation controller; the written rules are not in force");
            }

            role.Rules = [];
        }

        for (var round = 0; round <= sources.Count; round++)
        {
            var changed = false;
            foreach (var (role, matched) in sources)
            {
                var union = new List<RbacPolicyRule>();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var source in matched)
                {
                    foreach (var rule in source.Rules)
                    {
                        if (keys.Add(RuleKey(rule)))
                        {
                            union.Add(rule);
                        }
                    }
                }

                if (union.Count != role.Rules.Count)
                {
                    role.Rules = union;
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }
        }

        // Which aggregated roles carry each role's rules, transitively (for findings on the source role).
        foreach (var role in sources.Keys)
        {
            var stack = new Stack<RbacRole>(sources[role]);
            var visited = new HashSet<RbacRole>();
            while (stack.Count > 0)
            {
                var source = stack.Pop();
                if (source == role || !visited.Add(source))
                {
                    continue;
                }

                if (!_aggregatedInto.TryGetValue(source, out var into))
                {
                    _aggregatedInto[source] = into = [];
                }

                into.Add(role);
                if (sources.TryGetValue(source, out var further))
                {
                    foreach (var f in further)
                    {
                        stack.Push(f);
                    }
                }
            }
        }
    }

    private static string RuleKey(RbacPolicyRule rule) =>
        string.Join('\u0001', rule.Verbs) + '\u0002' + string.Join('\u0001', rule.ApiGroups) + '\u0002' + string.Join('\u0001', rule.Resources)
        + '\u0002' + string.Join('\u0001', rule.ResourceNames) + '\u0002' + string.Join('\u0001', rule.NonResourceUrls);

    private RbacBinding? ReadBinding(KubernetesObject obj, RbacBindingKind kind)
    {
        if (obj.Metadata.String("name") is not { Length: > 0 } name)
        {
            Warn(obj, null, $"{obj.Kind} without a name is ignored");
            return null;
        }

        var ns = kind == RbacBindingKind.RoleBinding ? NamespaceOf(obj.Namespace) : string.Empty;
        RbacRoleRef? roleRef = null;
        if (obj.Root.Entry("roleRef") is { Value: DocMapping refMap } refEntry)
        {
            roleRef = new RbacRoleRef(refMap.String("kind") ?? string.Empty, refMap.String("name") ?? string.Empty, refMap.String("apiGroup") ?? string.Empty, refEntry.Key);
        }

        var subjects = new List<RbacSubject>();
        var subjectsNode = obj.Root["subjects"];
        if (subjectsNode is DocSequence sequence)
        {
            foreach (var item in sequence.Items)
            {
                if (item is not DocMapping map)
                {
                    continue;
                }

                var subjectKind = map.String("kind") ?? string.Empty;
                var subjectName = map.String("name") ?? string.Empty;
                var subjectNamespace = map.String("namespace") ?? string.Empty;
                if (subjectKind == RbacSubject.ServiceAccount && subjectNamespace.Length == 0)
                {
                    // The authorizer defaults a ServiceAccount subject's namespace to the RoleBinding's own.
                    subjectNamespace = ns;
                }

                var subject = new RbacSubject(subjectKind, subjectName, subjectNamespace, map);
                if (!subject.IsKnownKind)
                {
                    Warn(obj, map, subjectKind.Length == 0
                        ? "subject without a kind applies to no one"
                        : $"subject kind \"{subjectKind}\" is not User, Group or ServiceAccount; it applies to no one");
                }
                else if (subjectName.Length == 0)
                {
                    Warn(obj, map, $"{subjectKind} subject without a name applies to no one");
                }
                else if (subjectKind == RbacSubject.ServiceAccount && subjectNamespace.Length == 0)
                {
                    Warn(obj, map, $"ServiceAccount subject \"{subjectName}\" names no namespace, so in a ClusterRoleBinding it applies to no one");
                }

                subjects.Add(subject);
            }
        }
        else if (subjectsNode is not null and not DocScalar { IsNull: true })
        {
            Warn(obj, obj.Root.Entry("subjects")?.Key, "subjects is not a list; the binding applies to no one");
        }

        var binding = new RbacBinding { Kind = kind, Namespace = ns, Name = name, Object = obj, RoleRef = roleRef, Subjects = subjects };
        binding.Role = ResolveRole(binding);
        return binding;
    }

    private RbacRole? ResolveRole(RbacBinding binding)
    {
        var obj = binding.Object!;
        if (binding.RoleRef is not { } roleRef)
        {
            Warn(obj, null, "binding has no roleRef; it grants nothing");
            return null;
        }

        switch (roleRef.Kind)
        {
            case "ClusterRole":
                {
                    if (_roles.TryGetValue((RbacRoleKind.ClusterRole, string.Empty, roleRef.Name), out var role))
                    {
                        return role;
                    }

                    Warn(obj, roleRef.Node, roleRef.Name.StartsWith("system:", StringComparison.Ordinal)
                        ? $"refers to ClusterRole \"{roleRef.Name}\", which is neither in the input nor in Kubernetes' bootstrap policy (a distribution or add-on may provide it); what it grants is not analysed"
                        : $"refers to ClusterRole \"{roleRef.Name}\", which is neither in the input nor in Kubernetes' bootstrap policy; the binding grants nothing until it exists");
                    return null;
                }

            case "Role" when binding.Kind == RbacBindingKind.ClusterRoleBinding:
                Warn(obj, roleRef.Node, $"a ClusterRoleBinding can only refer to a ClusterRole; Role \"{roleRef.Name}\" is never found, so it grants nothing");
                return null;
            case "Role":
                {
                    if (_roles.TryGetValue((RbacRoleKind.Role, binding.Namespace, roleRef.Name), out var role))
                    {
                        return role;
                    }

                    Warn(obj, roleRef.Node, $"refers to Role \"{roleRef.Name}\", which is not in namespace {binding.Namespace} in the input (nor a Role every cluster has there); the binding grants nothing until it exists");
                    return null;
                }

            default:
                Warn(obj, roleRef.Node, $"roleRef kind \"{roleRef.Kind}\" is not Role or ClusterRole; the binding grants nothing");
                return null;
        }
    }

    /// <summary>A role of the bootstrap policy as this model's own object (rules are copied: they point back at their role).</summary>
    private static RbacRole BuiltIn(BootstrapRole definition)
    {
        var labels = new Dictionary<string, string>(definition.Labels, StringComparer.Ordinal) { [BootstrapPolicy.BootstrappingLabel] = BootstrapPolicy.BootstrappingValue };
        var rules = definition.Rules.Select(Copy).ToList();
        var role = new RbacRole
        {
            Kind = definition.Kind,
            Namespace = definition.Namespace,
            Name = definition.Name,
            Labels = labels,
            WrittenRules = rules,
            AggregationSelectors = definition.Aggregation.Count > 0 ? [.. definition.Aggregation.Select(LabelSelector.FromLabels)] : null,
        };
        foreach (var rule in rules)
        {
            rule.Owner = role;
        }

        role.Rules = rules;
        return role;
    }

    /// <summary>
    /// What the API server's reconciler makes of an input role that has a bootstrap role's name: the bootstrap
    /// aggregation selectors or rules the role lacks are added (nothing is removed), unless the role opts out.
    /// </summary>
    private static void Reconcile(RbacRole role, BootstrapRole definition)
    {
        if (!AutoUpdates(role.Object))
        {
            return;
        }

        if (definition.Aggregation.Count > 0)
        {
            role.AggregationSelectors = [.. role.AggregationSelectors ?? [], .. definition.Aggregation.Select(LabelSelector.FromLabels)];
            return;
        }

        var missing = definition.Rules.Where(r => !role.WrittenRules.Any(w => w.SameAs(r))).Select(Copy).ToList();
        foreach (var rule in missing)
        {
            rule.Owner = role;
        }

        role.Rules = [.. role.Rules, .. missing];
    }

    private static RbacPolicyRule Copy(RbacPolicyRule rule) =>
        RbacPolicyRule.Of(rule.Verbs, rule.ApiGroups, rule.Resources, rule.ResourceNames, rule.NonResourceUrls);

    /// <summary>False when the object carries <c>rbac.authorization.kubernetes.io/autoupdate: "false"</c>.</summary>
    private static bool AutoUpdates(Parsing.Kubernetes.KubernetesObject? obj) =>
        obj is null || !obj.Annotations.TryGetValue(BootstrapPolicy.AutoUpdateAnnotation, out var value) || value != "false";
}
