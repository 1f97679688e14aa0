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

        using var stream = new DigestingStream(files.Open(path), hash: expectedDigest is not null);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        if (expectedDigest is not null && !string.Equals(stream.Digest(), expectedDigest, StringComparison.Ordinal))
        {
            throw new ImageReadException($"{files.Description}: {path} does not match its digest {expectedDigest} (read {stream.Digest()})");
        }

        return buffer.ToArray();
    }

    public static JsonDocument Parse(byte[] json, IImageFiles files, string path) => Parse(json, $"{files.Description}: {path}");

    /// <summary>Parses a JSON document; <paramref name="describe"/> names it (image and file or URL) in errors.</summary>
    public static JsonDocument Parse(byte[] json, string describe)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new ImageReadException($"{describe} is not valid UTF-8");
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ImageReadException($"{describe} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>A string member, or null when absent, not a string, or not text (an escaped lone surrogate).</summary>
    public static string? String(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return value.TryGetString();
    }

    /// <summary>A string element's text, or null for an escape that is no text (a lone surrogate).</summary>
    private static string? TryGetString(this JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The items of a string array member; an item that is not a string, or not text, is null.</summary>
    public static List<string?> StringItems(JsonElement element, string name) =>
        [.. Array(element, name).Select(item => item.ValueKind == JsonValueKind.String && item.TryGetString() is { } text ? text : null)];

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];
}
