namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// How the database spells ecosystems and package names, so that what an importer stores and what the matcher looks
/// up meet. Ecosystems keep OSV's names (<c>npm</c>, <c>PyPI</c>, <c>Go</c>, <c>Maven</c>, <c>NuGet</c>,
/// <c>crates.io</c>, <c>RubyGems</c>, <c>Alpine:v3.11</c>), except that a Debian release is named by its codename
/// (<c>Debian:bookworm</c>): the security tracker publishes by codename, OSV by number, images say both.
/// </summary>
public static class Ecosystems
{
    public const string Npm = "npm";
    public const string PyPI = "PyPI";
    public const string Go = "Go";
    public const string Maven = "Maven";
    public const string NuGet = "NuGet";
    public const string CratesIo = "crates.io";
    public const string RubyGems = "RubyGems";

    // Debian's release numbers and codenames (debian.org/releases); a number not listed keeps its number.
    private static readonly Dictionary<string, string> DebianCodenames = new(StringComparer.Ordinal)
    {
        ["6"] = "squeeze",
        ["7"] = "wheezy",
        ["8"] = "jessie",
        ["9"] = "stretch",
        ["10"] = "buster",
        ["11"] = "bullseye",
        ["12"] = "bookworm",
        ["13"] = "trixie",
        ["14"] = "forky",
        ["15"] = "duke",
    };

    private static readonly string[] LanguageEcosystems = [Npm, PyPI, Go, Maven, NuGet, CratesIo, RubyGems];

    /// <summary>The Debian release a version or codename names (<c>12</c>, <c>12.5</c>, <c>bookworm</c> → <c>Debian:bookworm</c>).</summary>
    public static string Debian(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var major = release.Split('.')[0];
        return "Debian:" + (DebianCodenames.TryGetValue(major, out var codename) ? codename : release.ToLowerInvariant());
    }

    /// <summary>The Alpine branch a version names (<c>3.11.5</c>, <c>v3.11</c> → <c>Alpine:v3.11</c>; <c>edge</c> stays).</summary>
    public static string Alpine(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var text = version.TrimStart('v');
        var parts = text.Split('.');
        return parts.Length >= 2 ? $"Alpine:v{parts[0]}.{parts[1]}" : "Alpine:" + version;
    }

    /// <summary>
    /// An ecosystem name as stored: OSV's spelling (matched case-insensitively for the language ecosystems), with
    /// Debian's release number turned into its codename and Alpine's branch kept as <c>v3.NN</c>.
    /// </summary>
    public static string Normalize(string ecosystem)
    {
        ArgumentNullException.ThrowIfNull(ecosystem);
        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var family = ecosystem[..colon];
            var release = ecosystem[(colon + 1)..];
            if (family.Equals("Debian", StringComparison.OrdinalIgnoreCase) && release.Length > 0)
            {
                return Debian(release);
            }

            if (family.Equals("Alpine", StringComparison.OrdinalIgnoreCase) && release.Length > 0)
            {
                return Alpine(release);
            }

            return ecosystem;
        }

        foreach (var known in LanguageEcosystems)
        {
            if (known.Equals(ecosystem, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return ecosystem;
    }

    /// <summary>
    /// A package name as stored and looked up: PyPI names per PEP 503 (lower case, runs of <c>-_.</c> as one
    /// <c>-</c>), NuGet ids in lower case (NuGet ignores case); every other ecosystem's names are case-sensitive
    /// and kept (Go module paths, npm names, Maven <c>group:artifact</c>, Debian and Alpine source packages).
    /// </summary>
    public static string NormalizeName(string ecosystem, string name)
    {
        ArgumentNullException.ThrowIfNull(ecosystem);
        ArgumentNullException.ThrowIfNull(name);
        if (ecosystem == PyPI)
        {
            var result = new System.Text.StringBuilder(name.Length);
            var separator = false;
            foreach (var c in name.Trim())
            {
                if (c is '-' or '_' or '.')
                {
                    separator = true;
                    continue;
                }

                if (separator && result.Length > 0)
                {
                    result.Append('-');
                }

                separator = false;
                result.Append(char.ToLowerInvariant(c));
            }

            return result.ToString();
        }

        return ecosystem == NuGet ? name.ToLowerInvariant() : name;
    }
}
