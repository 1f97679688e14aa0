using Bulwark.Images.Config;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Sources;

/// <summary>
/// An opened image: its config and its layers, bottom first. Opening reads only the metadata (manifest, index,
/// config); layers are read when asked, each streamed once.
/// </summary>
public interface IImageSource : IDisposable
{
    ImageReference Reference { get; }

    /// <summary>The config's raw JSON, for rules or reports that need a field <see cref="ImageConfig"/> does not carry; null for <c>dir:</c>.</summary>
    ReadOnlyMemory<byte>? ConfigJson { get; }

    /// <summary>The parsed config; null for <c>dir:</c>, which has none.</summary>
    ImageConfig? Config { get; }

    /// <summary>Tags the archive names the image by (docker-archive RepoTags, OCI ref.name), if any.</summary>
    IReadOnlyList<string> Tags { get; }

    IReadOnlyList<IImageLayer> Layers { get; }
}
