namespace Bulwark.Images.Layers;

/// <summary>
/// Which layer of which image: its position (0 = bottom), the digest of its blob as stored, and its diff_id (the
/// digest of the uncompressed tar, which a layer cache is keyed by). Digests are <c>sha256:hex</c> or null where the
/// source does not give them. <see cref="Size"/> is the stored blob's size in bytes, where known (for progress).
/// </summary>
public sealed record ImageLayerInfo(string Image, int Index, int Count, string? MediaType, string? Digest, string? DiffId, long? Size = null)
{
    /// <summary>"IMAGE, layer 2 of 3 (sha256:…)": how every error about this layer starts.</summary>
    public override string ToString()
    {
        var id = Digest ?? DiffId;
        return id is null ? $"{Image}, layer {Index + 1} of {Count}" : $"{Image}, layer {Index + 1} of {Count} ({id})";
    }
}
