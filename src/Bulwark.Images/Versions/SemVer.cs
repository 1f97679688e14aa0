using System.Globalization;
using System.Text.RegularExpressions;

namespace Bulwark.Images.Versions;

/// <summary>
/// SemVer 2.0.0 precedence, parsed as node-semver's loose mode does (npm's registry and lockfiles hold such strings):
/// leading <c>v</c>/<c>=</c>/spaces, leading zeros, and a prerelease without its hyphen are accepted. Build metadata is
/// kept but ignored for precedence.
/// </summary>
public static class SemVer
{
    /// <summary>Number.MAX_SAFE_INTEGER: node-semver rejects larger version numbers, so Bulwark does too.</summary>
    internal const long MaxSafeInteger = 9007199254740991;

    /// <summary>node-semver refuses longer strings; a cap also bounds the work done on hostile input.</summary>
    internal const int MaxLength = 256;

    private static readonly Regex Loose = new(
        @"\A[v=\s]*([0-9]+)\.([0-9]+)\.([0-9]+)(?:-?((?:[0-9]+|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:[0-9]+|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex Strict = new(
        @"\Av?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>A parsed version; <see cref="Prerelease"/> is empty for a release.</summary>
    public sealed record Version(long Major, long Minor, long Patch, IReadOnlyList<string> Prerelease, string Build)
    {
        public override string ToString() =>
            $"{Major}.{Minor}.{Patch}" + (Prerelease.Count > 0 ? "-" + string.Join('.', Prerelease) : string.Empty)
            + (Build.Length > 0 ? "+" + Build : string.Empty);
    }

    /// <summary>Parses loosely (node-semver <c>{loose: true}</c>); false for anything else, never throws.</summary>
    public static bool TryParse(string? text, out Version version) => TryParse(text, Loose, out version);

    /// <summary>Parses as node-semver does by default: SemVer 2.0.0 with an optional leading <c>v</c>.</summary>
    public static bool TryParseStrict(string? text, out Version version) => TryParse(text, Strict, out version);

    private static bool TryParse(string? text, Regex grammar, out Version version)
    {
        version = null!;
        if (text is null || text.Length > MaxLength)
        {
            return false;
        }

        var m = grammar.Match(text.Trim());
        if (!m.Success || !Number(m.Groups[1].Value, out var major) || !Number(m.Groups[2].Value, out var minor)
            || !Number(m.Groups[3].Value, out var patch))
        {
            return false;
        }

        string[] pre = m.Groups[4].Success ? m.Groups[4].Value.Split('.') : [];
        version = new Version(major, minor, patch, pre, m.Groups[5].Success ? m.Groups[5].Value : string.Empty);
        return true;
    }

    internal static bool Number(string digits, out long value) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxSafeInteger;

    /// <summary>
    /// Total order: valid versions by SemVer precedence; strings that are not versions sort before every version, and
    /// among themselves ordinally, so a sort never fails on a stranger's string.
    /// </summary>
    public static int Compare(string a, string b) => TotalOrder.Compare<Version>(a, b, TryParse, Compare);

    public static int Compare(Version a, Version b)
    {
        var main = a.Major != b.Major ? a.Major.CompareTo(b.Major)
            : a.Minor != b.Minor ? a.Minor.CompareTo(b.Minor)
            : a.Patch.CompareTo(b.Patch);
        return main != 0 ? main : ComparePrerelease(a.Prerelease, b.Prerelease);
    }

    private static int ComparePrerelease(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // A release outranks its prereleases; otherwise identifiers compare in turn and the longer list wins a tie.
        if (a.Count == 0 || b.Count == 0)
        {
            return b.Count.CompareTo(a.Count);
        }

        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = CompareIdentifier(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private static int CompareIdentifier(string a, string b)
    {
        // Numeric identifiers compare as numbers and below alphanumeric ones; node-semver keeps a numeric identifier
        // too large for a double's exact range as a string, and so does this.
        var numA = a.All(char.IsAsciiDigit) && Number(a, out var na) && na < MaxSafeInteger ? na : (long?)null;
        var numB = b.All(char.IsAsciiDigit) && Number(b, out var nb) && nb < MaxSafeInteger ? nb : (long?)null;
        return (numA, numB) switch
        {
            ({ } x, { } y) => x.CompareTo(y),
            ({ }, null) => -1,
            (null, { }) => 1,
            _ => Math.Sign(string.CompareOrdinal(a, b)),
        };
    }
}
