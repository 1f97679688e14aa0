using Bulwark.Images.Layers;
using Bulwark.Images.Merging;
using Bulwark.Images.Sources;

namespace Bulwark.Images;

/// <summary>Every layer of an image read once, and the final file view they merge into.</summary>
public sealed record ImageContents(IReadOnlyList<LayerContents> Layers, MergedFileView Files)
{
    /// <summary>
    /// Reads the layers bottom to top, giving <paramref name="analyzers"/> the files they ask for, and merges them.
    /// Throws <see cref="ImageReadException"/> naming the layer at the first one that cannot be read.
    /// </summary>
    public static ImageContents Read(IImageSource image, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(analyzers);
        options ??= ImageReadOptions.Default;
        var layers = image.Layers.Select(layer => layer.Read(analyzers, options)).ToList();
        return new ImageContents(layers, MergedFileView.Merge(layers));
    }
}
