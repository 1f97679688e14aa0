namespace Bulwark.Kubernetes.Rbac;

/// <summary>A rule in force for someone: the binding and subject through which it applies, and the role that holds it.</summary>
public sealed record RbacGrant(RbacBinding Binding, RbacSubject Subject, RbacRole Role, RbacPolicyRule Rule)
{
    /// <summary>Empty for a ClusterRoleBinding (everywhere), else the RoleBinding's namespace.</summary>
    public string Scope => Binding.Namespace;
}

/// <summary>The authorizer's answer, with the first grant that allowed the request.</summary>
public sealed record RbacDecision(bool Allowed, RbacGrant? Grant, bool ByPrivilegedGroup = false)
{
    public static readonly RbacDecision Denied = new(false, null);

    public string Reason => ByPrivilegedGroup ? "member of system:masters, which bypasses RBAC"
        : Grant is { } g ? $"allowed by {g.Binding.Display} of {g.Role.Display} to {g.Subject.Display}" : "no rule allows it";
}

/// <summary>A binding subject that may make a request, and each binding (with its role) that lets it.</summary>
public sealed record WhoCanSubject(string Kind, string Name, string Namespace, IReadOnlyList<WhoCanVia> Via)
{
    /// <summary>True for <c>system:masters</c>, which no binding grants and no binding can take away.</summary>
    public bool BypassesRbac { get; init; }

    public string Display => Kind switch
    {
        RbacSubject.ServiceAccount => $"sa:{Namespace}/{Name}",
        RbacSubject.Group => "group:" + Name,
        _ => "user:" + Name,
    };
}

/// <summary>One way a subject gets a permission: a binding, the role it binds, and where it applies (empty: cluster-wide).</summary>
public sealed record WhoCanVia(RbacBinding Binding, RbacRole Role, string Scope);

/// <summary>One rule an identity holds, where it holds it, and through what.</summary>
public sealed record RbacPermission(string Scope, RbacPolicyRule Rule, RbacBinding Binding, RbacRole Role, RbacSubject Subject);

/// <summary>
/// Answers questions over an <see cref="RbacModel"/> the way the API server's RBAC authorizer does
/// (<c>DefaultRuleResolver.VisitRulesFor</c>): ClusterRoleBindings apply everywhere; RoleBindings only to
/// requests in their own namespace, so never to cluster-scoped resources or non-resource URLs; a subject
/// applies by user name (a ServiceAccount subject by its service account user name) or by group.
/// Members of <c>system:masters</c> are allowed everything before RBAC is asked.
/// </summary>
public sealed class RbacResolver(RbacModel model)
{
    public RbacModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>The bindings in force that apply to <paramref name="identity"/>, each with the subject that matched.</summary>
    public IEnumerable<(RbacBinding Binding, RbacSubject Subject)> BindingsFor(RbacIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var seen = new HashSet<RbacBinding>();
        foreach (var key in identity.MatchKeys)
        {
            if (Model.SubjectIndex.TryGetValue(key, out var list))
            {
                foreach (var entry in list)
                {
                    if (seen.Add(entry.Binding))
                    {
                        yield return entry;
                    }
                }
            }
        }
    }

    /// <summary>Every rule of every binding that applies to <paramref name="identity"/>, wherever it applies (see <see cref="RbacGrant.Scope"/>).</summary>
    public IEnumerable<RbacGrant> RulesFor(RbacIdentity identity)
    {
        foreach (var (binding, subject) in BindingsFor(identity))
        {
            if (binding.Role is { } role)
            {
                foreach (var rule in role.Rules)
                {
                    yield return new RbacGrant(binding, subject, role, rule);
                }
            }
        }
    }

    /// <summary>Every rule that applies to <paramref name="identity"/> for a request in <paramref name="ns"/> (empty: cluster-scoped).</summary>
    public IEnumerable<RbacGrant> RulesFor(RbacIdentity identity, string ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        foreach (var (binding, subject) in BindingsFor(identity))
        {
            if (binding.Role is not { } role || (!binding.IsClusterWide && binding.Namespace != ns))
            {
                continue;
            }

            foreach (var rule in role.Rules)
            {
                yield return new RbacGrant(binding, subject, role, rule);
            }
        }
    }

    public RbacDecision Authorize(RbacIdentity identity, RbacRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        if (identity.IsMaster)
        {
            return new RbacDecision(true, null, ByPrivilegedGroup: true);
        }

        var ns = request.IsResourceRequest ? request.Namespace : string.Empty;
        RbacGrant? byRoleBinding = null;
        foreach (var grant in RulesFor(identity, ns))
        {
            if (RbacMatcher.Allows(grant.Rule, request))
            {
                // The authorizer visits ClusterRoleBindings first; report what it would report.
                if (grant.Binding.IsClusterWide)
                {
                    return new RbacDecision(true, grant);
                }

                byRoleBinding ??= grant;
            }
        }

        return byRoleBinding is null ? RbacDecision.Denied : new RbacDecision(true, byRoleBinding);
    }

    /// <summary>
    /// Which namespace a request is made in, as the API server's request info decides: none for non-resource
    /// URLs and cluster-scoped resources, except that a request for one namespace object (<c>get namespace NS</c>,
    /// <c>patch namespace NS</c>) is made in that namespace. Null means "namespaced, in any namespace".
    /// </summary>
    public static string? RequestNamespace(RbacRequest request, string? ns)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsResourceRequest)
        {
            return string.Empty;
        }

        if (request.ApiGroup.Length == 0 && request.Resource == "namespaces")
        {
            return request.Name.Length > 0 ? request.Name : string.Empty;
        }

        return KnownResources.IsClusterScoped(request.ApiGroup, request.Resource) ? string.Empty : ns;
    }

    /// <summary>
    /// Every binding subject allowed to make <paramref name="request"/>: in namespace <paramref name="ns"/>, or,
    /// when it is null, in any namespace (each RoleBinding judged in its own). Subjects are sorted by kind and
    /// name; <c>system:masters</c> comes first, as it is always allowed.
    /// </summary>
    public IReadOnlyList<WhoCanSubject> WhoCan(RbacRequest request, string? ns)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestNamespace = RequestNamespace(request, ns);
        var subjects = new Dictionary<(string Kind, string Name, string Namespace), List<WhoCanVia>>();

        // Per role in force: 0 not yet matched, 1 allows the request, -1 does not.
        var allowedByRole = new sbyte[Model.Roles.Count];

        // RoleBindings count only for namespaced requests, and only in their own namespace.
        var candidates = requestNamespace switch
        {
            { Length: 0 } => Model.ClusterRoleBindings,
            null => Model.Bindings,
            var n => Model.ClusterRoleBindings.Concat(Model.RoleBindingsIn(n)),
        };
        foreach (var binding in candidates)
        {
            if (binding.Role is not { } role)
            {
                continue;
            }

            ref var allowed = ref allowedByRole[role.Index];
            if (allowed == 0)
            {
                allowed = Allows(role, request) ? (sbyte)1 : (sbyte)-1;
            }

            if (allowed > 0)
            {
                AddSubjects(subjects, binding, role);
            }
        }

        var result = new List<WhoCanSubject> { new(RbacSubject.Group, RbacIdentity.Masters, string.Empty, []) { BypassesRbac = true } };
        result.AddRange(subjects
            .OrderBy(s => s.Key.Kind, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Namespace, StringComparer.Ordinal)
            .Select(s => new WhoCanSubject(s.Key.Kind, s.Key.Name, s.Key.Namespace, [.. s.Value
                .OrderBy(v => v.Binding.IsClusterWide ? 0 : 1)
                .ThenBy(v => v.Binding.Display, StringComparer.Ordinal)])));
        return result;
    }

    private static bool Allows(RbacRole role, RbacRequest request)
    {
        foreach (var rule in role.Rules)
        {
            if (RbacMatcher.Allows(rule, request))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddSubjects(Dictionary<(string Kind, string Name, string Namespace), List<WhoCanVia>> subjects, RbacBinding binding, RbacRole role)
    {
        var bindingSubjects = binding.Subjects;
        for (var i = 0; i < bindingSubjects.Count; i++)
        {
            var subject = bindingSubjects[i];
            // system:masters heads every answer already: it needs no binding.
            if (subject.MatchKey is null || IsRepeated(bindingSubjects, i) || subject is { Kind: RbacSubject.Group, Name: RbacIdentity.Masters })
            {
                continue;
            }

            var key = (subject.Kind, subject.Name, subject.Kind == RbacSubject.ServiceAccount ? subject.Namespace : string.Empty);
            if (!subjects.TryGetValue(key, out var via))
            {
                subjects[key] = via = [];
            }

            via.Add(new WhoCanVia(binding, role, binding.Namespace));
        }
    }

    /// <summary>True when an earlier subject of the same binding names the same user, group or service account (bindings have few subjects).</summary>
    private static bool IsRepeated(IReadOnlyList<RbacSubject> subjects, int index)
    {
        var subject = subjects[index];
        for (var j = 0; j < index; j++)
        {
            var other = subjects[j];
            if (other.Kind == subject.Kind && other.Name == subject.Name
                && (subject.Kind != RbacSubject.ServiceAccount || other.Namespace == subject.Namespace))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any binding grants the identity anything (what <see cref="PermissionsOf"/> lists, without listing it).</summary>
    public bool HasAnyPermission(RbacIdentity identity)
    {
        foreach (var (binding, subject) in BindingsFor(identity))
        {
            if (binding.Role is not { } role || IsEveryonesDefault(binding, subject))
            {
                continue;
            }

            foreach (var rule in role.Rules)
            {
                if (binding.IsClusterWide || NamespacedPart(rule) is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The rules <paramref name="identity"/> holds, cluster-wide first, then per namespace. What a RoleBinding
    /// cannot grant is left out of its rules: non-resource URLs and resources that exist only cluster-scoped
    /// (a RoleBinding to a ClusterRole grants only its namespaced part, in the binding's namespace). What the
    /// bootstrap policy grants every client (discovery, self-reviews, the token issuer's keys) is left out too:
    /// it says nothing about this identity.
    /// </summary>
    public IReadOnlyList<RbacPermission> PermissionsOf(RbacIdentity identity)
    {
        var result = new List<RbacPermission>();
        foreach (var (binding, subject) in BindingsFor(identity))
        {
            if (binding.Role is not { } role || IsEveryonesDefault(binding, subject))
            {
                continue;
            }

            foreach (var rule in role.Rules)
            {
                if (binding.IsClusterWide)
                {
                    result.Add(new RbacPermission(string.Empty, rule, binding, role, subject));
                }
                else if (NamespacedPart(rule) is { } part)
                {
                    result.Add(new RbacPermission(binding.Namespace, part, binding, role, subject));
                }
            }
        }

        return [.. result
            .OrderBy(p => p.Scope.Length == 0 ? 0 : 1)
            .ThenBy(p => p.Scope, StringComparer.Ordinal)
            .ThenBy(p => p.Binding.Display, StringComparer.Ordinal)];
    }

    /// <summary>A bootstrap binding through a group every authenticated (or unauthenticated) client is in.</summary>
    private static bool IsEveryonesDefault(RbacBinding binding, RbacSubject subject) =>
        binding.IsBuiltIn && subject.Kind == RbacSubject.Group
        && subject.Name is RbacIdentity.Authenticated or RbacIdentity.Unauthenticated or RbacIdentity.AllServiceAccounts;

    /// <summary>The part of a rule a RoleBinding can grant; null when nothing is left.</summary>
    public static RbacPolicyRule? NamespacedPart(RbacPolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var resources = rule.Resources.Where(r => !IsClusterScopedEverywhere(rule.ApiGroups, r)).ToArray();
        if (resources.Length == 0)
        {
            return null;
        }

        return resources.Length == rule.Resources.Length && rule.NonResourceUrls.Length == 0 ? rule : rule.With(resources, []);
    }

    /// <summary>True when <paramref name="resource"/> (maybe <c>res/sub</c>) is cluster-scoped in every group of <paramref name="groups"/> that has it; <c>namespaces</c> counts as namespaced (a RoleBinding grants its own namespace object).</summary>
    public static bool IsClusterScopedEverywhere(IReadOnlyList<string> groups, string resource)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(resource);
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var name = slash >= 0 ? resource[..slash] : resource;
        if (name is "*" or "namespaces")
        {
            return false;
        }

        if (groups.Contains(RbacMatcher.All))
        {
            // Any group: cluster-scoped when the name's best-known resource is (core first, as kubectl resolves it).
            return KnownResources.Find(name, null) is { ClusterScoped: true } r && r.Plural == name;
        }

        return groups.Count > 0 && groups.All(g => KnownResources.IsClusterScoped(g, name));
    }
}
