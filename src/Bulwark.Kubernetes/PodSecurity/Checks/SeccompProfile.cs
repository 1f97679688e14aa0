using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>What both seccomp checks read from a security context's <c>seccompProfile</c>.</summary>
internal static class SeccompProfile
{
    public static bool ValidType(string type) => type is "RuntimeDefault" or "Localhost";

    /// <summary>The profile type when <c>seccompProfile</c> is set (a missing type reads as "").</summary>
    public static string? Type(DocMapping? securityContext) =>
        PodFields.Struct(securityContext, "seccompProfile") is { } profile ? PodFields.String(profile, "type") : null;

    /// <summary>The <c>type</c> key of a set <c>seccompProfile</c>, else its <c>seccompProfile</c> key.</summary>
    public static SourceLocation TypeLocation(PodView pod, DocMapping securityContext)
    {
        var profile = securityContext.Entry("seccompProfile")!.Value;
        return PodFields.Set(profile.Value as DocMapping, "type") is { } type ? pod.At(type) : pod.At(profile);
    }
}
