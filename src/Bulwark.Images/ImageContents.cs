using Bulwark.Images.Layers;
using Bulwark.Images.Merging;
using Bulwark.Images.Sources;

namespace Bulwark.Images;

/// <summary>Every layer of an image read once, and the final file view they merge into.</summary>
public sealed record ImageContents(IReadOnlyList<LayerContents> Layers, MergedFileView Files)
{
    /// <summary>
    /// Reads the layers (in parallel up to <see cref="ImageReadOptions.MaxParallelLayers"/>), giving
    /// <paramref name="analyzers"/> the files they ask for, and merges them bottom to top. Throws
    /// <see cref="ImageReadException"/> naming a layer that cannot be read.
    /// </summary>
    public static ImageContents Read(IImageSource image, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(analyzers);
        options ??= ImageReadOptions.Default;
        var layers = new LayerContents[image.Layers.Count];
        if (options.MaxParallelLayers <= 1)
        {
            for (var i = 0; i < layers.Length; i++)
            {
                layers[i] = ReadLayer(image.Layers[i], analyzers, options);
            }
        }
        else
        {
            try
            {
                Parallel.For(0, layers.Length, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelLayers }, i =>
                    layers[i] = ReadLayer(image.Layers[i], analyzers, options));
            }
            catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(i => i is ImageReadException) is { } first)
            {
                // The same contract as reading in order: one error naming a layer.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            }
        }

        return new ImageContents(layers, MergedFileView.Merge(layers));
    }

    private static LayerContents ReadLayer(IImageLayer layer, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        if (options.Cache?.TryLoad(layer.Info, analyzers, options) is { } cached)
        {
            options.Progress?.Report(new LayerProgress(layer.Info, layer.Info.Size ?? 0, LayerProgressState.Cached));
            return cached;
        }

        var contents = layer.Read(analyzers, options);
        options.Cache?.Store(contents, analyzers, options);
        options.Progress?.Report(new LayerProgress(layer.Info, layer.Info.Size ?? 0, LayerProgressState.Done));
        return contents;
    }
}
