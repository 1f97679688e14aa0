namespace Bulwark.Images.Layers;

/// <summary>Where reading a layer is: <see cref="BytesRead"/> of its stored blob (<see cref="ImageLayerInfo.Size"/> when known).</summary>
public sealed record LayerProgress(ImageLayerInfo Layer, long BytesRead, LayerProgressState State);

public enum LayerProgressState
{
    Reading,

    Done,

    /// <summary>Its contents came from the layer cache: the layer was not read.</summary>
    Cached,
}
