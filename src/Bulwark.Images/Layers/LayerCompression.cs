namespace Bulwark.Images.Layers;

/// <summary>
/// A layer's compression, recognised by its first bytes rather than its media type: Docker archives store
/// uncompressed layers under compressed media types' digests, and writers disagree on zstd media type names.
/// </summary>
internal enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
