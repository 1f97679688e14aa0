namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// What the API server's authorizer is asked: a verb on a resource (with API group, optional subresource,
/// name and namespace), or a verb on a non-resource URL. Mirrors <c>authorizer.Attributes</c>.
/// </summary>
public sealed record RbacRequest
{
    public required string Verb { get; init; }

    public string ApiGroup { get; init; } = string.Empty;

    public string Resource { get; init; } = string.Empty;

    public string Subresource { get; init; } = string.Empty;

    /// <summary>The object's name; empty for requests without one (list, watch of a collection, create, deletecollection).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The request's namespace; empty for cluster-scoped resources and non-resource URLs.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>Set for non-resource requests (<c>/healthz</c>, <c>/logs/…</c>); null for resource requests.</summary>
    public string? NonResourceUrl { get; init; }

    public bool IsResourceRequest => NonResourceUrl is null;

    /// <summary><c>resource/subresource</c>, as rules name it.</summary>
    public string CombinedResource => Subresource.Length > 0 ? Resource + "/" + Subresource : Resource;

    public static RbacRequest ForResource(string verb, string apiGroup, string resource, string subresource = "", string name = "", string ns = "") =>
        new() { Verb = verb, ApiGroup = apiGroup, Resource = resource, Subresource = subresource, Name = name, Namespace = ns };

    public static RbacRequest ForUrl(string verb, string url) => new() { Verb = verb, NonResourceUrl = url };

    public override string ToString()
    {
        if (NonResourceUrl is { } url)
        {
            return $"{Verb} {url}";
        }

        var what = ApiGroup.Length > 0 ? $"{CombinedResource} ({ApiGroup})" : CombinedResource;
        var named = Name.Length > 0 ? $" \"{Name}\"" : string.Empty;
        var where = Namespace.Length > 0 ? $" in namespace {Namespace}" : string.Empty;
        return $"{Verb} {what}{named}{where}";
    }
}
