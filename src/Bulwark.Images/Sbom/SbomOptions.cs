using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bulwark.Images.Sbom;

/// <summary>
/// What makes an SBOM document unique: its creation time and its identity (CycloneDX <c>serialNumber</c>, SPDX
/// <c>documentNamespace</c>). Real runs use the clock and a new UUID; tests fix both so two runs compare byte for byte.
/// </summary>
public sealed record SbomOptions
{
    public static SbomOptions Default { get; } = new();

    /// <summary>The clock the document's creation time is read from.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The document's UUID; null draws a new one for each document written.</summary>
    public Guid? DocumentId { get; init; }

    public string ToolName { get; init; } = "bulwark";

    public string ToolVersion { get; init; } =
        typeof(SbomOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// The URI SPDX document namespaces start with; the name and UUID follow. By default the repository URL the build
    /// was given (<c>BulwarkRepositoryUrl</c>, a reserved <c>.invalid</c> name until the project has one) + <c>/spdx</c>.
    /// </summary>
    public string NamespaceBase { get; init; } =
        (typeof(SbomOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl" && !string.IsNullOrWhiteSpace(a.Value))?.Value!.Trim().TrimEnd('/')
         ?? "https://bulwark.invalid/placeholder-repository") + "/spdx";

    /// <summary>
    /// Both writers' JSON: indented, and with '+', '&amp;' and '&lt;' written as themselves rather than <c>\u002B</c>, so
    /// versions and purls read as they are (the documents are files, never embedded in HTML).
    /// </summary>
    internal static JsonWriterOptions JsonOptions { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal Guid NewDocumentId() => DocumentId ?? Guid.NewGuid();

    /// <summary>The creation time as both formats want it: UTC to the second (SPDX's <c>YYYY-MM-DDThh:mm:ssZ</c>).</summary>
    internal string CreatedAt() => Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
