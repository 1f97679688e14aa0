namespace Bulwark.Images.Sbom;

/// <summary>
/// The image an SBOM describes, as the command that scanned it knows it. Its contents (distribution and packages)
/// come separately, as the <see cref="Packages.ImageInventory"/>.
/// </summary>
public sealed record SbomSubject
{
    /// <summary>The reference as scanned, prefix included (<c>docker-archive:app.tar</c>, <c>registry:ghcr.io/org/app:1.2</c>).</summary>
    public required string Reference { get; init; }

    /// <summary>
    /// The image's repository tags (<c>ghcr.io/org/app:1.2</c>), from the archive's manifest or the reference; the
    /// first names the image in the SBOM and gives its <c>pkg:oci</c> purl.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The image ID: the config blob's digest (<c>sha256:…</c>).</summary>
    public string? ImageId { get; init; }

    /// <summary>The manifest's digest when the source has one (registries, OCI layouts): the purl's version.</summary>
    public string? ManifestDigest { get; init; }

    /// <summary>The image's platform, from its config.</summary>
    public ImagePlatform? Platform { get; init; }
}
