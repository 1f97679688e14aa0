using System.Buffers.Binary;
using System.Text;

namespace Bulwark.Images.Packages;

/// <summary>
/// An rpm header as the rpm database stores it (<c>headerImport</c>'s blob): a count of index entries and the size of
/// the data store, both big-endian, then 16-byte entries (tag, type, offset, count) into the store. Only the tags a
/// package inventory needs are read, every offset is bounds-checked: the blob comes from an image, and a header that
/// lies about its sizes is an error, never a read past its end.
/// </summary>
public sealed class RpmHeader
{
    public const int Name = 1000;
    public const int Version = 1001;
    public const int Release = 1002;
    public const int Epoch = 1003;
    public const int License = 1014;
    public const int Arch = 1022;
    public const int SourceRpm = 1044;

    private const int TypeInt32 = 4;
    private const int TypeString = 6;
    private const int TypeStringArray = 8;
    private const int TypeI18nString = 9;

    // rpm itself refuses headers with more entries or data than this (hdrblob's HEADER_MAX).
    private const int MaxEntries = 0xffff;
    private const int MaxData = 256 * 1024 * 1024;

    private readonly Dictionary<int, string> _strings;
    private readonly Dictionary<int, int> _integers;

    private RpmHeader(Dictionary<int, string> strings, Dictionary<int, int> integers) => (_strings, _integers) = (strings, integers);

    public string? String(int tag) => _strings.GetValueOrDefault(tag);

    public int? Integer(int tag) => _integers.TryGetValue(tag, out var value) ? value : null;

    /// <summary>The header in <paramref name="blob"/>, or null with <paramref name="problem"/> saying what is wrong with it.</summary>
    public static RpmHeader? Parse(ReadOnlySpan<byte> blob, out string problem)
    {
        problem = string.Empty;
        if (blob.Length < 8)
        {
            problem = "header shorter than its 8-byte preamble";
            return null;
        }

        var entries = BinaryPrimitives.ReadInt32BigEndian(blob);
        var dataLength = BinaryPrimitives.ReadInt32BigEndian(blob[4..]);
        if (entries is <= 0 or > MaxEntries || dataLength is < 0 or > MaxData || 8L + (16L * entries) + dataLength > blob.Length)
        {
            problem = $"header claims {entries} entries and {dataLength} bytes of data, which do not fit its {blob.Length} bytes";
            return null;
        }

        var index = blob.Slice(8, 16 * entries);
        var data = blob.Slice(8 + (16 * entries), dataLength);
        var strings = new Dictionary<int, string>();
        var integers = new Dictionary<int, int>();
        for (var i = 0; i < entries; i++)
        {
            var entry = index.Slice(16 * i, 16);
            var tag = BinaryPrimitives.ReadInt32BigEndian(entry);
            if (tag is not (Name or Version or Release or Epoch or License or Arch or SourceRpm))
            {
                continue;
            }

            var type = BinaryPrimitives.ReadInt32BigEndian(entry[4..]);
            var offset = BinaryPrimitives.ReadInt32BigEndian(entry[8..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(entry[12..]);
            if (offset < 0 || offset >= data.Length || count <= 0)
            {
                problem = $"tag {tag} points outside the header's data";
                return null;
            }

            switch (type)
            {
                case TypeInt32 when offset + 4 <= data.Length:
                    integers[tag] = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
                    break;
                case TypeString or TypeStringArray or TypeI18nString:
                    var rest = data[offset..];
                    var end = rest.IndexOf((byte)0);
                    if (end < 0)
                    {
                        problem = $"tag {tag}'s string is not terminated";
                        return null;
                    }

                    strings[tag] = Encoding.UTF8.GetString(rest[..end]);
                    break;
                default:
                    problem = $"tag {tag} has type {type}, not the type rpm gives it";
                    return null;
            }
        }

        return new RpmHeader(strings, integers);
    }
}
