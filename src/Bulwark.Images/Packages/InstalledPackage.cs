namespace Bulwark.Images.Packages;

/// <summary>
/// A package installed in an image, as its package manager recorded it. OS packages carry the source package they
/// were built from: distributions publish their advisories by source package (Debian's tracker, Alpine's secdb), so
/// that is what vulnerability matching looks up, never the binary name against a language feed.
/// </summary>
public sealed record InstalledPackage
{
    /// <summary>The package-url type: <c>deb</c>, <c>apk</c>, <c>rpm</c>, <c>npm</c>, <c>pypi</c>…</summary>
    public required string Type { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public string? Architecture { get; init; }

    /// <summary>The source package (dpkg <c>Source:</c>, apk origin); the binary name when the record names none.</summary>
    public string? SourceName { get; init; }

    /// <summary>The source package's version when it differs from <see cref="Version"/> (dpkg <c>Source: name (version)</c>).</summary>
    public string? SourceVersion { get; init; }

    public string? License { get; init; }

    /// <summary>The file that recorded the package (<c>var/lib/dpkg/status</c>), and the line its record starts at.</summary>
    public required string RecordedIn { get; init; }

    public int Line { get; init; }
}
