using System.Globalization;
using System.Text.Json;
using Bulwark.Images.Packages;

namespace Bulwark.Images.Sbom;

/// <summary>
/// Writes an image's inventory as a CycloneDX 1.6 JSON BOM. The image is <c>metadata.component</c> (type
/// <c>container</c>, with its <c>pkg:oci</c> purl when it has a tag); the distribution is an
/// <c>operating-system</c> component; each package is a <c>library</c> component (npm scopes and Maven groupIds as its <c>group</c>) with its purl, version and
/// licences (an SPDX expression when the package's licence is one, else the licence's name). Where Bulwark found
/// it goes in properties under the <c>bulwark:</c> namespace: <c>bulwark:package:recorded-in</c> (the database or
/// manifest file) and <c>bulwark:package:line</c>, <c>bulwark:layer:index</c> (0-based, in the config's
/// <c>rootfs.diff_ids</c> order) and <c>bulwark:layer:diff-id</c> of the layer that added it, and
/// <c>bulwark:package:source-name</c>/<c>source-version</c> for OS packages built from a differently named or
/// versioned source package (not a component of its own). <c>dependencies</c> say the image contains the
/// distribution and every package.
/// </summary>
public static class CycloneDxWriter
{
    private const string ImageRef = "image";
    private const string OsRef = "operating-system";

    /// <summary>Writes the BOM of <paramref name="subject"/> with <paramref name="inventory"/> to <paramref name="stream"/>, left open.</summary>
    public static void Write(Stream stream, SbomSubject subject, ImageInventory inventory, SbomOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= SbomOptions.Default;
        var contents = SbomContents.From(subject, inventory);
        using var json = new Utf8JsonWriter(stream, SbomOptions.JsonOptions);

        json.WriteStartObject();
        json.WriteString("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
        json.WriteString("bomFormat", "CycloneDX");
        json.WriteString("specVersion", "1.6");
        json.WriteString("serialNumber", "urn:uuid:" + options.NewDocumentId().ToString("D"));
        json.WriteNumber("version", 1);
        WriteMetadata(json, contents, options);

        json.WriteStartArray("components");
        if (contents.OperatingSystem is { } os)
        {
            json.WriteStartObject();
            json.WriteString("bom-ref", OsRef);
            json.WriteString("type", "operating-system");
            json.WriteString("name", os.Id);
            WriteIfPresent(json, "version", os.VersionId);
            WriteIfPresent(json, "description", os.PrettyName);
            WriteProperties(json, [("bulwark:os:codename", os.Codename)]);
            json.WriteEndObject();
        }

        foreach (var package in contents.Packages)
        {
            WriteComponent(json, package);
        }

        json.WriteEndArray();

        json.WriteStartArray("dependencies");
        json.WriteStartObject();
        json.WriteString("ref", ImageRef);
        json.WriteStartArray("dependsOn");
        if (contents.OperatingSystem is not null)
        {
            json.WriteStringValue(OsRef);
        }

        foreach (var package in contents.Packages)
        {
            json.WriteStringValue(package.Id);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteMetadata(Utf8JsonWriter json, SbomContents contents, SbomOptions options)
    {
        var subject = contents.Subject;
        json.WriteStartObject("metadata");
        json.WriteString("timestamp", options.CreatedAt());
        json.WriteStartObject("tools");
        json.WriteStartArray("components");
        json.WriteStartObject();
        json.WriteString("type", "application");
        json.WriteString("name", options.ToolName);
        json.WriteString("version", options.ToolVersion);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("component");
        json.WriteString("bom-ref", ImageRef);
        json.WriteString("type", "container");
        json.WriteString("name", contents.ImageName);
        WriteIfPresent(json, "version", subject.ImageId);
        WriteIfPresent(json, "purl", contents.ImagePurl?.ToString());
        WriteProperties(json,
        [
            ("bulwark:image:reference", subject.Reference),
            .. subject.Tags.Select(t => ("bulwark:image:tag", (string?)t)),
            ("bulwark:image:id", subject.ImageId),
            ("bulwark:image:manifest-digest", subject.ManifestDigest),
            ("bulwark:image:platform", subject.Platform?.ToString()),
        ]);
        json.WriteEndObject();

        // What could not be read is part of the answer: an SBOM silent about a corrupt database would look complete.
        WriteProperties(json, [.. contents.Inventory.Problems.Select(p => ("bulwark:inventory:problem", (string?)p))]);
        json.WriteEndObject();
    }

    private static void WriteComponent(Utf8JsonWriter json, SbomPackage package)
    {
        var installed = package.Package;
        json.WriteStartObject();
        json.WriteString("bom-ref", package.Id);
        json.WriteString("type", "library");

        // CycloneDX's group is the npm scope or Maven groupId, as npm's and Maven's own CycloneDX tools write them.
        if (installed.Type is "npm" or "maven" && package.Purl is { Namespace: { } group } purl)
        {
            json.WriteString("group", group);
            json.WriteString("name", purl.Name);
        }
        else
        {
            json.WriteString("name", installed.Name);
        }

        json.WriteString("version", installed.Version);
        if (package.LicenseExpression is { } expression)
        {
            json.WriteStartArray("licenses");
            json.WriteStartObject();
            json.WriteString("expression", expression);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        else if (!string.IsNullOrWhiteSpace(installed.License))
        {
            json.WriteStartArray("licenses");
            json.WriteStartObject();
            json.WriteStartObject("license");
            json.WriteString("name", installed.License.Trim());
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        WriteIfPresent(json, "purl", package.Purl?.ToString());
        var source = package.Source;
        WriteProperties(json,
        [
            ("bulwark:package:recorded-in", installed.RecordedIn),
            ("bulwark:package:line", installed.Line > 0 ? installed.Line.ToString(CultureInfo.InvariantCulture) : null),
            ("bulwark:layer:index", package.Located.LayerIndex.ToString(CultureInfo.InvariantCulture)),
            ("bulwark:layer:diff-id", package.Located.LayerDiffId),
            ("bulwark:package:source-name", source?.Name),
            ("bulwark:package:source-version", source?.Version),
        ]);
        json.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter json, IReadOnlyList<(string Name, string? Value)> properties)
    {
        if (!properties.Any(p => p.Value is not null))
        {
            return;
        }

        json.WriteStartArray("properties");
        foreach (var (name, value) in properties.Where(p => p.Value is not null))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }
}
