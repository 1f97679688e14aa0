namespace Bulwark.Images.Layers;

/// <summary>
/// Stops a decompression bomb: fails as soon as the decompressed bytes pass the size bound, or pass the ratio bound
/// against the compressed bytes consumed so far, long before a few GB of zeros are inflated.
/// </summary>
internal sealed class DecompressionGuardStream : ReadOnlyPassThroughStream
{
    private readonly Func<long> _compressedBytes;
    private readonly ImageReadOptions _limits;
    private readonly Func<string> _describe;

    /// <summary><c>compressedBytes</c> gives the compressed bytes consumed so far; null when the stream is not compressed.</summary>
    public DecompressionGuardStream(Stream decompressed, Func<long>? compressedBytes, ImageReadOptions limits, Func<string> describe)
        : base(decompressed)
    {
        _compressedBytes = compressedBytes ?? (() => long.MaxValue);
        _limits = limits;
        _describe = describe;
    }

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        BytesRead += read;
        if (BytesRead > _limits.MaxLayerSize)
        {
            throw new ImageReadException(
                $"{_describe()}: decompresses to more than {_limits.MaxLayerSize} bytes, the bound for one layer (a decompression bomb?)");
        }

        if (BytesRead > _limits.RatioCheckThreshold)
        {
            var compressed = Math.Max(1, _compressedBytes());
            if (BytesRead / compressed > _limits.MaxCompressionRatio)
            {
                throw new ImageReadException(
                    $"{_describe()}: {compressed} compressed bytes decompress to more than {BytesRead}, a ratio past {_limits.MaxCompressionRatio}:1 (a decompression bomb?)");
            }
        }

        return read;
    }
}
