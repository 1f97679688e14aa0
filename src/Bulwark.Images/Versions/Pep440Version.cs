using System.Text.RegularExpressions;

namespace Bulwark.Images.Versions;

/// <summary>
/// PEP 440 versions (PyPI) as pypa's <c>packaging</c> reads and orders them:
/// <c>[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]</c>, with the spellings it normalises (alpha, c, pre, preview,
/// rev, r, <c>-N</c> posts, <c>-</c>/<c>_</c>/<c>.</c> separators, a leading <c>v</c>, surrounding spaces).
/// </summary>
public static class Pep440Version
{
    private const int MaxLength = 256;

    // Backtracking on purpose: .NET's NonBacktracking engine mis-assigns this grammar's groups when trailing space
    // follows ("v1.0\t\n" read as "0"). Nothing in it nests quantifiers, and the length cap bounds the work.
    private static readonly Regex Grammar = new(
        @"\A\s*v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)"
        + @"(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?"
        + @"(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?"
        + @"(?:[-_.]?(dev)[-_.]?([0-9]+)?)?"
        + @"(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*\z",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    /// <summary>
    /// A parsed version. Numbers are kept as digit strings without leading zeros, so no release number is too large.
    /// <see cref="PreLabel"/> is <c>a</c>, <c>b</c> or <c>rc</c>; absent parts are null.
    /// </summary>
    public sealed record Version(
        string Epoch, IReadOnlyList<string> Release, string? PreLabel, string? PreNumber, string? Post, string? Dev, IReadOnlyList<string> Local)
    {
        /// <summary>The normalised form, as <c>str(packaging.version.Version(...))</c> prints it.</summary>
        public override string ToString() =>
            (Epoch == "0" ? string.Empty : Epoch + "!") + string.Join('.', Release)
            + (PreLabel is null ? string.Empty : PreLabel + PreNumber)
            + (Post is null ? string.Empty : ".post" + Post)
            + (Dev is null ? string.Empty : ".dev" + Dev)
            + (Local.Count == 0 ? string.Empty : "+" + string.Join('.', Local));
    }

    public static bool TryParse(string? text, out Version version)
    {
        version = null!;
        if (text is null || text.Length > MaxLength)
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

        string? Digits(int group, bool present) => present ? Number(m.Groups[group].Success ? m.Groups[group].Value : "0") : null;

        var preLabel = m.Groups[3].Success
            ? m.Groups[3].Value.ToLowerInvariant() switch
            {
                "alpha" or "a" => "a",
                "beta" or "b" => "b",
                _ => "rc",
            }
            : null;
        var post = m.Groups[5].Success ? Number(m.Groups[5].Value) : Digits(7, m.Groups[6].Success);
        version = new Version(
            m.Groups[1].Success ? Number(m.Groups[1].Value) : "0",
            [.. m.Groups[2].Value.Split('.').Select(Number)],
            preLabel,
            Digits(4, preLabel is not null),
            post,
            Digits(9, m.Groups[8].Success),
            m.Groups[10].Success
                ? [.. m.Groups[10].Value.ToLowerInvariant().Split('-', '_', '.').Select(p => p.All(char.IsAsciiDigit) ? Number(p) : p)]
                : []);
        return true;
    }

    /// <summary>Normalises, or returns null for a string that is not a PEP 440 version.</summary>
    public static string? Normalize(string? text) => TryParse(text, out var v) ? v.ToString() : null;

    /// <summary>
    /// Total order: versions as <c>packaging</c> orders them; strings that are not versions before every version,
    /// and among themselves ordinally.
    /// </summary>
    public static int Compare(string a, string b) => TotalOrder.Compare<Version>(a, b, TryParse, Compare);

    public static int Compare(Version a, Version b)
    {
        var c = CompareNumbers(a.Epoch, b.Epoch);
        if (c != 0)
        {
            return c;
        }

        // The release compares with trailing zeros ignored: 1.0 == 1.0.0.
        var length = Math.Max(a.Release.Count, b.Release.Count);
        for (var i = 0; i < length; i++)
        {
            c = CompareNumbers(i < a.Release.Count ? a.Release[i] : "0", i < b.Release.Count ? b.Release[i] : "0");
            if (c != 0)
            {
                return c;
            }
        }

        c = PreRank(a).CompareTo(PreRank(b));
        if (c == 0 && a.PreLabel is not null)
        {
            c = CompareNumbers(a.PreNumber!, b.PreNumber!);
        }

        // No post release sorts before any; no dev release sorts after any.
        if (c == 0)
        {
            c = (a.Post, b.Post) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => CompareNumbers(a.Post, b.Post),
            };
        }

        if (c == 0)
        {
            c = (a.Dev, b.Dev) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => CompareNumbers(a.Dev, b.Dev),
            };
        }

        return c != 0 ? c : CompareLocal(a.Local, b.Local);
    }

    /// <summary>
    /// Where the pre-release puts a version among its release's versions: a bare dev release (1.0.dev1) before every
    /// pre-release, then a, b, rc, then the release itself and its post releases.
    /// </summary>
    private static int PreRank(Version v) => v.PreLabel switch
    {
        "a" => 1,
        "b" => 2,
        "rc" => 3,
        _ => v.Post is null && v.Dev is not null ? 0 : 4,
    };

    private static int CompareLocal(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // Segment by segment: numbers above words, numbers by value, words lexically; a longer label wins a tie.
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var numA = a[i].All(char.IsAsciiDigit);
            var numB = b[i].All(char.IsAsciiDigit);
            var c = (numA, numB) switch
            {
                (true, true) => CompareNumbers(a[i], b[i]),
                (true, false) => 1,
                (false, true) => -1,
                _ => Math.Sign(string.CompareOrdinal(a[i], b[i])),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private static string Number(string digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    /// <summary>Compares digit strings without leading zeros: the longer is larger, equal lengths compare by digit.</summary>
    internal static int CompareNumbers(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : Math.Sign(string.CompareOrdinal(a, b));
}
