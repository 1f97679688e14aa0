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
