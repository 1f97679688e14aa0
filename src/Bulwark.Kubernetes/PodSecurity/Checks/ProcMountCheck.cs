using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Baseline: containers must keep the default masked <c>/proc</c>. From v1.35 a pod in its own user
/// namespace (<c>hostUsers: false</c>) may set any procMount.
/// </summary>
internal static class ProcMountCheck
{
    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.ProcMount,
        PodSecurityLevel.Baseline,
        [new(0, pod => Evaluate(pod, PodSecurityCheckIds.ProcMount)), new(35, V1Dot35)]);

    private static PodSecurityViolation? V1Dot35(PodView pod) =>
        pod.UsesUserNamespace ? null : Evaluate(pod, PodSecurityCheckIds.ProcMount);

    /// <summary>The unconditional procMount rule, shared with <see cref="ProcMountRestrictedCheck"/>.</summary>
    public static PodSecurityViolation? Evaluate(PodView pod, string checkId)
    {
        var bad = new List<string>();
        var types = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            if (PodFields.OptionalString(container.SecurityContext, "procMount") is { } procMount && procMount != "Default")
            {
                bad.Add(container.Name);
                types.Add(procMount);
                locations.Add(pod.At(container.SecurityContext!.Entry("procMount")!.Value));
            }
        }

        return bad.Count == 0
            ? null
            : new PodSecurityViolation(
                checkId,
                "procMount",
                $"{UpstreamWording.Containers(bad)} must not set securityContext.procMount to {UpstreamWording.JoinQuote(UpstreamWording.SortedSet(types))}",
                locations.Distinct().ToArray());
    }
}
