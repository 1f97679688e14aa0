namespace Bulwark.Images.Packages;

/// <summary>
/// A package installed in an image, as its package manager recorded it. OS packages carry the source package they
/// were built from: distributions publish their advisories by source package (Debian's tracker, Alpine's secdb), so
/// that is what vulnerability matching looks up, never the binary name against a language feed.
/// </summary>
public sealed record InstalledPackage
{
    /// <summary>The package-url type: <c>deb</c>, <c>apk</c>, <c>rpm</c>, <c>npm</c>, <c>pypi</c>, <c>nuget</c>, <c>golang</c>, <c>maven</c>, <c>gem</c>.</summary>
    public required string Type { get; init; }

    /// <summary>
    /// The name as the ecosystem spells it: a Go module path (<c>github.com/gin-gonic/gin</c>, or <c>stdlib</c> for
    /// the Go version), a scoped npm name (<c>@types/node</c>), Maven's <c>GROUP:ARTIFACT</c> (the purl's namespace and name).
    /// </summary>
    public required string Name { get; init; }

    /// <summary>The version; empty for a Go module built from its own source tree (<c>(devel)</c>), which has none.</summary>
    public required string Version { get; init; }

    public string? Architecture { get; init; }

    /// <summary>The source package (dpkg <c>Source:</c>, apk origin); the binary name when the record names none.</summary>
    public string? SourceName { get; init; }

    /// <summary>The source package's version when it differs from <see cref="Version"/> (dpkg <c>Source: name (version)</c>).</summary>
    public string? SourceVersion { get; init; }

    public string? License { get; init; }

    /// <summary>
    /// The file that recorded the package (<c>var/lib/dpkg/status</c>, a Go binary), and the line its record starts at
    /// (rpm: the header number). A package inside a nested Java archive is recorded in <c>app.jar!/BOOT-INF/lib/x.jar</c>.
    /// </summary>
    public required string RecordedIn { get; init; }

    public int Line { get; init; }
}
