using Bulwark.Images.Packages;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Sbom;

/// <summary>
/// The purl of an installed package: the one place that decides how Bulwark names packages for SBOMs and, later,
/// vulnerability matching. OS packages follow Syft's conventions (Grype and Dependency-Track read them):
/// the namespace is the distribution's os-release <c>ID</c>, <c>arch</c> the package's architecture,
/// <c>distro</c> is <c>ID-VERSION_ID</c> (<c>debian-12</c>, <c>alpine-3.19.1</c>, <c>rhel-9.4</c>; the codename when
/// there is no VERSION_ID, as on Debian testing), and <c>upstream</c> names the source package when it differs from
/// the binary: <c>glibc</c>, or <c>glibc@2.36-9</c> when the versions differ too (dpkg, apk), the source rpm's file
/// name for rpm. rpm's epoch is the <c>epoch</c> qualifier, not part of the version.
/// </summary>
public static class InstalledPackageUrl
{
    /// <summary>The purl of <paramref name="package"/>; null when its type or name cannot form one.</summary>
    public static PackageUrl? For(InstalledPackage package, OperatingSystem? os)
    {
        ArgumentNullException.ThrowIfNull(package);
        try
        {
            return package.Type switch
            {
                "deb" => Distribution(package, os?.Id ?? "debian", package.Version, os, Upstream(package)),
                "apk" => Distribution(package, os?.Id ?? "alpine", package.Version, os, Upstream(package)),
                "rpm" => Rpm(package, os),
                "npm" when package.Name.StartsWith('@') && package.Name.IndexOf('/', StringComparison.Ordinal) is var slash and > 1 =>
                    new PackageUrl("npm", package.Name[..slash], package.Name[(slash + 1)..], package.Version),
                "golang" when package.Name.LastIndexOf('/') is var slash and > 0 =>
                    new PackageUrl("golang", package.Name[..slash], package.Name[(slash + 1)..], package.Version),
                "maven" when package.Name.IndexOfAny([':', '/']) is var colon and > 0 =>
                    new PackageUrl("maven", package.Name[..colon], package.Name[(colon + 1)..], package.Version),
                _ => new PackageUrl(package.Type, null, package.Name, package.Version),
            };
        }
        catch (ArgumentException)
        {
            return null; // a type or name no purl can carry: the package is still listed, without one
        }
    }

    /// <summary>
    /// The package <paramref name="purl"/> names, inverting <see cref="For"/> (and reading Syft's and Trivy's purls, which
    /// follow the same conventions): <c>upstream</c> back into the source package, rpm's <c>epoch</c> qualifier back into
    /// <c>epoch:version-release</c> (Trivy writes a deb epoch the same way), npm scopes, Go module paths and Maven groups
    /// back into the names <see cref="InstalledPackage"/> uses. Go's standard library is <c>v</c>-prefixed, as
    /// <see cref="GoBuildInfo"/> lists it, whichever spelling the purl has (<c>1.22.1</c>, <c>go1.22.1</c>).
    /// </summary>
    public static InstalledPackage Package(PackageUrl purl, string recordedIn)
    {
        ArgumentNullException.ThrowIfNull(purl);
        var version = purl.Version ?? string.Empty;
        if (purl.Qualifiers.TryGetValue("epoch", out var epoch) && epoch.All(char.IsAsciiDigit) && version.Length > 0 && !version.Contains(':', StringComparison.Ordinal))
        {
            version = $"{epoch}:{version}";
        }

        var name = (purl.Type, purl.Namespace) switch
        {
            (_, null) => purl.Name,
            ("npm", var scope) => (scope.StartsWith('@') ? scope : "@" + scope) + "/" + purl.Name,
            ("maven", var group) => group + ":" + purl.Name,
            ("deb" or "apk" or "rpm", _) => purl.Name, // the namespace is the vendor, not part of the name
            (_, var @namespace) => @namespace + "/" + purl.Name,
        };

        if (purl.Type == "golang" && name == "stdlib" && version.Length > 0)
        {
            version = "v" + version.TrimStart('v').Replace("go", string.Empty, StringComparison.Ordinal);
        }

        var (sourceName, sourceVersion) = purl.Qualifiers.TryGetValue("upstream", out var upstream) ? Source(purl.Type, upstream) : (null, null);
        var isOsPackage = purl.Type is "deb" or "apk" or "rpm";
        return new InstalledPackage
        {
            Type = purl.Type,
            Name = name,
            Version = version,
            Architecture = purl.Qualifiers.GetValueOrDefault("arch"),
            SourceName = sourceName ?? (isOsPackage ? name : null),
            // dpkg and apk record a source version only when it differs; rpm always has one (its source file's name).
            SourceVersion = purl.Type == "rpm" || sourceVersion != version ? sourceVersion : null,
            RecordedIn = recordedIn,
        };
    }

    /// <summary>
    /// The distribution a <c>distro</c> qualifier names: <c>debian-12</c>, <c>alpine-3.19.1</c>, <c>opensuse-leap-15.5</c>,
    /// a codename where there is no version (<c>debian-trixie</c>), or Trivy's bare version (<c>3.15.0</c>) under the
    /// purl's namespace. Null when the purl has no <c>distro</c> qualifier.
    /// </summary>
    public static OperatingSystem? DistroOf(PackageUrl purl)
    {
        ArgumentNullException.ThrowIfNull(purl);
        if (!purl.Qualifiers.TryGetValue("distro", out var distro))
        {
            return null;
        }

        string id, rest;
        var dash = LastDashBeforeDigit(distro);
        if (char.IsAsciiDigit(distro[0]))
        {
            (id, rest) = (purl.Namespace ?? purl.Type, distro);
        }
        else if (dash > 0)
        {
            (id, rest) = (distro[..dash], distro[(dash + 1)..]);
        }
        else if (purl.Namespace is { } vendor && distro.StartsWith(vendor + "-", StringComparison.OrdinalIgnoreCase))
        {
            (id, rest) = (vendor, distro[(vendor.Length + 1)..]);
        }
        else
        {
            (id, rest) = (distro, string.Empty);
        }

        id = id.ToLowerInvariant();
        return rest.Length == 0 ? new OperatingSystem(id, null, null, null)
            : char.IsAsciiDigit(rest[0]) ? new OperatingSystem(id, rest, null, null)
            : new OperatingSystem(id, null, rest.ToLowerInvariant(), null);
    }

    private static int LastDashBeforeDigit(string text)
    {
        for (var i = text.Length - 2; i > 0; i--)
        {
            if (text[i] == '-' && char.IsAsciiDigit(text[i + 1]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>An <c>upstream</c> qualifier: <c>NAME</c> or <c>NAME@VERSION</c> (deb, apk), an rpm's source file name.</summary>
    private static (string? Name, string? Version) Source(string type, string upstream)
    {
        if (type == "rpm")
        {
            return RpmDatabase.SourceOf(upstream);
        }

        var at = upstream.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? (upstream[..at], at + 1 < upstream.Length ? upstream[(at + 1)..] : null) : (upstream.Length > 0 ? upstream : null, null);
    }

    /// <summary>The <c>distro</c> qualifier's value for <paramref name="os"/>.</summary>
    public static string Distro(OperatingSystem os)
    {
        ArgumentNullException.ThrowIfNull(os);
        return (os.VersionId ?? os.Codename) is { } version ? $"{os.Id}-{version}" : os.Id;
    }

    private static PackageUrl Rpm(InstalledPackage package, OperatingSystem? os)
    {
        // rpm's EVR is "[epoch:]version-release"; purl keeps version-release and moves the epoch to a qualifier.
        var colon = package.Version.IndexOf(':', StringComparison.Ordinal);
        var epoch = colon > 0 && package.Version[..colon].All(char.IsAsciiDigit) ? package.Version[..colon] : null;
        var version = epoch is null ? package.Version : package.Version[(colon + 1)..];
        var upstream = package.SourceName is { } source && package.SourceVersion is { } sourceVersion ? $"{source}-{sourceVersion}.src.rpm" : null;
        return Distribution(package, os?.Id, version, os, upstream, ("epoch", epoch));
    }

    private static PackageUrl Distribution(
        InstalledPackage package, string? vendor, string version, OperatingSystem? os, string? upstream, (string Key, string? Value) extra = default)
    {
        var qualifiers = new List<KeyValuePair<string, string?>>
        {
            new("arch", package.Architecture),
            new("distro", os is null ? null : Distro(os)),
            new("upstream", upstream),
        };
        if (extra.Key is not null)
        {
            qualifiers.Add(new(extra.Key, extra.Value));
        }

        return new PackageUrl(package.Type, vendor, package.Name, version, qualifiers);
    }

    private static string? Upstream(InstalledPackage package) => package switch
    {
        { SourceName: { } source, SourceVersion: { } version } => $"{source}@{version}",
        { SourceName: { } source } when !string.Equals(source, package.Name, StringComparison.Ordinal) => source,
        _ => null,
    };
}
