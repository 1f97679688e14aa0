using System.Collections.Concurrent;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Tests;

/// <summary>An analyser that asks for some paths and returns their text, also recorded per layer for the tests to read.</summary>
public sealed class RecordingAnalyzer(params string[] paths) : LayerFileAnalyzer<string>
{
    public ConcurrentDictionary<(int Layer, string Path), string> Contents { get; } = new();

    public override string Id => "recording/1";

    public override bool Wants(LayerEntry entry) => paths.Contains(entry.Path, StringComparer.Ordinal);

    public override string Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content)
    {
        using var reader = new StreamReader(content, leaveOpen: true);
        var text = reader.ReadToEnd();
        Contents[(layer.Index, entry.Path)] = text;
        return text;
    }
}
