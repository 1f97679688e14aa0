using System.Globalization;
using System.Text;
using System.Text.Json;
using Bulwark.Images.Packages;

namespace Bulwark.Images.Sbom;

/// <summary>
/// Writes an image's inventory as an SPDX 2.3 JSON document. The document DESCRIBES the image (a package of purpose
/// <c>CONTAINER</c>, with its <c>pkg:oci</c> purl when it has a tag), which CONTAINS the distribution (purpose
/// <c>OPERATING_SYSTEM</c>) and every package (purpose <c>LIBRARY</c>, purl as a <c>PACKAGE-MANAGER</c> external
/// reference). <c>licenseDeclared</c> is the package's licence when it is an SPDX expression, else
/// <c>NOASSERTION</c> with the licence text in <c>licenseComments</c>; nothing is concluded. Where Bulwark found a
/// package (the file that recorded it, the layer that added it) and its source package go in <c>sourceInfo</c>.
/// </summary>
public static class SpdxWriter
{
    private const string DocumentId = "SPDXRef-DOCUMENT";
    private const string ImageId = "SPDXRef-Image";
    private const string OsId = "SPDXRef-OperatingSystem";
    private const string NoAssertion = "NOASSERTION";

    /// <summary>Writes the SPDX document of <paramref name="subject"/> with <paramref name="inventory"/> to <paramref name="stream"/>, left open.</summary>
    public static void Write(Stream stream, SbomSubject subject, ImageInventory inventory, SbomOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= SbomOptions.Default;
        var contents = SbomContents.From(subject, inventory);
        using var json = new Utf8JsonWriter(stream, SbomOptions.JsonOptions);

        json.WriteStartObject();
        json.WriteString("spdxVersion", "SPDX-2.3");
        json.WriteString("dataLicense", "CC0-1.0");
        json.WriteString("SPDXID", DocumentId);
        json.WriteString("name", contents.ImageName);
        json.WriteString("documentNamespace", $"{options.NamespaceBase.TrimEnd('/')}/{NamespaceSegment(contents.ImageName)}-{options.NewDocumentId():D}");
        json.WriteStartObject("creationInfo");
        json.WriteString("created", options.CreatedAt());
        json.WriteStartArray("creators");
        json.WriteStringValue($"Tool: {options.ToolName}-{options.ToolVersion}");
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("packages");
        WriteImage(json, contents);
        if (contents.OperatingSystem is { } os)
        {
            WritePackage(json, OsId, os.Id, os.VersionId, "OPERATING_SYSTEM", purl: null, comment: os.PrettyName);
            json.WriteEndObject();
        }

        foreach (var package in contents.Packages)
        {
            WritePackage(json, "SPDXRef-Package-" + package.Id, package.Package.Name, package.Package.Version, "LIBRARY", package.Purl, comment: null);
            json.WriteString("sourceInfo", SourceInfo(package));
            json.WriteString("licenseConcluded", NoAssertion);
            json.WriteString("licenseDeclared", package.LicenseExpression ?? NoAssertion);
            if (package.LicenseExpression is null && !string.IsNullOrWhiteSpace(package.Package.License))
            {
                json.WriteString("licenseComments", $"The package declares \"{package.Package.License.Trim()}\", which is not an SPDX license expression.");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("relationships");
        WriteRelationship(json, DocumentId, "DESCRIBES", ImageId);
        if (contents.OperatingSystem is not null)
        {
            WriteRelationship(json, ImageId, "CONTAINS", OsId);
        }

        foreach (var package in contents.Packages)
        {
            WriteRelationship(json, ImageId, "CONTAINS", "SPDXRef-Package-" + package.Id);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteImage(Utf8JsonWriter json, SbomContents contents)
    {
        var subject = contents.Subject;
        var comment = new StringBuilder("Scanned as ").Append(subject.Reference).Append('.');
        if (subject.Tags.Count > 0)
        {
            comment.Append(" Tags: ").AppendJoin(", ", subject.Tags).Append('.');
        }

        if (subject.ManifestDigest is not null)
        {
            comment.Append(" Manifest digest: ").Append(subject.ManifestDigest).Append('.');
        }

        if (subject.Platform is not null)
        {
            comment.Append(" Platform: ").Append(subject.Platform).Append('.');
        }

        foreach (var problem in contents.Inventory.Problems)
        {
            comment.Append(" Not read: ").Append(problem).Append('.');
        }

        WritePackage(json, ImageId, contents.ImageName, subject.ImageId, "CONTAINER", contents.ImagePurl, comment.ToString());
        json.WriteEndObject();
    }

    /// <summary>Writes a package's common fields and leaves its object open for the caller's own.</summary>
    private static void WritePackage(Utf8JsonWriter json, string id, string name, string? version, string purpose, PackageUrl? purl, string? comment)
    {
        json.WriteStartObject();
        json.WriteString("SPDXID", id);
        json.WriteString("name", name);
        if (!string.IsNullOrEmpty(version))
        {
            json.WriteString("versionInfo", version);
        }

        json.WriteString("downloadLocation", NoAssertion);
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("primaryPackagePurpose", purpose);
        if (purl is not null)
        {
            json.WriteStartArray("externalRefs");
            json.WriteStartObject();
            json.WriteString("referenceCategory", "PACKAGE-MANAGER");
            json.WriteString("referenceType", "purl");
            json.WriteString("referenceLocator", purl.ToString());
            json.WriteEndObject();
            json.WriteEndArray();
        }

        if (!string.IsNullOrEmpty(comment))
        {
            json.WriteString("comment", comment);
        }
    }

    private static string SourceInfo(SbomPackage package)
    {
        var text = new StringBuilder("recorded in ").Append(package.Package.RecordedIn);
        if (package.Package.Line > 0)
        {
            text.Append(" line ").Append(package.Package.Line.ToString(CultureInfo.InvariantCulture));
        }

        text.Append("; added by layer ").Append(package.Located.LayerIndex.ToString(CultureInfo.InvariantCulture));
        if (package.Located.LayerDiffId is { } diffId)
        {
            text.Append(" (").Append(diffId).Append(')');
        }

        if (package.Source is { } source)
        {
            text.Append("; built from source package ").Append(source.Name);
            if (source.Version is not null)
            {
                text.Append(' ').Append(source.Version);
            }
        }

        return text.ToString();
    }

    private static void WriteRelationship(Utf8JsonWriter json, string from, string type, string to)
    {
        json.WriteStartObject();
        json.WriteString("spdxElementId", from);
        json.WriteString("relationshipType", type);
        json.WriteString("relatedSpdxElement", to);
        json.WriteEndObject();
    }

    /// <summary>The image name made safe for a URI path segment: what is not a letter, digit, '.', '-' or '_' becomes '-'.</summary>
    private static string NamespaceSegment(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-'));
}
