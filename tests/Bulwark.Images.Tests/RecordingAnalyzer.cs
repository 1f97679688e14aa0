using System.Collections.Concurrent;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Tests;

/// <summary>An analyser that asks for some paths and records their text per layer, as a package cataloguer would.</summary>
public sealed class RecordingAnalyzer(params string[] paths) : ILayerFileAnalyzer
{
    public ConcurrentDictionary<(int Layer, string Path), string> Contents { get; } = new();

    public bool Wants(LayerEntry entry) => paths.Contains(entry.Path, StringComparer.Ordinal);

    public void Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content)
    {
        using var reader = new StreamReader(content, leaveOpen: true);
        Contents[(layer.Index, entry.Path)] = reader.ReadToEnd();
    }
}
