using System.IO.Compression;
using ZstdSharp;

namespace Bulwark.Images.Layers;

/// <summary>Opens the decompressed view of a layer blob, whatever its compression.</summary>
internal static class LayerDecompression
{
    public static Stream Open(Stream blob, out LayerCompression compression)
    {
        var head = new byte[4];
        var read = blob.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        compression = read >= 2 && head[0] == 0x1F && head[1] == 0x8B ? LayerCompression.Gzip
            : read == 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD ? LayerCompression.Zstd
            : LayerCompression.None;
        var whole = new HeadReplayStream(head.AsMemory(0, read), blob);
        return compression switch
        {
            LayerCompression.Gzip => new GZipStream(whole, CompressionMode.Decompress),
            LayerCompression.Zstd => new DecompressionStream(whole),
            _ => whole,
        };
    }

    /// <summary>The bytes read to recognise the compression, then the rest of the blob.</summary>
    private sealed class HeadReplayStream(ReadOnlyMemory<byte> head, Stream rest) : ReadOnlyPassThroughStream(rest)
    {
        private ReadOnlyMemory<byte> _head = head;

        public override int Read(Span<byte> buffer)
        {
            if (_head.IsEmpty)
            {
                return Inner.Read(buffer);
            }

            var count = Math.Min(buffer.Length, _head.Length);
            _head.Span[..count].CopyTo(buffer);
            _head = _head[count..];
            return count;
        }
    }
}
