using Bulwark.Images.Config;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Sources;

/// <summary>
/// An image whose metadata has been read from an archive or layout: what every file-backed source hands out, and
/// the owner of the archive's files, released with the image.
/// </summary>
internal sealed class OpenedImage(ImageReference reference, IDisposable owner, byte[] configJson, ImageConfig config, IReadOnlyList<string> tags, IReadOnlyList<IImageLayer> layers)
    : IImageSource
{
    public ImageReference Reference { get; } = reference;

    public ReadOnlyMemory<byte>? ConfigJson { get; } = configJson;

    public ImageConfig? Config { get; } = config;

    public IReadOnlyList<string> Tags { get; } = tags;

    public IReadOnlyList<IImageLayer> Layers { get; } = layers;

    public void Dispose() => owner.Dispose();
}
