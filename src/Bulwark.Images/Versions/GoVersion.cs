using System.Text.RegularExpressions;

namespace Bulwark.Images.Versions;

/// <summary>
/// Go versions as OSV's Go ecosystem compares them: module versions are SemVer with a leading <c>v</c> (pseudo-versions
/// are prereleases and order as such, <c>+incompatible</c> is build metadata), and the toolchain's own tags
/// (<c>go1.21.3</c>, <c>go1.22rc1</c>, <c>1.20</c>) are read as govulncheck does for the standard library:
/// missing parts are zero and <c>rcN</c>/<c>betaN</c> become the prerelease <c>rc.N</c>/<c>beta.N</c>.
/// </summary>
public static class GoVersion
{
    private static readonly Regex Toolchain = new(
        @"\A(?:go)?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:(alpha|beta|rc)([0-9]+))?\z",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Reads a module version or a toolchain tag; false for anything else.</summary>
    public static bool TryParse(string? text, out SemVer.Version version)
    {
        version = null!;
        if (text is null || text.Length > SemVer.MaxLength)
        {
            return false;
        }

        if (text.StartsWith('v'))
        {
            // Go's own semver accepts "v1" and "v1.2" as v1.0.0 and v1.2.0.
            var core = text.AsSpan(1);
            var cut = core.IndexOfAny('-', '+');
            var dots = (cut < 0 ? core : core[..cut]).Count('.');
            var full = dots switch { 0 when cut < 0 => text + ".0.0", 1 when cut < 0 => text + ".0", _ => text };
            return SemVer.TryParseStrict(full, out version);
        }

        Match m;
        try
        {
            m = Toolchain.Match(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }

        if (!m.Success)
        {
            // OSV writes the standard library's versions as SemVer without the v: "1.22.0-rc.1".
            return SemVer.TryParseStrict(text, out version);
        }

        if (!SemVer.Number(m.Groups[1].Value, out var major))
        {
            return false;
        }

        long minor = 0, patch = 0;
        if ((m.Groups[2].Success && !SemVer.Number(m.Groups[2].Value, out minor)) || (m.Groups[3].Success && !SemVer.Number(m.Groups[3].Value, out patch)))
        {
            return false;
        }

        string[] pre = m.Groups[4].Success ? [m.Groups[4].Value, m.Groups[5].Value.TrimStart('0') is { Length: > 0 } n ? n : "0"] : [];
        version = new SemVer.Version(major, minor, patch, pre, string.Empty);
        return true;
    }

    /// <summary>Total order: versions by SemVer precedence; other strings before them, ordinally.</summary>
    public static int Compare(string a, string b) => TotalOrder.Compare<SemVer.Version>(a, b, TryParse, SemVer.Compare);
}
