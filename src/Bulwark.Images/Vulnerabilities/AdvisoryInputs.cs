using System.IO.Compression;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>How much an import reads: bounds against zip bombs and runaway inputs.</summary>
public sealed record ImportLimits
{
    public static ImportLimits Default { get; } = new();

    /// <summary>Largest file or archive entry read (256 MiB: the Debian tracker's JSON is about 60 MB).</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most bytes one archive may decompress to, over all its entries (8 GiB: OSV's largest exports are a few).</summary>
    public long MaxArchiveBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Largest ratio of an entry's size to its compressed size, for entries over 1 MiB (JSON compresses about 10 to 30 times).</summary>
    public long MaxCompressionRatio { get; init; } = 200;

    /// <summary>Most entries one archive may have.</summary>
    public int MaxArchiveEntries { get; init; } = 2_000_000;
}

/// <summary>
/// The files an import reads, in a stable order: files as named, every file under a folder (hidden folders such as
/// <c>.git</c> and links are not followed), and every entry of a zip archive (found by its signature, whatever its
/// name). Nothing is extracted: each file's bytes are read into memory, within <see cref="ImportLimits"/>. An archive
/// that is cut short, damaged or hostile (an entry over the bounds, a name with <c>..</c> or an absolute path) and a
/// path that cannot be read end the import with <see cref="ImportAbortedException"/>.
/// </summary>
internal static class AdvisoryInputs
{
    /// <summary>One file to offer the formats: its name for messages (<c>all.zip!/GO-2022-0969.json</c>) and its content.</summary>
    public sealed record InputFile(string Label, byte[] Content);

    public static IEnumerable<InputFile> Enumerate(IReadOnlyList<string> paths, ImportLimits limits, IProgress<string>? progress)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                progress?.Report($"reading {path}");
                foreach (var file in FilesUnder(path))
                {
                    foreach (var input in FromFile(file, limits))
                    {
                        yield return input;
                    }
                }
            }
            else if (File.Exists(path))
            {
                progress?.Report($"reading {path}");
                foreach (var input in FromFile(path, limits))
                {
                    yield return input;
                }
            }
            else
            {
                throw new ImportAbortedException(path, "no such file or folder");
            }
        }
    }

    private static List<string> FilesUnder(string folder)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            try
            {
                foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos())
                {
                    if (entry.LinkTarget is not null)
                    {
                        continue;
                    }

                    if (entry is DirectoryInfo)
                    {
                        if (!entry.Name.StartsWith('.'))
                        {
                            pending.Push(System.IO.Path.Combine(current, entry.Name));
                        }
                    }
                    else
                    {
                        files.Add(System.IO.Path.Combine(current, entry.Name));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                throw new ImportAbortedException(current, e.Message);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static IEnumerable<InputFile> FromFile(string path, ImportLimits limits)
    {
        if (IsZip(path))
        {
            return FromZip(path, limits);
        }

        byte[] content;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > limits.MaxFileBytes)
            {
                throw new ImportAbortedException(path, $"the file is {stream.Length:N0} bytes, over the {limits.MaxFileBytes:N0}-byte limit");
            }

            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportAbortedException(path, e.Message);
        }

        return [new InputFile(path, content)];
    }

    private static bool IsZip(string path)
    {
        Span<byte> signature = stackalloc byte[4];
        try
        {
            using var stream = File.OpenRead(path);
            return stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false) == 4
                && signature[0] == (byte)'P' && signature[1] == (byte)'K' && signature[2] is 3 or 5 && signature[3] is 4 or 6;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportAbortedException(path, e.Message);
        }
    }

    private static IEnumerable<InputFile> FromZip(string path, ImportLimits limits)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ImportAbortedException(path, $"not a readable zip archive (cut short or damaged): {e.Message}");
        }

        using (archive)
        {
            List<ZipArchiveEntry> entries;
            try
            {
                entries = [.. archive.Entries];
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new ImportAbortedException(path, $"the archive's directory is damaged: {e.Message}");
            }

            if (entries.Count > limits.MaxArchiveEntries)
            {
                throw new ImportAbortedException(path, $"the archive has {entries.Count:N0} entries, over the {limits.MaxArchiveEntries:N0} limit");
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
            var total = 0L;
            foreach (var entry in entries)
            {
                var name = entry.FullName;
                if (name.EndsWith('/') || name.EndsWith('\\'))
                {
                    continue;
                }

                var label = $"{path}!/{name}";
                if (UnsafeName(name))
                {
                    throw new ImportAbortedException(label, "an entry name that climbs out of the archive (.. or an absolute path): refusing a hostile archive");
                }

                if (entry.Length > limits.MaxFileBytes)
                {
                    throw new ImportAbortedException(label, $"the entry is {entry.Length:N0} bytes, over the {limits.MaxFileBytes:N0}-byte limit");
                }

                if (entry.Length > 1024 * 1024 && entry.Length > limits.MaxCompressionRatio * Math.Max(entry.CompressedLength, 1))
                {
                    throw new ImportAbortedException(label, $"the entry decompresses {entry.Length / Math.Max(entry.CompressedLength, 1):N0} times its size, over the {limits.MaxCompressionRatio}x limit (a decompression bomb?)");
                }

                total += entry.Length;
                if (total > limits.MaxArchiveBytes)
                {
                    throw new ImportAbortedException(label, $"the archive decompresses to more than the {limits.MaxArchiveBytes:N0}-byte limit");
                }

                yield return new InputFile(label, ReadEntry(entry, label));
            }
        }
    }

    /// <summary>The entry's bytes; a size that differs from the one declared, or data that does not inflate or check, aborts.</summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, string label)
    {
        var content = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            var read = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            if (read < content.Length)
            {
                throw new ImportAbortedException(label, $"the entry holds {read:N0} bytes, fewer than the {content.Length:N0} it declares (cut short)");
            }

            // Reading past the declared size both catches an entry that lies about it and lets the CRC be checked.
            Span<byte> extra = stackalloc byte[1];
            if (stream.Read(extra) != 0)
            {
                throw new ImportAbortedException(label, $"the entry holds more than the {content.Length:N0} bytes it declares");
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ImportAbortedException(label, $"the entry is damaged: {e.Message}");
        }

        // ZipArchive does not check an entry's CRC: a stored (uncompressed) entry with a changed byte reads as if whole.
        if (Crc32(content) != entry.Crc32)
        {
            throw new ImportAbortedException(label, "the entry is damaged: its CRC-32 does not match its content");
        }

        return content;
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    /// <summary>The CRC-32 zip uses (IEEE 802.3, reflected).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static bool UnsafeName(string name)
    {
        if (name.StartsWith('/') || name.StartsWith('\\') || (name.Length >= 2 && name[1] == ':'))
        {
            return true;
        }

        foreach (var part in name.Split('/', '\\'))
        {
            if (part == "..")
            {
                return true;
            }
        }

        return false;
    }
}
