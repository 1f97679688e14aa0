using Bulwark.Images.Packages;

namespace Bulwark.Images.Sbom;

/// <summary>
/// What an SBOM read back says: its format (<c>CycloneDX 1.6</c>, <c>SPDX-2.3</c>), what it describes (CycloneDX
/// <c>metadata.component</c>'s name, the SPDX document's name), and the distribution and packages as an
/// <see cref="ImageInventory"/>, so that an SBOM is matched exactly as an image's own inventory is.
/// </summary>
public sealed record SbomInventory(string Format, string? SubjectName, ImageInventory Inventory);

/// <summary>Bounds on an SBOM read from an untrusted file.</summary>
public sealed record SbomReadLimits
{
    public static SbomReadLimits Default { get; } = new();

    /// <summary>The largest file read; Syft's SBOMs of large images with file listings reach tens of megabytes.</summary>
    public long MaxBytes { get; init; } = 256L << 20;

    /// <summary>JSON nesting depth: each level of nested CycloneDX components costs two (the object and its array).</summary>
    public int MaxDepth { get; init; } = 128;

    /// <summary>The most components (CycloneDX) or packages (SPDX) read, packages or not.</summary>
    public int MaxComponents { get; init; } = 1_000_000;
}
