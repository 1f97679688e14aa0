using System.Security.Cryptography;
using System.Text;
using Bulwark.Images.Packages;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Sbom;

/// <summary>A package as both SBOM formats list it: a document-unique id, its purl and its licence expression.</summary>
internal sealed record SbomPackage(string Id, LocatedPackage Located, PackageUrl? Purl, string? LicenseExpression)
{
    public InstalledPackage Package => Located.Package;

    /// <summary>OS packages belong to the distribution; their source package is a qualifier and a property, not a component.</summary>
    public bool IsOsPackage => Package.Type is "deb" or "apk" or "rpm";

    /// <summary>The source package, when it is not simply the binary package under the same name and version.</summary>
    public (string Name, string? Version)? Source => Package switch
    {
        { SourceName: { } name, SourceVersion: var version } when version is not null || !string.Equals(name, Package.Name, StringComparison.Ordinal) => (name, version),
        _ => null,
    };
}

/// <summary>
/// What an SBOM of an image lists, decided once for both formats: the image's name and purl, the distribution,
/// and each package with an id that is stable across runs (a hash of what identifies the package and where it was
/// recorded) so that two SBOMs of the same image diff cleanly.
/// </summary>
internal sealed class SbomContents
{
    private SbomContents(SbomSubject subject, ImageInventory inventory, IReadOnlyList<SbomPackage> packages)
    {
        Subject = subject;
        Inventory = inventory;
        Packages = packages;
        ImageName = subject.Tags.Count > 0 ? subject.Tags[0] : subject.Reference;
        ImagePurl = ImagePackageUrl(subject);
    }

    public SbomSubject Subject { get; }

    public ImageInventory Inventory { get; }

    public OperatingSystem? OperatingSystem => Inventory.OperatingSystem;

    public IReadOnlyList<SbomPackage> Packages { get; }

    /// <summary>The image's first tag, else the reference as scanned.</summary>
    public string ImageName { get; }

    public PackageUrl? ImagePurl { get; }

    public static SbomContents From(SbomSubject subject, ImageInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(inventory);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var packages = new List<SbomPackage>(inventory.Packages.Count);
        foreach (var located in inventory.Packages)
        {
            var package = located.Package;
            var id = StableId(package, located.LayerIndex);
            for (var n = 2; !ids.Add(id); n++)
            {
                id = $"{StableId(package, located.LayerIndex)}-{n}"; // the same record listed twice: still two ids
            }

            var license = SpdxLicenseExpression.IsValid(package.License) ? package.License!.Trim() : null;
            packages.Add(new SbomPackage(id, located, InstalledPackageUrl.For(package, inventory.OperatingSystem), license));
        }

        return new SbomContents(subject, inventory, packages);
    }

    /// <summary>Sixteen hex digits of SHA-256 over the package's identity and record: letters and digits only, as SPDX ids need.</summary>
    private static string StableId(InstalledPackage package, int layer)
    {
        var key = string.Join('\n', package.Type, package.Name, package.Version, package.Architecture, package.RecordedIn, package.Line, layer);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>
    /// <c>pkg:oci/NAME@DIGEST?arch=…&amp;repository_url=…&amp;tag=…</c> from the first tag: the name is the repository's
    /// last segment, the version the manifest digest (the image ID when the source has no manifest digest, as
    /// docker-archive has not). No tag, no purl: a file name is not a repository.
    /// </summary>
    private static PackageUrl? ImagePackageUrl(SbomSubject subject)
    {
        if (subject.Tags.Count == 0 || subject.Tags[0] is not { Length: > 0 } reference)
        {
            return null;
        }

        var repository = reference;
        string? digest = null, tag = null;
        if (repository.IndexOf('@', StringComparison.Ordinal) is var at and > 0)
        {
            digest = repository[(at + 1)..];
            repository = repository[..at];
        }

        var lastSlash = repository.LastIndexOf('/');
        if (repository.LastIndexOf(':') is var colon && colon > lastSlash)
        {
            tag = repository[(colon + 1)..];
            repository = repository[..colon];
        }

        try
        {
            return new PackageUrl(
                "oci",
                null,
                repository[(lastSlash + 1)..],
                subject.ManifestDigest ?? digest ?? subject.ImageId,
                [
                    new("arch", subject.Platform?.Architecture),
                    new("repository_url", lastSlash > 0 ? repository : null),
                    new("tag", tag),
                ]);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
