using Bulwark.Kubernetes.PodSecurity;

namespace Bulwark.Admission;

/// <summary>
/// What a webhook path enforces: <c>/validate/pss/LEVEL/VERSION</c> names its Pod Security policy, <c>/validate</c>
/// takes the configuration's (<see cref="PodSecurity"/> null). Bulwark's own rules apply on both, as configured.
/// </summary>
public sealed record AdmissionRoute(PodSecurityPolicy? PodSecurity)
{
    /// <summary>The route of <c>/validate</c>: the level and rules of <c>--config</c>.</summary>
    public static AdmissionRoute Configured { get; } = new((PodSecurityPolicy?)null);

    /// <summary>The route of <c>/validate/pss/LEVEL/VERSION</c>; an unknown level or version is an error (HTTP 404).</summary>
    public static bool TryParse(string level, string version, out AdmissionRoute? route, out string? error)
    {
        route = null;
        if (!PodSecurityPolicy.TryParse(level + ":" + version, out var policy, out error))
        {
            return false;
        }

        route = new AdmissionRoute(policy);
        return true;
    }
}
