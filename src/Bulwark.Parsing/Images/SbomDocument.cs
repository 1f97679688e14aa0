using Bulwark.Core.Findings;
using Bulwark.Core.Rules;

namespace Bulwark.Parsing.Images;

/// <summary>
/// An SBOM (CycloneDX or SPDX, Bulwark's or another tool's) as rules judge it: the packages it lists, with their known
/// vulnerabilities. Findings point at the SBOM file, and name the package's purl and the file that recorded it.
/// </summary>
public sealed class SbomDocument : IScanTarget
{
    /// <summary>The SBOM file as the user named it.</summary>
    public required string Path { get; init; }

    /// <summary>What the SBOM describes (its <c>metadata.component</c>, its document name); null when it does not say.</summary>
    public string? Subject { get; init; }

    public IReadOnlyList<VulnerabilityDetail> Vulnerabilities { get; init; } = [];

    public SourceKind Source => SourceKind.Sbom;

    public SourceLocation Location => SourceLocation.WholeFile(Path);

    public int Document => 0;

    public ObjectReference Object => new(null, "SBOM", null, Subject ?? System.IO.Path.GetFileName(Path));
}
