namespace Bulwark.Images.Sources;

/// <summary>
/// A content digest (<c>sha256:hex</c>) as manifests write it. Checked before it becomes a file name: a digest of
/// <c>sha256:../../x</c> must not name a file outside <c>blobs/</c>.
/// </summary>
internal static class BlobDigest
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static bool IsSha256(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith("sha256:", StringComparison.Ordinal) && !digest.AsSpan(7).ContainsAnyExcept(LowerHex);

    /// <summary>The OCI layout path of a blob, <c>blobs/sha256/hex</c>.</summary>
    public static string BlobPath(string? digest, string describe) =>
        IsSha256(digest)
            ? "blobs/sha256/" + digest![7..]
            : throw new ImageReadException($"{describe}: unsupported or malformed digest \"{digest}\" (only sha256:<64 lowercase hex> is read)");
}
