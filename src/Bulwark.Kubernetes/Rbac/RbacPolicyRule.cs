using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// One entry of a Role's or ClusterRole's <c>rules</c>: verbs, API groups, resources, resource names and
/// non-resource URLs, as written. <see cref="Node"/> is the rule's mapping in its manifest (null for built-in
/// roles), so findings can point at the exact verb or resource line.
/// </summary>
public sealed class RbacPolicyRule
{
    public string[] Verbs { get; init; } = [];

    public string[] ApiGroups { get; init; } = [];

    public string[] Resources { get; init; } = [];

    public string[] ResourceNames { get; init; } = [];

    public string[] NonResourceUrls { get; init; } = [];

    /// <summary>The rule's mapping in the manifest; null for built-in roles and rules built in code.</summary>
    public DocMapping? Node { get; init; }

    /// <summary>The role whose manifest lists this rule (for an aggregated ClusterRole, the role it came from).</summary>
    public RbacRole? Owner { get; internal set; }

    public static RbacPolicyRule Of(string[] verbs, string[]? apiGroups = null, string[]? resources = null, string[]? resourceNames = null, string[]? nonResourceUrls = null) =>
        new()
        {
            Verbs = verbs,
            ApiGroups = apiGroups ?? [],
            Resources = resources ?? [],
            ResourceNames = resourceNames ?? [],
            NonResourceUrls = nonResourceUrls ?? [],
        };

    /// <summary>Reads a rule mapping; fields that are not lists of strings count as empty, as they would fail validation.</summary>
    public static RbacPolicyRule Read(DocMapping node) => new()
    {
        Verbs = Strings(node, "verbs"),
        ApiGroups = Strings(node, "apiGroups"),
        Resources = Strings(node, "resources"),
        ResourceNames = Strings(node, "resourceNames"),
        NonResourceUrls = Strings(node, "nonResourceURLs"),
        Node = node,
    };

    /// <summary>The same rule with other lists (used to show what a RoleBinding really grants of a ClusterRole's rule).</summary>
    public RbacPolicyRule With(string[] resources, string[] nonResourceUrls) => new()
    {
        Verbs = Verbs,
        ApiGroups = ApiGroups,
        Resources = resources,
        ResourceNames = ResourceNames,
        NonResourceUrls = nonResourceUrls,
        Node = Node,
        Owner = Owner,
    };

    /// <summary>The node of the list item equal to one of <paramref name="values"/> in <paramref name="field"/> (e.g. the <c>- "*"</c> verb), else the field's key.</summary>
    public DocNode? ItemNode(string field, params string[] values)
    {
        var entry = Node?.Entry(field);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value.Value is DocSequence sequence)
        {
            foreach (var item in sequence.Items)
            {
                if (item is DocScalar scalar && values.Contains(scalar.Value, StringComparer.Ordinal))
                {
                    return item;
                }
            }
        }

        return entry.Value.Key;
    }

    /// <summary>Structural equality, treating missing and empty lists alike (the aggregation controller's semantic DeepEqual).</summary>
    public bool SameAs(RbacPolicyRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Verbs.AsSpan().SequenceEqual(other.Verbs)
            && ApiGroups.AsSpan().SequenceEqual(other.ApiGroups)
            && Resources.AsSpan().SequenceEqual(other.Resources)
            && ResourceNames.AsSpan().SequenceEqual(other.ResourceNames)
            && NonResourceUrls.AsSpan().SequenceEqual(other.NonResourceUrls);
    }

    /// <summary>What the rule grants in words: <c>get, list on secrets</c>, <c>update on deployments of API group apps named web</c>, <c>get on /metrics</c>.</summary>
    public string Describe()
    {
        var verbs = string.Join(", ", Verbs);
        if (Resources.Length == 0)
        {
            return $"{verbs} on {string.Join(", ", NonResourceUrls)}";
        }

        var groups = ApiGroups.All(g => g.Length == 0)
            ? string.Empty
            : $" of API group{(ApiGroups.Length > 1 ? "s" : string.Empty)} {string.Join(", ", ApiGroups.Select(g => g.Length == 0 ? "core" : g))}";
        var names = ResourceNames.Length > 0 ? $" named {string.Join(", ", ResourceNames)}" : string.Empty;
        return $"{verbs} on {string.Join(", ", Resources)}{groups}{names}";
    }

    /// <summary>A compact form in the API server's style: <c>{APIGroups:[""], Resources:["pods"], Verbs:["get"]}</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        Add("APIGroups", ApiGroups);
        Add("Resources", Resources);
        Add("NonResourceURLs", NonResourceUrls);
        Add("ResourceNames", ResourceNames);
        Add("Verbs", Verbs);
        return "{" + string.Join(", ", parts) + "}";

        void Add(string name, string[] values)
        {
            if (values.Length > 0)
            {
                parts.Add($"{name}:[{string.Join(' ', values.Select(v => "\"" + v + "\""))}]");
            }
        }
    }

    internal static string[] Strings(DocMapping? node, string key)
    {
        if (node?[key] is not DocSequence sequence)
        {
            return [];
        }

        var result = new string[sequence.Items.Count];
        var n = 0;
        foreach (var item in sequence.Items)
        {
            // A null item decodes to the empty string in Go; collections are not strings and fail validation.
            if (item is DocScalar scalar)
            {
                result[n++] = scalar.IsNull ? string.Empty : scalar.Value;
            }
        }

        return n == result.Length ? result : result[..n];
    }
}
