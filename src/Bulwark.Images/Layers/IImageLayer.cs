namespace Bulwark.Images.Layers;

/// <summary>A layer of an image, read on demand: each <see cref="Read"/> streams it once, from start to end.</summary>
public interface IImageLayer
{
    ImageLayerInfo Info { get; }

    /// <summary>
    /// Lists the layer's entries and gives <paramref name="analyzers"/> the files they ask for. Throws
    /// <see cref="ImageReadException"/> naming the layer for hostile or broken content (an entry above the root, a
    /// hard link out of it, a decompression bomb, a truncated stream, a digest that does not match).
    /// </summary>
    LayerContents Read(IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options);
}
