using System.Text;
using System.Text.Json;

namespace Bulwark.Images.Sbom;

/// <summary>
/// Reads an SBOM someone else wrote (Bulwark, Trivy, Syft, or any tool writing CycloneDX 1.x JSON or SPDX 2.2/2.3
/// JSON, or SPDX 2 tag-value) back into an inventory for <c>bulwark sbom FILE</c>. Each package is what its purl names
/// (<see cref="InstalledPackageUrl.Package"/>), refined by what the writing tool says beside it: Trivy's
/// <c>aquasecurity:trivy:*</c> properties, Syft's <c>syft:*</c> properties, Bulwark's own <c>bulwark:*</c>
/// properties and SPDX <c>sourceInfo</c>. A package's <see cref="Packages.InstalledPackage.RecordedIn"/> is the SBOM
/// file and, after <c>#</c>, the component's <c>bom-ref</c> (CycloneDX) or <c>SPDXID</c> (SPDX), so a finding leads back
/// to the entry; its layer index is the one Bulwark's SBOMs record, else -1 (unknown: other tools name the layer by
/// diff id only, which is kept when they give it). A component without a purl cannot be matched and is listed in
/// the inventory's problems; the file as a whole not being either format, or not JSON, is an
/// <see cref="InvalidDataException"/> naming the file (and line, when the JSON parser gives one).
/// </summary>
public static class SbomReader
{
    /// <summary>Reads the SBOM at <paramref name="path"/>; errors name the path as given.</summary>
    public static SbomInventory Read(string path, SbomReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = InputFiles.OpenRead(path);
        return Read(stream, path, limits);
    }

    /// <summary>Reads an SBOM from <paramref name="stream"/>; <paramref name="name"/> names it in errors and in each package's record.</summary>
    public static SbomInventory Read(Stream stream, string name, SbomReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        limits ??= SbomReadLimits.Default;
        var bytes = ReadBounded(stream, name, limits.MaxBytes);
        using var document = Parse(bytes, name, limits.MaxDepth);
        var root = document.RootElement;
        var builder = new SbomInventoryBuilder(name, limits);
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (SbomInventoryBuilder.String(root, "bomFormat") == "CycloneDX")
            {
                return CycloneDxReader.Read(root, builder);
            }

            if (root.TryGetProperty("spdxVersion", out _))
            {
                return SpdxReader.Read(root, builder);
            }

            if (root.TryGetProperty("@context", out var context) && context.ToString().Contains("spdx.org/rdf/3", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{name}: an SPDX 3 (JSON-LD) document; Bulwark reads SPDX 2.2 and 2.3 JSON");
            }
        }

        throw new InvalidDataException($"{name}: neither a CycloneDX JSON BOM (\"bomFormat\": \"CycloneDX\") nor an SPDX 2 JSON document (\"spdxVersion\")");
    }

    private static byte[] ReadBounded(Stream stream, string name, long maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException($"{name}: larger than {maxBytes} bytes; refusing to read it as an SBOM");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static JsonDocument Parse(byte[] bytes, string name, int maxDepth)
    {
        var json = bytes.AsMemory();
        if (json.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }

        // Say what the file is when it is an SBOM in a format this reader does not take, rather than "invalid JSON".
        var head = Encoding.UTF8.GetString(json.Span[..Math.Min(json.Length, 4096)]).TrimStart();
        if (head.StartsWith('<'))
        {
            throw new InvalidDataException($"{name}: an XML document; Bulwark reads CycloneDX and SPDX as JSON (write the SBOM as JSON)");
        }

        if (SpdxTagValue.Recognizes(head))
        {
            return SpdxTagValue.ToJson(Encoding.UTF8.GetString(json.Span), name, maxDepth);
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{name}:{line + 1}" : name;
            throw new InvalidDataException($"{where}: not valid JSON: {e.Message}", e);
        }
    }
}
