using System.Text.Json;
using Bulwark.Images.Packages;
using Bulwark.Images.Sbom;
using Bulwark.Scanning.Images;

namespace Bulwark.Reporting.Images;

/// <summary>What <c>bulwark image</c> adds to the table and JSON reports: each image's identity, layers and packages.</summary>
public static class ImageSections
{
    /// <summary>The <c>images</c> array of the JSON report (docs/json-report.md).</summary>
    public static void WriteJson(Utf8JsonWriter json, IReadOnlyList<ImageScan> images, VulnerabilityDataInfo? vulnerabilityData = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(images);
        json.WriteStartArray("images");
        foreach (var image in images)
        {
            json.WriteStartObject();
            json.WriteString("name", image.Name);
            json.WriteString("source", image.Reference.Kind switch
            {
                Bulwark.Images.Sources.ImageSourceKind.DockerArchive => "docker-archive",
                Bulwark.Images.Sources.ImageSourceKind.OciArchive => "oci-archive",
                Bulwark.Images.Sources.ImageSourceKind.OciDirectory => "oci-dir",
                Bulwark.Images.Sources.ImageSourceKind.Directory => "dir",
                Bulwark.Images.Sources.ImageSourceKind.Docker => "docker",
                Bulwark.Images.Sources.ImageSourceKind.Registry => "registry",
                _ => "name",
            });
            json.WriteString("id", image.ConfigDigest);
            json.WriteStartArray("tags");
            foreach (var tag in image.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteString("platform", Platform(image));
            json.WriteString("user", image.Config?.User);
            if (image.Inventory.OperatingSystem is { } os)
            {
                json.WriteStartObject("os");
                json.WriteString("id", os.Id);
                json.WriteString("versionId", os.VersionId);
                json.WriteString("codename", os.Codename);
                json.WriteString("prettyName", os.PrettyName);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("os");
            }

            json.WriteStartArray("layers");
            foreach (var layer in image.Layers)
            {
                json.WriteStartObject();
                json.WriteNumber("index", layer.Index);
                json.WriteString("diffId", layer.DiffId);
                json.WriteString("digest", layer.Digest);
                WriteNumber(json, "size", layer.Size);

                json.WriteString("createdBy", layer.CreatedBy);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("packages");
            foreach (var located in image.Inventory.Packages)
            {
                WritePackage(json, located, image.Inventory.OperatingSystem);
            }

            json.WriteEndArray();
            WriteStrings(json, "problems", image.Inventory.Problems);
            WriteStrings(json, "warnings", image.Warnings);
            if (vulnerabilityData is not null)
            {
                json.WriteStartObject("vulnerabilityData");
                json.WriteBoolean("checked", vulnerabilityData.Loaded && image.Matches is not null);
                json.WriteString("database", vulnerabilityData.Database);
                if (vulnerabilityData.UpdatedAt is { } updated)
                {
                    json.WriteString("updatedAt", updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    json.WriteNull("updatedAt");
                }

                json.WriteNumber("packagesChecked", image.Matches?.PackagesMatched ?? 0);
                json.WriteNumber("found", image.Target.Vulnerabilities.Count);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Per image: a heading line and its packages, one per line (what Syft's table shows), before the findings.</summary>
    public static void WriteTable(TextWriter writer, TableReportWriter.Painter paint, IReadOnlyList<ImageScan> images, VulnerabilityDataInfo? vulnerabilityData = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(images);
        foreach (var image in images)
        {
            var os = image.Inventory.OperatingSystem is { } o ? o.PrettyName ?? $"{o.Id} {o.VersionId}" : "unknown OS";
            var packages = image.Inventory.Packages;
            writer.WriteLine(paint.Bold(image.Name));
            writer.WriteLine($"  {os}, {Platform(image) ?? "unknown platform"}, {image.Layers.Count} layer{(image.Layers.Count == 1 ? string.Empty : "s")}, "
                + $"{packages.Count} package{(packages.Count == 1 ? string.Empty : "s")}, {User(image)}");
            if (packages.Count > 0)
            {
                var nameWidth = Math.Min(40, packages.Max(p => p.Package.Name.Length));
                var versionWidth = Math.Min(32, packages.Max(p => p.Package.Version.Length));
                writer.WriteLine(paint.Dim($"  {"NAME".PadRight(nameWidth)}  {"VERSION".PadRight(versionWidth)}  {"TYPE",-7} LAYER  PATH"));
                foreach (var p in packages.OrderBy(p => p.Package.Type, StringComparer.Ordinal).ThenBy(p => p.Package.Name, StringComparer.Ordinal))
                {
                    writer.WriteLine($"  {p.Package.Name.PadRight(nameWidth)}  {p.Package.Version.PadRight(versionWidth)}  {p.Package.Type,-7} {p.LayerIndex + 1,5}  /{p.Package.RecordedIn}");
                }
            }

            if (vulnerabilityData is not null)
            {
                writer.WriteLine(Vulnerabilities(image, vulnerabilityData));
            }

            foreach (var problem in image.Inventory.Problems.Concat(image.Warnings))
            {
                writer.WriteLine(paint.Dim($"  note: {problem}"));
            }

            writer.WriteLine();
        }
    }

    private static string Vulnerabilities(ImageScan image, VulnerabilityDataInfo data)
    {
        if (!data.Loaded || image.Matches is not { } matches)
        {
            return $"  vulnerabilities: not checked, no vulnerability data is loaded; {data.HowToLoad}";
        }

        var updated = data.UpdatedAt is { } at ? $", updated {at.UtcDateTime:yyyy-MM-dd}" : string.Empty;
        var count = image.Target.Vulnerabilities.Count;
        return $"  vulnerabilities: {count} in {matches.PackagesMatched} packages checked against {data.Database}{updated}";
    }

    private static void WritePackage(Utf8JsonWriter json, LocatedPackage located, Bulwark.Images.Packages.OperatingSystem? os)
    {
        var p = located.Package;
        json.WriteStartObject();
        json.WriteString("type", p.Type);
        json.WriteString("name", p.Name);
        json.WriteString("version", p.Version);
        json.WriteString("purl", InstalledPackageUrl.For(p, os)?.ToString());
        json.WriteString("architecture", p.Architecture);
        json.WriteString("sourceName", p.SourceName);
        json.WriteString("sourceVersion", p.SourceVersion);
        json.WriteString("license", p.License);
        json.WriteString("path", "/" + p.RecordedIn);
        WriteNumber(json, "line", p.Line > 0 ? p.Line : null);

        json.WriteNumber("layer", located.LayerIndex);
        json.WriteString("layerDiffId", located.LayerDiffId);
        json.WriteEndObject();
    }

    private static string User(ImageScan image) => image.Config switch
    {
        null => "no config (a root filesystem)",
        { User: null or "" } => "user root (none set)",
        { User: var user } => "user " + user,
    };

    private static string? Platform(ImageScan image) =>
        image.Config is { OperatingSystem: { } os } config
            ? os + (config.Architecture is { } arch ? "/" + arch + (config.Variant is { } v ? "/" + v : string.Empty) : string.Empty)
            : null;

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
