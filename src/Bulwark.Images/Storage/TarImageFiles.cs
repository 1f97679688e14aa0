using System.Formats.Tar;
using System.IO.Compression;
using Bulwark.Images.Layers;
using Bulwark.Images.Sources;

namespace Bulwark.Images.Storage;

/// <summary>
/// The files of an image archive (docker-archive, oci-archive), read in place. One pass indexes the tar: each entry's
/// data offset and length, so that a layer is later read as a window of the archive file, never copied to memory or
/// disk. Links (skopeo's <c>ID/layer.tar -> ../DIFFID.tar</c>) are followed inside the archive only. An archive wrapped
/// in gzip cannot be seeked: an entry is then found by decompressing again from the start, which costs one pass per
/// layer but no disk space.
/// </summary>
internal sealed class TarImageFiles : IImageFiles
{
    private const int MaxLinkHops = 40;

    private readonly string _path;
    private readonly bool _gzip;
    private readonly ImageReadOptions _options;
    private readonly Dictionary<string, IndexedEntry> _entries = new(StringComparer.Ordinal);

    private TarImageFiles(string path, bool gzip, ImageReadOptions options)
    {
        _path = path;
        _gzip = gzip;
        _options = options;
    }

    public string Description => _path;

    public static TarImageFiles Open(string path, ImageReadOptions options)
    {
        if (!File.Exists(path))
        {
            throw new ImageReadException($"{path}: no such file");
        }

        bool gzip;
        using (var probe = File.OpenRead(path))
        {
            gzip = ArchiveCompression.IsGzip(probe);
        }

        var files = new TarImageFiles(path, gzip, options);
        try
        {
            files.Index();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or IOException)
        {
            throw new ImageReadException($"{path}: not a readable tar archive: {e.Message}", e);
        }

        return files;
    }

    public bool Exists(string path) => TryResolve(path, out _);

    public long SizeOf(string path) => Resolve(path).Length;

    public Stream Open(string path)
    {
        var entry = Resolve(path);
        if (!_gzip)
        {
            return new WindowStream(_path, entry.DataOffset, entry.Length);
        }

        var rescan = OpenTarStream();
        try
        {
            var reader = new TarReader(rescan);
            while (reader.GetNextEntry() is { } candidate)
            {
                if (ArchivePath.Normalize(candidate.Name) == entry.Name && candidate.DataStream is { } data)
                {
                    return new OwningStream(data, rescan);
                }
            }
        }
        catch
        {
            rescan.Dispose();
            throw;
        }

        rescan.Dispose();
        throw new ImageReadException($"{_path}: {path} vanished from the archive while it was read");
    }

    public void Dispose()
    {
    }

    private void Index()
    {
        using var stream = OpenTarStream();
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            var name = ArchivePath.Normalize(entry.Name);
            if (name is null or "")
            {
                // An archive entry above the root is never a file of the image; skipping it means nothing can open it.
                continue;
            }

            var kind = entry.EntryType switch
            {
                TarEntryType.SymbolicLink => EntryKind.SymbolicLink,
                TarEntryType.HardLink => EntryKind.HardLink,
                TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => EntryKind.File,
                _ => EntryKind.Other,
            };
            _entries[name] = new IndexedEntry(name, kind, _gzip ? -1 : entry.DataOffset, entry.Length, entry.LinkName);
        }
    }

    private Stream OpenTarStream()
    {
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        if (!_gzip)
        {
            return file;
        }

        var compressed = new DigestingStream(file, hash: false);
        return new DecompressionGuardStream(
            new GZipStream(compressed, CompressionMode.Decompress), () => compressed.BytesRead, _options, () => _path);
    }

    private IndexedEntry Resolve(string path) =>
        TryResolve(path, out var entry) ? entry : throw new ImageReadException($"{_path}: {path} is not in the archive");

    private bool TryResolve(string path, out IndexedEntry entry)
    {
        var name = ArchivePath.Normalize(path);
        for (var hop = 0; hop < MaxLinkHops && name is not null; hop++)
        {
            if (!_entries.TryGetValue(name, out var found))
            {
                break;
            }

            switch (found.Kind)
            {
                case EntryKind.File:
                    entry = found;
                    return true;
                case EntryKind.SymbolicLink:
                    name = ArchivePath.ResolveLink(name, found.LinkName);
                    break;
                case EntryKind.HardLink:
                    // A hard link names another entry by its archive path, not relative to the link.
                    name = ArchivePath.Normalize(found.LinkName);
                    break;
                default:
                    name = null;
                    break;
            }
        }

        entry = default!;
        return false;
    }

    private enum EntryKind
    {
        File,
        SymbolicLink,
        HardLink,
        Other,
    }

    private sealed record IndexedEntry(string Name, EntryKind Kind, long DataOffset, long Length, string LinkName);

    /// <summary>An entry's data stream that closes the decompressed archive it was read from.</summary>
    private sealed class OwningStream(Stream data, Stream owner) : ReadOnlyPassThroughStream(data)
    {
        public override int Read(Span<byte> buffer) => Inner.Read(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
