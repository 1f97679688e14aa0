namespace Bulwark.Images.Sources;

/// <summary>Recognises an outer gzip around a whole image archive (<c>docker save | gzip</c>) by its magic bytes.</summary>
internal static class ArchiveCompression
{
    /// <summary>Reads the first two bytes of a seekable stream and rewinds it.</summary>
    public static bool IsGzip(Stream seekable)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = seekable.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        seekable.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }
}
