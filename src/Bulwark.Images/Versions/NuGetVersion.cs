using System.Text.RegularExpressions;

namespace Bulwark.Images.Versions;

/// <summary>
/// NuGet versions as NuGet.Versioning orders them: one to four numbers (missing ones are zero, so 1.0 = 1.0.0.0),
/// a SemVer prerelease whose labels compare case-insensitively, and metadata that does not count.
/// </summary>
public static class NuGetVersion
{
    private static readonly Regex Grammar = new(
        @"\A\s*v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*\z",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public sealed record Version(IReadOnlyList<long> Numbers, IReadOnlyList<string> Release);

    public static bool TryParse(string? text, out Version version)
    {
        version = null!;
        if (text is null || text.Length > SemVer.MaxLength)
        {
            return false;
        }

        Match m;
        try
        {
            m = Grammar.Match(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }

        if (!m.Success)
        {
            return false;
        }

        var numbers = new long[4];
        for (var i = 0; i < 4; i++)
        {
            if (m.Groups[i + 1].Success && !SemVer.Number(m.Groups[i + 1].Value, out numbers[i]))
            {
                return false;
            }
        }

        version = new Version(numbers, m.Groups[5].Success ? m.Groups[5].Value.Split('.') : []);
        return true;
    }

    /// <summary>Total order: versions as NuGet orders them; other strings before them, ordinally.</summary>
    public static int Compare(string a, string b) => TotalOrder.Compare<Version>(a, b, TryParse, Compare);

    public static int Compare(Version a, Version b)
    {
        for (var i = 0; i < 4; i++)
        {
            if (a.Numbers[i] != b.Numbers[i])
            {
                return a.Numbers[i].CompareTo(b.Numbers[i]);
            }
        }

        if (a.Release.Count == 0 || b.Release.Count == 0)
        {
            return b.Release.Count.CompareTo(a.Release.Count);
        }

        for (var i = 0; i < Math.Min(a.Release.Count, b.Release.Count); i++)
        {
            var numA = a.Release[i].All(char.IsAsciiDigit) && SemVer.Number(a.Release[i], out var na) ? na : (long?)null;
            var numB = b.Release[i].All(char.IsAsciiDigit) && SemVer.Number(b.Release[i], out var nb) ? nb : (long?)null;
            var c = (numA, numB) switch
            {
                ({ } x, { } y) => x.CompareTo(y),
                ({ }, null) => -1,
                (null, { }) => 1,
                _ => Math.Sign(string.Compare(a.Release[i], b.Release[i], StringComparison.OrdinalIgnoreCase)),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return a.Release.Count.CompareTo(b.Release.Count);
    }
}
