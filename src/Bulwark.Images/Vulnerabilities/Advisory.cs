namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// One advisory as a feed publishes it, in the one shape every importer produces and the database stores: an OSV
/// record, a Debian tracker CVE entry, an Alpine secdb CVE, a Node.js security WG advisory. The same CVE may come from
/// several feeds; each keeps its own advisory, keyed by <see cref="Source"/> and <see cref="Id"/>.
/// </summary>
public sealed record Advisory
{
    /// <summary>The feed's identifier: <c>GO-2022-0969</c>, <c>PYSEC-2021-1</c>, <c>CVE-2021-3711</c>, <c>NSWG-ECO-428</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The feed: <c>osv</c>, <c>debian-tracker</c>, <c>alpine-secdb</c>, <c>nodejs-security-wg</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Other identifiers of the same vulnerability (CVE, GHSA), without <see cref="Id"/>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>One line; the feed's summary, else the first sentence of its details.</summary>
    public string? Summary { get; init; }

    public AdvisorySeverity Severity { get; init; } = AdvisorySeverity.Unknown;

    /// <summary>The CVSS vector as published (<c>CVSS:3.1/AV:N/...</c>), when the feed gives one.</summary>
    public string? CvssVector { get; init; }

    /// <summary>The CVSS base score: the feed's, else computed from a v3 vector.</summary>
    public double? CvssScore { get; init; }

    /// <summary>Where a person reads about it: the advisory's page, else its first reference.</summary>
    public string? Url { get; init; }

    public DateTimeOffset? Published { get; init; }

    public DateTimeOffset? Modified { get; init; }

    /// <summary>When the feed withdrew the advisory (OSV <c>withdrawn</c>); a withdrawn advisory is not stored, and removes the one stored before.</summary>
    public DateTimeOffset? Withdrawn { get; init; }

    public IReadOnlyList<AffectedPackage> Affected { get; init; } = [];
}

/// <summary>
/// The versions of one package, in one ecosystem, an advisory covers. A package is affected when its version falls
/// in any range or equals one of <see cref="Versions"/> (OSV semantics: either suffices).
/// </summary>
public sealed record AffectedPackage
{
    /// <summary>The ecosystem, spelled as <see cref="Ecosystems.Normalize"/> returns it (<c>Debian:bookworm</c>, <c>Alpine:v3.11</c>, <c>npm</c>).</summary>
    public required string Ecosystem { get; init; }

    /// <summary>The package name, spelled as <see cref="Ecosystems.NormalizeName"/> returns it; for OS ecosystems the source package.</summary>
    public required string Name { get; init; }

    public IReadOnlyList<AffectedRange> Ranges { get; init; } = [];

    /// <summary>Explicitly listed affected versions (OSV <c>versions</c>).</summary>
    public IReadOnlyList<string> Versions { get; init; } = [];

    /// <summary>A severity for this package only (Debian's per-release urgency); null means the advisory's.</summary>
    public AdvisorySeverity? Severity { get; init; }

    /// <summary>
    /// The vendor's state when no fix exists, as it words it (Debian: <c>open</c>, <c>undetermined</c>; a
    /// <c>no-dsa</c>, <c>postponed</c> or <c>end-of-life</c> note); null when a fixed version exists or nothing is said.
    /// </summary>
    public string? Status { get; init; }
}

/// <summary>
/// An OSV range (<see cref="RangeKind.Ecosystem"/> or <see cref="RangeKind.Semver"/>, with its events in the order
/// published), or an npm range expression (<see cref="RangeKind.NpmExpression"/>: <see cref="Expression"/> is a
/// node-semver range such as <c>&lt;1.2.3 || &gt;=2.0.0 &lt;2.0.1</c>, as the Node.js security WG publishes them; its
/// <c>fixed</c> events, if any, are where the patched versions start).
/// OSV <c>GIT</c> ranges are not kept: image packages carry no commit to compare.
/// </summary>
public sealed record AffectedRange(RangeKind Kind, IReadOnlyList<RangeEvent> Events, string? Expression = null);

public enum RangeKind
{
    Ecosystem,
    Semver,
    NpmExpression,
}

/// <summary>An OSV range event; <c>introduced: "0"</c> means from the first version.</summary>
public sealed record RangeEvent(RangeEventKind Kind, string Version);

public enum RangeEventKind
{
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// <summary>A feed's severity, ordered. <see cref="Unknown"/>: the feed gives none (Go's vulndb never does).</summary>
public enum AdvisorySeverity
{
    Unknown = 0,
    Negligible = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    Critical = 5,
}
