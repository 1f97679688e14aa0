namespace Bulwark.Core.Findings;

/// <summary>
/// The object a finding is about: a Kubernetes object, a Compose service, a Dockerfile stage or a container.
/// Sources without API versions or namespaces leave them null.
/// </summary>
public sealed record ObjectReference(string? ApiVersion, string Kind, string? Namespace, string? Name)
{
    public string Display => Namespace is { Length: > 0 } ns ? $"{Kind} {ns}/{Name}" : $"{Kind} {Name}";

    public override string ToString() => Display;
}
