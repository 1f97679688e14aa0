using System.Buffers.Binary;

namespace Bulwark.Images.Packages;

/// <summary>
/// rpm's Berkeley DB <c>Packages</c> file (RHEL 8 and older, CentOS, Amazon Linux 2): a hash database keyed by the
/// package's header number, each value a header blob. The file is pages of one size: page 0 the hash metadata
/// (magic <c>0x061561</c> in the writer's byte order, page size, last page number), hash pages holding key/value
/// items, and overflow pages chained by page number holding the values too large for a hash page (every real header).
/// The pages are walked in order rather than through the hash buckets, which finds every item without trusting the
/// bucket arithmetic. Every page number, offset and length comes from the image, so each is checked, and a chain of
/// overflow pages longer than the file (a cycle) ends the value: a problem naming the file, never a hang.
/// </summary>
public static class RpmBerkeleyDatabase
{
    private const uint HashMagic = 0x061561;
    private const int MetadataSize = 72;
    private const int PageHeaderSize = 26;

    private const byte HashUnsortedPage = 2;
    private const byte OverflowPage = 7;
    private const byte HashMetadataPage = 8;
    private const byte HashPage = 13;

    private const byte KeyDataItem = 1;
    private const byte OffPageItem = 3;

    public static List<InstalledPackage> Read(string path, byte[] content, List<string> problems)
    {
        var packages = new List<InstalledPackage>();
        if (Open(content, out var problem) is not { } db)
        {
            problems.Add($"{path}: {problem}; skipped");
            return packages;
        }

        if (db.ClaimedPages > db.Pages)
        {
            problems.Add($"{path}: claims {db.ClaimedPages} pages but holds {db.Pages}; the rest are not read");
        }

        for (var number = 1; number < db.Pages; number++)
        {
            var page = db.Page(number);
            if (page[25] is not (HashPage or HashUnsortedPage))
            {
                continue;
            }

            var entries = db.UInt16(page[20..]);
            if (PageHeaderSize + (2 * entries) > page.Length)
            {
                problems.Add($"{path}: page {number} claims {entries} items, more than fit in a page; skipped");
                continue;
            }

            // Items come in key/value pairs; a value's length runs to the item before it (items fill the page backwards).
            for (var i = 1; i < entries; i += 2)
            {
                var key = db.UInt16(page[(PageHeaderSize + (2 * (i - 1)))..]);
                var value = db.UInt16(page[(PageHeaderSize + (2 * i))..]);
                if (value >= key || key > page.Length || value < PageHeaderSize)
                {
                    problems.Add($"{path}: page {number} item {i} lies outside its page; skipped");
                    continue;
                }

                var header = key - value >= 5 && page[key] == KeyDataItem ? (int)db.UInt32(page[(key + 1)..]) : number;
                var blob = page[value] switch
                {
                    OffPageItem when value + 12 <= page.Length => db.OverflowValue(db.UInt32(page[(value + 4)..]), db.UInt32(page[(value + 8)..]), out problem),
                    OffPageItem => Fail("an off-page item cut by its page's end", out problem),

                    // Small values stay on the hash page: rpm's own record 0 (the next header number) is one.
                    KeyDataItem => key - value - 1 > 8 ? page[(value + 1)..key].ToArray() : Fail(null, out problem),
                    _ => Fail(null, out problem),
                };
                if (blob is null)
                {
                    if (problem is not null)
                    {
                        problems.Add($"{path}: package {header}: {problem}; skipped");
                    }

                    continue;
                }

                if (RpmDatabase.FromBlob(path, blob, header, problems) is { } package)
                {
                    packages.Add(package);
                }
            }
        }

        return packages;
    }

    private static byte[]? Fail(string? why, out string? problem)
    {
        problem = why;
        return null;
    }

    private static Database? Open(byte[] content, out string? problem)
    {
        problem = null;
        if (content.Length < MetadataSize)
        {
            problem = "shorter than a Berkeley DB metadata page";
            return null;
        }

        bool bigEndian;
        if (BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(12)) == HashMagic)
        {
            bigEndian = false;
        }
        else if (BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(12)) == HashMagic)
        {
            bigEndian = true;
        }
        else
        {
            problem = "not a Berkeley DB hash database";
            return null;
        }

        var db = new Database(content, bigEndian);
        var pageSize = db.UInt32(content.AsSpan(20));
        if (pageSize is < 512 or > 65536 || (pageSize & (pageSize - 1)) != 0 || pageSize > content.Length)
        {
            problem = $"page size {pageSize} is not one Berkeley DB writes";
            return null;
        }

        if (content[24] != 0)
        {
            problem = "encrypted";
            return null;
        }

        if (content[25] != HashMetadataPage)
        {
            problem = "its first page is not hash metadata";
            return null;
        }

        db.PageSize = (int)pageSize;
        db.Pages = content.Length / db.PageSize;
        db.ClaimedPages = db.UInt32(content.AsSpan(32)) + 1L;
        db.Pages = (int)Math.Min(db.Pages, db.ClaimedPages);
        return db;
    }

    private sealed class Database(byte[] content, bool bigEndian)
    {
        public int PageSize { get; set; }

        /// <summary>Pages both claimed by the metadata and present in the file.</summary>
        public int Pages { get; set; }

        public long ClaimedPages { get; set; }

        public ReadOnlySpan<byte> Page(long number) => content.AsSpan((int)(number * PageSize), PageSize);

        public ushort UInt16(ReadOnlySpan<byte> at) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(at) : BinaryPrimitives.ReadUInt16LittleEndian(at);

        public uint UInt32(ReadOnlySpan<byte> at) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at);

        /// <summary>A value of <paramref name="length"/> bytes in the overflow chain starting at page <paramref name="first"/>.</summary>
        public byte[]? OverflowValue(uint first, uint length, out string? problem)
        {
            problem = null;
            if (length > (long)Pages * PageSize)
            {
                problem = $"a value of {length} bytes, larger than the file";
                return null;
            }

            var value = new byte[length];
            var filled = 0;
            var next = first;
            var visited = new HashSet<uint>();
            while (filled < value.Length)
            {
                if (next == 0 || next >= Pages)
                {
                    problem = next == 0 ? $"its overflow pages end after {filled} of {length} bytes" : $"overflow page {next} is past the end of the file";
                    return null;
                }

                if (!visited.Add(next))
                {
                    problem = "its overflow pages form a cycle";
                    return null;
                }

                var page = Page(next);
                var used = UInt16(page[22..]);
                if (page[25] != OverflowPage || used > PageSize - PageHeaderSize)
                {
                    problem = $"page {next} is not an overflow page";
                    return null;
                }

                var take = Math.Min(used, value.Length - filled);
                page.Slice(PageHeaderSize, take).CopyTo(value.AsSpan(filled));
                filled += take;
                next = UInt32(page[16..]);
            }

            return value;
        }
    }
}
