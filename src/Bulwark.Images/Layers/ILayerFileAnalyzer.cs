namespace Bulwark.Images.Layers;

/// <summary>
/// Reads the files it asks for while a layer streams past, once: package databases, os-release, files that may hold
/// secrets. Only regular files no larger than <see cref="ImageReadOptions.MaxFileContentSize"/> are offered. An
/// analyser keeps no state: what it finds in a file is returned and kept with the layer (<see cref="LayerContents.Results"/>),
/// so layers can be read in parallel and a layer's results can come from the layer cache instead of its bytes.
/// </summary>
public interface ILayerFileAnalyzer
{
    /// <summary>
    /// Names the analyser and the shape of its results, e.g. <c>packages/1</c>. It is part of the layer cache's key:
    /// change it whenever what <see cref="Analyze"/> returns for the same file changes.
    /// </summary>
    string Id { get; }

    /// <summary>The type <see cref="Analyze"/> returns, stored in the layer cache as JSON.</summary>
    Type ResultType { get; }

    bool Wants(LayerEntry entry);

    /// <summary>
    /// What the file holds for this analyser, or null for nothing. <c>content</c> is the file's bytes: valid only
    /// during the call, not seekable, not to be disposed. May be called from several threads at once.
    /// </summary>
    object? Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content);
}

/// <summary>What an analyser found in one file of one layer.</summary>
public sealed record LayerFileResult(string AnalyzerId, string Path, object Value);

/// <summary>An analyser with typed results, read back per layer with <see cref="ResultsIn"/>.</summary>
public abstract class LayerFileAnalyzer<TResult> : ILayerFileAnalyzer
    where TResult : class
{
    public abstract string Id { get; }

    public Type ResultType => typeof(TResult);

    public abstract bool Wants(LayerEntry entry);

    public abstract TResult? Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content);

    object? ILayerFileAnalyzer.Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content) => Analyze(layer, entry, content);

    /// <summary>This analyser's results in <paramref name="contents"/>, bottom layer first, in each layer's order.</summary>
    public IEnumerable<(LayerContents Layer, string Path, TResult Value)> ResultsIn(ImageContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        foreach (var layer in contents.Layers)
        {
            foreach (var result in layer.Results)
            {
                if (result.AnalyzerId == Id && result.Value is TResult value)
                {
                    yield return (layer, result.Path, value);
                }
            }
        }
    }
}
