using Bulwark.Core.Rules;

namespace Bulwark.Rules;

/// <summary>
/// Text that names a setting the way each source spells it (<c>allowPrivilegeEscalation: false</c> in
/// Kubernetes, <c>security_opt: [no-new-privileges:true]</c> in Compose, <c>--security-opt
/// no-new-privileges</c> for <c>docker run</c>), so a finding's message and fix read right wherever it fired.
/// Compose falls back to the Kubernetes text, Docker to Compose's.
/// </summary>
public sealed record SourceText(string Kubernetes, string? Compose = null, string? Docker = null)
{
    public string For(SourceKind source) => source switch
    {
        SourceKind.Compose => Compose ?? Kubernetes,
        SourceKind.DockerInspect => Docker ?? Compose ?? Kubernetes,
        _ => Kubernetes,
    };
}
