using System.Security.Cryptography;

namespace Bulwark.Images.Layers;

/// <summary>
/// Counts and SHA-256-hashes the bytes read through it, so that a blob's digest (or an uncompressed layer's diff_id)
/// is checked in the same single pass that analyses it.
/// </summary>
internal sealed class DigestingStream : ReadOnlyPassThroughStream
{
    private readonly IncrementalHash? _hash;

    /// <summary>Hashing is skipped (<paramref name="hash"/> false) when no digest is there to check: SHA-256 is the
    /// largest cost of reading an uncompressed layer.</summary>
    public DigestingStream(Stream inner, bool hash = true)
        : base(inner) => _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        _hash?.AppendData(buffer[..read]);
        BytesRead += read;
        return read;
    }

    /// <summary>Reads what the consumer left (tar padding, a gzip trailer), so that the digest covers the whole blob.</summary>
    public void Drain()
    {
        var buffer = new byte[1 << 16];
        while (Read(buffer) > 0)
        {
        }
    }

    /// <summary>The digest of everything read so far, as <c>sha256:hex</c>; null when not hashing.</summary>
    public string? Digest() => _hash is null ? null : "sha256:" + Convert.ToHexStringLower(_hash.GetCurrentHash());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash?.Dispose();
        }

        base.Dispose(disposing);
    }
}
