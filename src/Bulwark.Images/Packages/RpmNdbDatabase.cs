using System.Buffers.Binary;

namespace Bulwark.Images.Packages;

/// <summary>
/// rpm's NDB <c>Packages.db</c> (SUSE 15; rpm's "new database", little-endian throughout): a 32-byte header (magic
/// <c>RpmP</c>, version 0, generation, the number of 4 KiB slot pages), then the slot pages, 16-byte slots each
/// (magic <c>Slot</c>, package number — 0 for a free slot —, block offset and block count, in 16-byte blocks); a
/// slot points at a blob: a 16-byte blob header (magic <c>BlbS</c>, package number, checksum, length) and the header
/// blob itself. Offsets and lengths come from the image: each is checked against the file, and one that does not fit
/// is a problem naming the file and the package.
/// </summary>
public static class RpmNdbDatabase
{
    private const uint HeaderMagic = 'R' | ('p' << 8) | ('m' << 16) | ('P' << 24);
    private const uint SlotMagic = 'S' | ('l' << 8) | ('o' << 16) | ('t' << 24);
    private const uint BlobMagic = 'B' | ('l' << 8) | ('b' << 16) | ('S' << 24);
    private const int SlotPageSize = 4096;
    private const int SlotSize = 16;
    private const int BlockSize = 16;
    private const int HeaderSize = 32;

    // rpm itself never writes more slot pages than this (rpmpkg.c: 2048 pages hold half a million packages).
    private const uint MaxSlotPages = 2048;

    public static List<InstalledPackage> Read(string path, byte[] content, List<string> problems)
    {
        var packages = new List<InstalledPackage>();
        var file = content.AsSpan();
        if (file.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(file) != HeaderMagic)
        {
            problems.Add($"{path}: not an rpm NDB database; skipped");
            return packages;
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        var slotPages = BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        if (version != 0 || slotPages is 0 or > MaxSlotPages)
        {
            problems.Add($"{path}: NDB version {version} with {slotPages} slot pages is not one rpm writes; skipped");
            return packages;
        }

        // The header takes the place of the first two slots.
        var slotsEnd = (long)slotPages * SlotPageSize;
        if (slotsEnd > file.Length)
        {
            problems.Add($"{path}: claims {slotPages} slot pages, past the end of the file; the rest are not read");
            slotsEnd = file.Length - (file.Length % SlotSize);
        }

        for (var at = HeaderSize; at + SlotSize <= slotsEnd; at += SlotSize)
        {
            var slot = file.Slice(at, SlotSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(slot) != SlotMagic)
            {
                problems.Add($"{path}: slot at byte {at} has no slot magic; the rest are not read");
                break;
            }

            var number = BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]);
            if (number == 0)
            {
                continue; // a free slot
            }

            var blob = Blob(file, number, (long)BinaryPrimitives.ReadUInt32LittleEndian(slot[8..]) * BlockSize, out var problem);
            if (blob.IsEmpty)
            {
                problems.Add($"{path}: package {number}: {problem}; skipped");
                continue;
            }

            if (RpmDatabase.FromBlob(path, blob, (int)Math.Min(number, int.MaxValue), problems) is { } package)
            {
                packages.Add(package);
            }
        }

        return packages;
    }

    private static ReadOnlySpan<byte> Blob(ReadOnlySpan<byte> file, uint number, long offset, out string problem)
    {
        problem = string.Empty;
        if (offset < HeaderSize || offset + BlockSize > file.Length)
        {
            problem = $"its blob at byte {offset} is outside the file";
            return [];
        }

        var head = file.Slice((int)offset, BlockSize);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(head[12..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(head) != BlobMagic || BinaryPrimitives.ReadUInt32LittleEndian(head[4..]) != number)
        {
            problem = $"no blob of this package at byte {offset}";
            return [];
        }

        if (length == 0 || offset + BlockSize + length > file.Length)
        {
            problem = $"its blob of {length} bytes is empty or runs past the end of the file";
            return [];
        }

        return file.Slice((int)offset + BlockSize, (int)length);
    }
}
