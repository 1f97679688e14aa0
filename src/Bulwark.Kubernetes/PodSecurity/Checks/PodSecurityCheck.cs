using System.Collections.Immutable;
using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>One revision of a check: it applies from <see cref="MinimumMinor"/> (v1.N) until the next revision.</summary>
/// <param name="MinimumMinor">The first policy minor version (v1.N) this revision applies to.</param>
/// <param name="Evaluate">Returns the violation, or null when the pod passes.</param>
/// <param name="OverrideCheckIds">Baseline checks this restricted revision replaces at the restricted level.</param>
internal sealed record VersionedCheck(int MinimumMinor, Func<PodView, PodSecurityViolation?> Evaluate, ImmutableArray<string> OverrideCheckIds)
{
    public VersionedCheck(int minimumMinor, Func<PodView, PodSecurityViolation?> evaluate)
        : this(minimumMinor, evaluate, [])
    {
    }
}

/// <summary>
/// A Pod Security Standards check as upstream pod-security-admission declares it: an ID, the level it
/// belongs to and its revisions, oldest first.
/// </summary>
internal sealed record PodSecurityCheck(string Id, PodSecurityLevel Level, ImmutableArray<VersionedCheck> Versions)
{
    /// <summary>The revision in force at <paramref name="minor"/>, or null when the check did not exist yet.</summary>
    public VersionedCheck? At(int minor)
    {
        VersionedCheck? found = null;
        foreach (var version in Versions)
        {
            if (version.MinimumMinor <= minor)
            {
                found = version;
            }
        }

        return found;
    }

    public PodSecurityViolation Violation(string reason, string detail, IEnumerable<SourceLocation> locations) =>
        new(Id, reason, detail, locations.Distinct().ToArray());
}
