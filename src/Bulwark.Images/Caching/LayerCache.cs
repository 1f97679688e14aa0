using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Caching;

/// <summary>
/// What reading a layer found — its entries, whiteouts, warnings and analyser results — kept on disk by the layer's
/// diff_id (the digest of its uncompressed tar), so an image that shares its base layers with one scanned before, or
/// the same image scanned again, reads only what is new. The key also covers the analysers asked for and the build
/// of Bulwark that read the layer, so a fixed parser never serves stale results. A file that cannot be read back
/// (truncated, from another version, edited) is a miss: the layer is read again and the file replaced.
/// </summary>
/// <remarks>
/// A cached layer is not read at all, so its blob digest is not checked again in that scan: it was checked when the
/// results were stored, and the config names the layer by the same diff_id. This is the trade Trivy's cache makes too.
/// </remarks>
public sealed class LayerCache(string directory)
{
    // Bumped when the file layout below changes.
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    public string Directory { get; } = directory;

    /// <summary><c>$XDG_CACHE_HOME/bulwark</c>, else <c>~/.cache/bulwark</c> (the platform's local application data on Windows).</summary>
    public static string DefaultDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg)
            {
                return Path.Combine(xdg, "bulwark");
            }

            return OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "bulwark", "cache")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "bulwark");
        }
    }

    /// <summary>The layer's stored contents, labelled with <paramref name="layer"/>; null when none are stored or they cannot be read.</summary>
    public LayerContents? TryLoad(ImageLayerInfo layer, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(analyzers);
        if (layer.DiffId is null)
        {
            return null;
        }

        var file = FileFor(layer.DiffId, analyzers, options);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            using var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var json = JsonDocument.Parse(stream);
            return Load(layer, analyzers, json.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException
            or InvalidOperationException or FormatException or KeyNotFoundException or NotSupportedException)
        {
            TryDelete(file);
            return null;
        }
    }

    /// <summary>Stores what reading a layer found. A cache that cannot be written is not an error: the scan goes on without it.</summary>
    public void Store(LayerContents contents, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(analyzers);
        if (contents.Layer.DiffId is null)
        {
            return;
        }

        var file = FileFor(contents.Layer.DiffId, analyzers, options);
        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using (var stream = new GZipStream(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write), CompressionLevel.Fastest))
            using (var writer = new Utf8JsonWriter(stream))
            {
                Write(writer, contents, analyzers);
            }

            // Renamed into place whole, so a concurrent scan never reads half a file.
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            TryDelete(temporary);
        }
    }

    private string FileFor(string diffId, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        var key = new StringBuilder()
            .Append(FormatVersion).Append('\n')
            .Append(diffId).Append('\n')
            .Append(options.MaxFileContentSize).Append('\n')
            .Append(typeof(LayerCache).Assembly.ManifestModule.ModuleVersionId).Append('\n');
        foreach (var analyzer in analyzers.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            key.Append(analyzer.Id).Append(' ').Append(analyzer.GetType().Assembly.ManifestModule.ModuleVersionId).Append('\n');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())));
        return Path.Combine(Directory, "layers", hash[..2], hash + ".json.gz");
    }

    private static void Write(Utf8JsonWriter writer, LayerContents contents, IReadOnlyList<ILayerFileAnalyzer> analyzers)
    {
        writer.WriteStartObject();
        writer.WriteString("diffId", contents.Layer.DiffId);
        writer.WriteStartArray("entries");
        foreach (var e in contents.Entries)
        {
            // Compact rows: a large layer holds hundreds of thousands of entries.
            writer.WriteStartArray();
            writer.WriteStringValue(e.Path);
            writer.WriteNumberValue((int)e.Kind);
            writer.WriteNumberValue(e.Size);
            writer.WriteNumberValue((int)e.Mode);
            WriteNullable(writer, e.Uid);
            WriteNullable(writer, e.Gid);
            writer.WriteStringValue(e.LinkTarget);
            writer.WriteNumberValue(e.ModificationTime.UtcTicks);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        WriteStrings(writer, "whiteouts", contents.Whiteouts);
        WriteStrings(writer, "opaque", contents.OpaqueDirectories);
        WriteStrings(writer, "warnings", contents.Warnings);
        writer.WriteStartArray("results");
        foreach (var result in contents.Results)
        {
            var analyzer = analyzers.First(a => a.Id == result.AnalyzerId);
            writer.WriteStartObject();
            writer.WriteString("analyzer", result.AnalyzerId);
            writer.WriteString("path", result.Path);
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, result.Value, analyzer.ResultType, ResultJson);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static LayerContents Load(ImageLayerInfo layer, IReadOnlyList<ILayerFileAnalyzer> analyzers, JsonElement root)
    {
        if (root.GetProperty("diffId").GetString() != layer.DiffId)
        {
            throw new InvalidDataException("stored for another layer");
        }

        var entries = new List<LayerEntry>(root.GetProperty("entries").GetArrayLength());
        foreach (var row in root.GetProperty("entries").EnumerateArray())
        {
            entries.Add(new LayerEntry(
                row[0].GetString()!,
                (LayerEntryKind)row[1].GetInt32(),
                row[2].GetInt64(),
                (UnixFileMode)row[3].GetInt32(),
                row[4].ValueKind == JsonValueKind.Null ? null : row[4].GetInt32(),
                row[5].ValueKind == JsonValueKind.Null ? null : row[5].GetInt32(),
                row[6].GetString(),
                new DateTimeOffset(row[7].GetInt64(), TimeSpan.Zero)));
        }

        var results = new List<LayerFileResult>();
        foreach (var item in root.GetProperty("results").EnumerateArray())
        {
            var id = item.GetProperty("analyzer").GetString()!;
            var analyzer = analyzers.FirstOrDefault(a => a.Id == id) ?? throw new InvalidDataException("stored by another analyser");
            var value = item.GetProperty("value").Deserialize(analyzer.ResultType, ResultJson) ?? throw new InvalidDataException("empty result");
            results.Add(new LayerFileResult(id, item.GetProperty("path").GetString()!, value));
        }

        return new LayerContents(layer, entries, Strings(root, "whiteouts"), Strings(root, "opaque"), Strings(root, "warnings"), results);
    }

    private static void WriteNullable(Utf8JsonWriter writer, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static List<string> Strings(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? throw new InvalidDataException("null in " + name))];

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next store to replace.
        }
    }
}
