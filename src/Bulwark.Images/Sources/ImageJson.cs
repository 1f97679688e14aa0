using System.Text.Json;
using Bulwark.Images.Layers;
using Bulwark.Images.Storage;

namespace Bulwark.Images.Sources;

/// <summary>Reads the small JSON files of an image (manifest.json, index.json, manifests, configs) within a size bound.</summary>
internal static class ImageJson
{
    public static byte[] ReadBytes(IImageFiles files, string path, ImageReadOptions options, string? expectedDigest = null)
    {
        if (!files.Exists(path))
        {
            throw new ImageReadException($"{files.Description}: {path} is missing");
        }

        if (files.SizeOf(path) > options.MaxMetadataSize)
        {
            throw new ImageReadException($"{files.Description}: {path} is larger than {options.MaxMetadataSize} bytes, too large for image metadata");
        }

        using var stream = new DigestingStream(files.Open(path));
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        if (expectedDigest is not null && !string.Equals(stream.Digest(), expectedDigest, StringComparison.Ordinal))
        {
            throw new ImageReadException($"{files.Description}: {path} does not match its digest {expectedDigest} (read {stream.Digest()})");
        }

        return buffer.ToArray();
    }

    public static JsonDocument Parse(byte[] json, IImageFiles files, string path)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ImageReadException($"{files.Description}: {path} is not valid JSON: {e.Message}", e);
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];
}
