namespace Bulwark.Kubernetes.Tests.PodSecurity;

/// <summary>
/// The one place where the conformance test reads <c>index.tsv</c>'s <c>check_id</c> column differently
/// from its literal text, and why.
/// <para>
/// The restricted tree repeats every baseline fixture. Upstream's fixture runner (<c>test/run.go</c>) only
/// asserts allowed or denied; the file name says which fixture generator made the pod, not which check
/// denies it. At the restricted level upstream never runs four baseline checks: a restricted check declares
/// <c>OverrideCheckIDs</c> and runs in their place from a given version, so the violation upstream reports
/// (and <c>kubectl</c> prints) carries the restricted check's ID. Reporting the baseline ID there would
/// contradict upstream. For those rows the test therefore requires (1) the overriding check at the
/// restricted level, (2) no violation of the overridden check at that level, and (3) the named baseline
/// check when the same pod is evaluated at the baseline level of the same version.
/// </para>
/// <para>
/// The table is written down independently of the evaluator, from upstream's <c>check_*.go</c>
/// (<c>OverrideCheckIDs</c>), so the test does not grade the implementation with its own data.
/// Affected rows: 203 of 4,537 (hostpathvolumes 76, capabilities_baseline 64, seccompprofile_baseline 57,
/// procmount 6).
/// </para>
/// </summary>
internal static class PssOverriddenChecks
{
    private static readonly (string Baseline, string Restricted, int FromMinor)[] Overrides =
    [
        ("hostpathvolumes", "restrictedvolumes", 0),
        ("seccompprofile_baseline", "seccompprofile_restricted", 19),
        ("capabilities_baseline", "capabilities_restricted", 22),
        ("procmount", "procmount_restricted", 35),
    ];

    /// <summary>The lower-cased ID of the restricted check that replaces <paramref name="checkId"/>, or null.</summary>
    public static string? ReplacementAt(string level, int minor, string checkId)
    {
        if (level != "restricted")
        {
            return null;
        }

        foreach (var (baseline, restricted, fromMinor) in Overrides)
        {
            if (baseline == checkId && minor >= fromMinor)
            {
                return restricted;
            }
        }

        return null;
    }
}
