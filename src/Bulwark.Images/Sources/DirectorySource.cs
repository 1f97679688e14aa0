using Bulwark.Images.Config;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Sources;

/// <summary>An unpacked root filesystem (<c>dir:</c>): no config, one layer holding the whole folder.</summary>
internal sealed class DirectorySource(ImageReference reference) : IImageSource
{
    public ImageReference Reference => reference;

    public ReadOnlyMemory<byte>? ConfigJson => null;

    public ImageConfig? Config => null;

    public IReadOnlyList<string> Tags => [];

    public IReadOnlyList<IImageLayer> Layers { get; } =
        [new DirectoryLayer(new ImageLayerInfo(reference.ToString(), 0, 1, null, null, null), reference.Location)];

    public void Dispose()
    {
    }
}
