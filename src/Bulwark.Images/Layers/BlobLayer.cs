using System.Formats.Tar;
using ZstdSharp;

namespace Bulwark.Images.Layers;

/// <summary>
/// A layer stored as a tar blob (gzip, zstd or plain), read in one pass: the blob's digest and the uncompressed
/// tar's diff_id are hashed as it streams, the decompressed size is bounded, and each entry goes through
/// <see cref="LayerContentsBuilder"/>. Nothing is written to disk.
/// </summary>
internal sealed class BlobLayer(ImageLayerInfo info, Func<Stream> openBlob) : IImageLayer
{
    // Often enough for a progress bar to move smoothly, rarely enough to cost nothing.
    private const long ProgressStep = 1 << 20;

    public ImageLayerInfo Info => info;

    public LayerContents Read(IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(analyzers);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return ReadTar(analyzers, options);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException
            or IOException or UnauthorizedAccessException or ZstdException or OverflowException or InvalidOperationException)
        {
            var message = e is EndOfStreamException
                ? $"{info}: truncated: the layer ends inside an entry"
                : $"{info}: not a readable layer: {e.Message}";
            throw new ImageReadException(message, e);
        }
    }

    private LayerContents ReadTar(IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        using var blob = new DigestingStream(openBlob(), hash: info.Digest is not null);
        using var decompressed = LayerDecompression.Open(blob, out var compression);
        using var guarded = new DecompressionGuardStream(
            decompressed, compression == LayerCompression.None ? null : () => blob.BytesRead, options, info.ToString);
        using var tar = new DigestingStream(guarded, hash: info.DiffId is not null);
        using var headers = new TarHeaderGuardStream(tar, info.ToString);
        using var ends = new UnterminatedTarStream(headers);
        var builder = new LayerContentsBuilder(info, analyzers, options, interpretWhiteouts: true);
        var reported = 0L;
        using (var reader = new TarReader(ends, leaveOpen: true))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                ends.EntryStarts(entry.Length);
                if (options.Progress is { } progress && blob.BytesRead - reported >= ProgressStep)
                {
                    reported = blob.BytesRead;
                    progress.Report(new LayerProgress(info, reported, LayerProgressState.Reading));
                }

                var kind = KindOf(entry.EntryType);
                if (kind is null)
                {
                    continue;
                }

                var data = entry.DataStream;
                builder.Add(
                    entry.Name,
                    kind.Value,
                    entry.Length,
                    entry.Mode,
                    entry.Uid,
                    entry.Gid,
                    entry.LinkName.Length == 0 ? null : entry.LinkName,
                    entry.ModificationTime,
                    data is null ? null : () => new BorrowedStream(data));
            }
        }

        if (ends.WasUnterminated)
        {
            builder.Warn($"{info}: the tar ends right after its last file, without the end-of-archive blocks (as umoci 0.4 writes); read as complete");
        }

        // The tar's end-of-archive blocks and the compressor's trailer belong to the digests too.
        tar.Drain();
        blob.Drain();
        // The blob digest first: it is what the manifest promised, so a swapped blob is named as such.
        Verify("layer blob", info.Digest, blob.Digest());
        Verify("uncompressed layer (diff_id)", info.DiffId, tar.Digest());
        return builder.Build();
    }

    private void Verify(string what, string? expected, string? actual)
    {
        if (expected is not null && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new ImageReadException($"{info}: the {what} digest does not match: expected {expected}, read {actual}");
        }
    }

    private static LayerEntryKind? KindOf(TarEntryType type) => type switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => LayerEntryKind.File,
        TarEntryType.Directory => LayerEntryKind.Directory,
        TarEntryType.SymbolicLink => LayerEntryKind.SymbolicLink,
        TarEntryType.HardLink => LayerEntryKind.HardLink,
        TarEntryType.CharacterDevice => LayerEntryKind.CharacterDevice,
        TarEntryType.BlockDevice => LayerEntryKind.BlockDevice,
        TarEntryType.Fifo => LayerEntryKind.Fifo,
        // GNU sparse files' data is a map, not the content: listed, never offered to analysers.
        TarEntryType.SparseFile => LayerEntryKind.Other,
        // Metadata entries (PAX/GNU headers) are folded into their file by TarReader.
        _ => null,
    };

    /// <summary>An entry's data handed to an analyser, which must not close the tar under it.</summary>
    private sealed class BorrowedStream(Stream data) : ReadOnlyPassThroughStream(data)
    {
        public override int Read(Span<byte> buffer) => Inner.Read(buffer);

        // The tar reader owns the entry's data stream: never close it, whatever the analyser does.
        protected override void Dispose(bool disposing) => base.Dispose(disposing: false);
    }
}
