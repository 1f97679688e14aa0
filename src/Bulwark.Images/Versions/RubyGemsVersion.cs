using System.Text.RegularExpressions;

namespace Bulwark.Images.Versions;

/// <summary>
/// RubyGems versions as <c>Gem::Version</c> orders them (OSV's RubyGems ecosystem, gemspecs): a hyphen stands for
/// <c>.pre.</c>; the version splits into runs of digits and runs of letters (<c>1.0.a10</c> is 1, 0, a, 10); trailing
/// zeros of the numeric part and of the part after the first letters are dropped (<c>1.0</c> equals <c>1</c>); then
/// parts compare in turn, a missing one as 0, numbers as numbers, letters bytewise, and letters before any number
/// (so <c>1.0.a</c>, a prerelease, comes before <c>1.0</c>).
/// </summary>
public static partial class RubyGemsVersion
{
    // Gem::Version::ANCHORED_VERSION_PATTERN.
    [GeneratedRegex(@"\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex("[0-9]+|[a-zA-Z]+", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    /// <summary>Whether RubyGems accepts <paramref name="version"/> (<c>Gem::Version.correct?</c>; empty is 0).</summary>
    public static bool IsValid(string? version) => version is not null && version.Length <= SemVer.MaxLength && Pattern().IsMatch(version);

    /// <summary>Total order: Gem::Version's for valid versions; invalid ones before them, ordinally.</summary>
    public static int Compare(string a, string b) => TotalOrder.Compare<List<string>>(a, b, TryParse, CompareCanonical);

    private static bool TryParse(string? text, out List<string> canonical)
    {
        var valid = IsValid(text);
        canonical = valid ? Canonical(text!) : [];
        return valid;
    }

    private static int CompareCanonical(List<string> left, List<string> right)
    {
        for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
        {
            var l = i < left.Count ? left[i] : "0";
            var r = i < right.Count ? right[i] : "0";
            var c = (char.IsAsciiDigit(l[0]), char.IsAsciiDigit(r[0])) switch
            {
                (true, true) => CompareNumbers(l, r),
                (false, true) => -1,
                (true, false) => 1,
                _ => Math.Sign(string.CompareOrdinal(l, r)),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    // Gem::Version#canonical_segments: the numeric part and the rest (from the first letters), each without trailing zeros.
    private static List<string> Canonical(string version)
    {
        var text = version.Trim().Replace("-", ".pre.", StringComparison.Ordinal);
        var segments = Segment().Matches(text).Select(m => m.Value).ToList();
        var firstLetters = segments.FindIndex(s => !char.IsAsciiDigit(s[0]));
        var numeric = firstLetters < 0 ? segments : segments[..firstLetters];
        var rest = firstLetters < 0 ? [] : segments[firstLetters..];
        return [.. WithoutTrailingZeros(numeric), .. WithoutTrailingZeros(rest)];
    }

    private static IEnumerable<string> WithoutTrailingZeros(List<string> segments)
    {
        var end = segments.Count;
        while (end > 0 && char.IsAsciiDigit(segments[end - 1][0]) && segments[end - 1].TrimStart('0').Length == 0)
        {
            end--;
        }

        return segments.Take(end);
    }

    private static int CompareNumbers(string a, string b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? Math.Sign(a.Length - b.Length) : Math.Sign(string.CompareOrdinal(a, b));
    }
}
