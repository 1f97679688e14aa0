using Bulwark.Images.Versions;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// Whether a version falls in an advisory's affected versions, with the version scheme of its ecosystem: OSV's range
/// evaluation (events sorted by version, <c>introduced</c> opens, <c>fixed</c> closes before, <c>last_affected</c>
/// closes after; <c>versions</c> lists match exactly) and npm range expressions (whose <c>fixed</c> events, when
/// given, name where the patched versions start).
/// </summary>
public static class AffectedVersions
{
    /// <summary>A version scheme: a total order and a validity test.</summary>
    public sealed record Scheme(string Name, Func<string, string, int> Compare, Func<string, bool> IsValid);

    private static readonly Scheme Dpkg = new("dpkg", DpkgVersion.Compare, v => DpkgVersion.TryParse(v, out _, out _, out _));
    private static readonly Scheme Apk = new("apk", ApkVersion.Compare, ApkVersion.IsValid);
    private static readonly Scheme Rpm = new("rpm", RpmVersion.Compare, v => v.Length > 0);
    private static readonly Scheme Semantic = new("SemVer", SemVer.Compare, v => SemVer.TryParse(v, out _));
    private static readonly Scheme Go = new("Go", GoVersion.Compare, v => GoVersion.TryParse(v, out _));
    private static readonly Scheme Pep440 = new("PEP 440", Pep440Version.Compare, v => Pep440Version.TryParse(v, out _));
    private static readonly Scheme Maven = new("Maven", MavenVersion.Compare, v => v.Length > 0);
    private static readonly Scheme NuGet = new("NuGet", NuGetVersion.Compare, v => NuGetVersion.TryParse(v, out _));
    private static readonly Scheme RubyGems = new("RubyGems", RubyGemsVersion.Compare, RubyGemsVersion.IsValid);

    /// <summary>
    /// The scheme an ecosystem's <c>ECOSYSTEM</c> ranges and version lists use; null for an ecosystem Bulwark cannot
    /// order, whose packages are then not matched rather than matched wrongly (and the scan says so).
    /// </summary>
    public static Scheme? SchemeOf(string ecosystem)
    {
        ArgumentNullException.ThrowIfNull(ecosystem);
        var family = ecosystem.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? ecosystem[..colon] : ecosystem;
        return family switch
        {
            "Debian" or "Ubuntu" => Dpkg,
            "Alpine" or "Wolfi" or "Chainguard" => Apk,
            "Red Hat" or "AlmaLinux" or "Rocky Linux" or "SUSE" or "openSUSE" or "Mageia" or "openEuler" => Rpm,
            Ecosystems.Npm or Ecosystems.CratesIo => Semantic,
            Ecosystems.Go => Go,
            Ecosystems.PyPI => Pep440,
            Ecosystems.Maven => Maven,
            Ecosystems.NuGet => NuGet,
            Ecosystems.RubyGems => RubyGems,
            _ => null,
        };
    }

    /// <summary>
    /// Whether <paramref name="version"/> is affected, and the fixed version to upgrade to: the lowest <c>fixed</c>
    /// above it in the range that matched (null when there is none: unfixed, or matched by the version list or by an
    /// expression).
    /// </summary>
    public static bool Contains(AffectedPackage affected, string version, Scheme scheme, out string? fixedVersion)
    {
        ArgumentNullException.ThrowIfNull(affected);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(scheme);
        fixedVersion = null;
        var hit = false;
        foreach (var range in affected.Ranges)
        {
            if (InRange(range, version, scheme, out var fix))
            {
                // Several ranges can match (a feed listing one per branch): the fix to name is the nearest one.
                if (!hit || (fix is not null && (fixedVersion is null || scheme.Compare(fix, fixedVersion) < 0)))
                {
                    fixedVersion = fix;
                }

                hit = true;
            }
        }

        if (hit)
        {
            return true;
        }

        foreach (var listed in affected.Versions)
        {
            if (scheme.Compare(listed, version) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InRange(AffectedRange range, string version, Scheme scheme, out string? fixedVersion)
    {
        fixedVersion = null;
        switch (range.Kind)
        {
            case RangeKind.NpmExpression:
                if (range.Expression is not { } expression || !NpmRange.Satisfies(version, expression))
                {
                    return false;
                }

                // The expression's fixed events are where patched versions start: the nearest above is the upgrade.
                fixedVersion = range.Events
                    .Where(e => e.Kind == RangeEventKind.Fixed && SemVer.Compare(e.Version, version) > 0 && !NpmRange.Satisfies(e.Version, expression))
                    .Select(e => e.Version)
                    .OrderBy(v => v, Comparer<string>.Create(SemVer.Compare))
                    .FirstOrDefault();
                return true;
            case RangeKind.Semver:
                // SEMVER ranges use SemVer 2.0 whatever the ecosystem; Go's are SemVer without the "v", which GoVersion reads.
                scheme = scheme == Go ? Go : Semantic;
                break;
        }

        var events = range.Events.Where(e => e.Kind != RangeEventKind.Limit).ToList();
        if (events.Count == 0)
        {
            return false;
        }

        // OSV: evaluate the events in version order ("0" first); a stable sort keeps published order for ties.
        var ordered = events.OrderBy(e => e, Comparer<RangeEvent>.Create((a, b) => CompareEvent(a, b, scheme))).ToList();
        var affected = false;
        foreach (var e in ordered)
        {
            switch (e.Kind)
            {
                case RangeEventKind.Introduced when e.Version == "0" || scheme.Compare(version, e.Version) >= 0:
                    affected = true;
                    break;
                case RangeEventKind.Fixed when scheme.Compare(version, e.Version) >= 0:
                    affected = false;
                    break;
                case RangeEventKind.LastAffected when scheme.Compare(version, e.Version) > 0:
                    affected = false;
                    break;
            }
        }

        if (affected)
        {
            fixedVersion = ordered
                .Where(e => e.Kind == RangeEventKind.Fixed && scheme.Compare(e.Version, version) > 0)
                .Select(e => e.Version)
                .FirstOrDefault();
        }

        return affected;
    }

    private static int CompareEvent(RangeEvent a, RangeEvent b, Scheme scheme)
    {
        var zeroA = a.Kind == RangeEventKind.Introduced && a.Version == "0";
        var zeroB = b.Kind == RangeEventKind.Introduced && b.Version == "0";
        return (zeroA, zeroB) switch
        {
            (true, true) => 0,
            (true, false) => -1,
            (false, true) => 1,
            _ => scheme.Compare(a.Version, b.Version),
        };
    }
}
