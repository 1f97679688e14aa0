namespace Bulwark.Images.Layers;

/// <summary>
/// Follows the tar's structure as it streams past and refuses a metadata entry (PAX extended header, GNU long name or
/// long link) larger than <see cref="MaxMetadataEntry"/> before the tar reader sees it: System.Formats.Tar buffers such
/// an entry whole, so a few MB of gzip announcing 2 GB of "attributes" would otherwise be held in memory.
/// </summary>
internal sealed class TarHeaderGuardStream(Stream tar, Func<string> describe) : ReadOnlyPassThroughStream(tar)
{
    /// <summary>Real PAX headers hold a long path and a few attributes: kilobytes.</summary>
    public const long MaxMetadataEntry = 1024 * 1024;

    private const int Block = 512;

    private readonly byte[] _header = new byte[Block];
    private long _position;
    private long _nextHeader;
    private int _filled;
    private bool _lost;

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        if (!_lost)
        {
            Watch(buffer[..read]);
        }

        return read;
    }

    private void Watch(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty && !_lost)
        {
            if (_position < _nextHeader)
            {
                var skip = (int)Math.Min(chunk.Length, _nextHeader - _position);
                chunk = chunk[skip..];
                _position += skip;
                continue;
            }

            var take = Math.Min(chunk.Length, Block - _filled);
            chunk[..take].CopyTo(_header.AsSpan(_filled));
            chunk = chunk[take..];
            _filled += take;
            _position += take;
            if (_filled == Block)
            {
                _filled = 0;
                Inspect();
            }
        }
    }

    private void Inspect()
    {
        if (!_header.AsSpan().ContainsAnyExcept((byte)0))
        {
            // An end-of-archive block; another zero block or nothing follows.
            _nextHeader = _position;
            return;
        }

        if (SizeField() is not { } size)
        {
            // Not a header this guard understands: the tar reader will report it.
            _lost = true;
            return;
        }

        var type = (char)_header[156];
        if (type is 'x' or 'g' or 'L' or 'K' && size > MaxMetadataEntry)
        {
            throw new ImageReadException(
                $"{describe()}: a tar metadata entry (type '{type}') of {size} bytes, more than the {MaxMetadataEntry} a real one needs");
        }

        _nextHeader = _position + ((size + Block - 1) / Block * Block);
    }

    /// <summary>The size field: octal digits, or GNU's base-256 for sizes past 8 GiB.</summary>
    private long? SizeField()
    {
        var field = _header.AsSpan(124, 12);
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    return null;
                }

                value = (value << 8) | b;
            }

            return value;
        }

        long octal = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (digits > 0)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7' || octal > (long.MaxValue >> 3))
            {
                return null;
            }

            octal = (octal << 3) | (long)(b - '0');
            digits++;
        }

        return octal;
    }
}
