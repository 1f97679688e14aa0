using Bulwark.Images.Sources;

namespace Bulwark.Images.Tests;

/// <summary>
/// What two reads of the same image must agree on, as text for readable diffs: the config's bytes, the merged file
/// view (kind, size, mode, link, layer of each path) and each layer's diff_id, whiteouts, opaque directories, entry
/// count and the files analysers were given.
/// </summary>
public sealed record ImageSummary(string Config, string Paths, string Layers)
{
    private static readonly string[] Wanted = ["etc/os-release", "app/key.pem", "opt/new", "data/a.txt", "data/b.txt"];

    public static ImageSummary Of(ImageReference reference, ImageReadOptions options)
    {
        using var image = ImageSources.Open(reference, options);
        var analyzer = new RecordingAnalyzer(Wanted);
        var contents = ImageContents.Read(image, [analyzer], options);
        var paths = contents.Files.Files
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => $"{f.Key} {f.Value.Entry.Kind} {f.Value.Entry.Size} {f.Value.Entry.Mode} {f.Value.Entry.LinkTarget} {f.Value.LayerIndex}");
        var layers = contents.Layers
            .Select(l => $"{l.Layer.Index} {l.Layer.DiffId} {string.Join('|', l.Whiteouts)} {string.Join('|', l.OpaqueDirectories)} {l.Entries.Count}")
            .Concat(analyzer.Contents.OrderBy(c => c.Key).Select(c => $"{c.Key.Layer}:{c.Key.Path}={c.Value}"));
        return new ImageSummary(System.Text.Encoding.UTF8.GetString(image.ConfigJson!.Value.Span), string.Join('\n', paths), string.Join('\n', layers));
    }
}
