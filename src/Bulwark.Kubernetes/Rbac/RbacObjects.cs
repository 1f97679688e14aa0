using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Kubernetes.Rbac;

public enum RbacRoleKind
{
    Role,
    ClusterRole,
}

public enum RbacBindingKind
{
    RoleBinding,
    ClusterRoleBinding,
}

/// <summary>
/// A Role or ClusterRole. <see cref="Rules"/> are the rules the authorizer uses: for a ClusterRole with an
/// <c>aggregationRule</c>, the union the aggregation controller writes, computed over the input's ClusterRoles.
/// </summary>
public sealed class RbacRole
{
    public required RbacRoleKind Kind { get; init; }

    /// <summary>The namespace of a Role (<c>default</c> when the manifest names none); empty for a ClusterRole.</summary>
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The manifest object; null for a role of the API server's bootstrap policy that the input does not define.</summary>
    public KubernetesObject? Object { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The rules as written in the manifest.</summary>
    public IReadOnlyList<RbacPolicyRule> WrittenRules { get; init; } = [];

    /// <summary>The rules in force: the written ones, or the aggregated union for an aggregated ClusterRole.</summary>
    public IReadOnlyList<RbacPolicyRule> Rules { get; internal set; } = [];

    /// <summary>Selectors of <c>aggregationRule.clusterRoleSelectors</c>; null when the ClusterRole is not aggregated.</summary>
    internal IReadOnlyList<LabelSelector>? AggregationSelectors { get; set; }

    public bool IsAggregated => AggregationSelectors is not null;

    /// <summary>Position in <see cref="RbacModel.Roles"/> for a role in force (-1 otherwise), so per-query caches can be arrays.</summary>
    internal int Index { get; set; } = -1;

    /// <summary>ClusterRoles whose rules this aggregated ClusterRole takes (directly).</summary>
    public IReadOnlyList<RbacRole> AggregatedFrom { get; internal set; } = [];

    /// <summary>A role every cluster has from the API server's bootstrap policy, which the input does not define.</summary>
    public bool IsBuiltIn => Object is null;

    /// <summary>A role of Kubernetes' bootstrap policy: built in, or an input copy labelled <c>kubernetes.io/bootstrapping: rbac-defaults</c>.</summary>
    public bool IsKubernetesDefault => Object is null || (Labels.TryGetValue(BootstrapPolicy.BootstrappingLabel, out var v) && v == BootstrapPolicy.BootstrappingValue);

    public string Display => Kind == RbacRoleKind.Role ? $"Role {Namespace}/{Name}" : $"ClusterRole {Name}";

    public SourceLocation Location => Object?.Location ?? default;

    public override string ToString() => Display;
}

/// <summary>A subject of a binding, as written; <see cref="Namespace"/> is the namespace the authorizer uses for a ServiceAccount.</summary>
public sealed record RbacSubject(string Kind, string Name, string Namespace, DocMapping? Node)
{
    public const string User = "User";
    public const string Group = "Group";
    public const string ServiceAccount = "ServiceAccount";

    public bool IsKnownKind => Kind is User or Group or ServiceAccount;

    /// <summary>The key the authorizer matches on: the user name (a ServiceAccount's is <c>system:serviceaccount:NS:NAME</c>) or the group; null when the subject applies to nobody.</summary>
    public string? MatchKey { get; } = Kind switch
    {
        User => "u:" + Name,
        Group => "g:" + Name,
        ServiceAccount when Namespace.Length > 0 => "u:" + RbacIdentity.ServiceAccountUserName(Namespace, Name),
        _ => null,
    };

    public string Display => Kind switch
    {
        User => "user:" + Name,
        Group => "group:" + Name,
        ServiceAccount => $"sa:{Namespace}/{Name}",
        _ => $"{Kind}:{Name}",
    };

    public override string ToString() => Display;
}

public sealed record RbacRoleRef(string Kind, string Name, string ApiGroup, DocNode? Node);

/// <summary>A RoleBinding or ClusterRoleBinding, with its role resolved (null when the input has no such role).</summary>
public sealed class RbacBinding
{
    public required RbacBindingKind Kind { get; init; }

    /// <summary>The RoleBinding's namespace (<c>default</c> when the manifest names none); empty for a ClusterRoleBinding.</summary>
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The manifest object; null for a binding of the API server's bootstrap policy.</summary>
    public KubernetesObject? Object { get; init; }

    public RbacRoleRef? RoleRef { get; init; }

    public IReadOnlyList<RbacSubject> Subjects { get; init; } = [];

    /// <summary>The role the binding grants; null when it refers to a role the input does not have.</summary>
    public RbacRole? Role { get; internal set; }

    /// <summary>A binding every cluster has from the API server's bootstrap policy (not an object of the input).</summary>
    public bool IsBuiltIn => Object is null;

    /// <summary>A binding of Kubernetes' bootstrap policy: built in, or an input copy labelled <c>kubernetes.io/bootstrapping: rbac-defaults</c>.</summary>
    public bool IsKubernetesDefault => Object is null
        || (Object.Labels.TryGetValue(BootstrapPolicy.BootstrappingLabel, out var v) && v == BootstrapPolicy.BootstrappingValue);

    public bool IsClusterWide => Kind == RbacBindingKind.ClusterRoleBinding;

    public string Display => Kind == RbacBindingKind.RoleBinding ? $"RoleBinding {Namespace}/{Name}" : $"ClusterRoleBinding {Name}";

    /// <summary>What the role reference names, whether or not the role exists.</summary>
    public string RoleDisplay => Role?.Display ?? (RoleRef is { } r ? (r.Kind == "Role" ? $"Role {Namespace}/{r.Name}" : $"{r.Kind} {r.Name}") : "(no roleRef)");

    public override string ToString() => Display;
}

/// <summary>A service account: declared by a ServiceAccount object, named by a workload, or the implicit <c>default</c> of a namespace.</summary>
public sealed class RbacServiceAccount
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The ServiceAccount object, when the input has one.</summary>
    public KubernetesObject? Object { get; init; }

    /// <summary>The ServiceAccount's <c>automountServiceAccountToken</c>; null when unset or when there is no object.</summary>
    public bool? AutomountServiceAccountToken { get; init; }

    public List<WorkloadSummary> Workloads { get; } = [];

    /// <summary>A service account of kube-system that only the bootstrap policy names (a controller's, kube-dns).</summary>
    public bool IsBuiltIn { get; init; }

    public RbacIdentity Identity => RbacIdentity.ForServiceAccount(Namespace, Name);

    public string Display => $"sa:{Namespace}/{Name}";

    public override string ToString() => Display;
}

/// <summary>Something wrong in the RBAC input that the analysis worked around (a binding to a missing role, a duplicate name).</summary>
public sealed record RbacWarning(SourceLocation Location, string Subject, string Message)
{
    public override string ToString() => Location.Line > 0 ? $"{Location}: {Subject}: {Message}" : $"{Subject}: {Message}";
}
