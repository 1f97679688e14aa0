namespace Bulwark.Images.Layers;

/// <summary>
/// Reads the files it asks for while a layer streams past, once: package databases, os-release, files that may hold
/// secrets. Only regular files no larger than <see cref="ImageReadOptions.MaxFileContentSize"/> are offered. Layers
/// may later be read in parallel, so an analyser keeps its results per layer (the <c>layer</c> argument).
/// </summary>
public interface ILayerFileAnalyzer
{
    bool Wants(LayerEntry entry);

    /// <summary><c>content</c> is the file's bytes: valid only during the call, not seekable, not to be disposed.</summary>
    void Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content);
}
