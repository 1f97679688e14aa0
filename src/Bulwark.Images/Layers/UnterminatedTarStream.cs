namespace Bulwark.Images.Layers;

/// <summary>
/// Accepts a layer tar that stops right after its last entry's data, without the padding to 512 bytes and the two
/// zero blocks that end an archive: umoci 0.4 writes such layers, and GNU tar and container engines read them. The
/// missing zeros are supplied only when the stream ends exactly where the current entry's data ends (or its
/// padding): an entry cut short still reaches the end of the stream early and is reported as truncated.
/// </summary>
internal sealed class UnterminatedTarStream(Stream tar) : ReadOnlyPassThroughStream(tar)
{
    private const int Block = 512;

    private long _position;
    private long _completeAt;
    private int _zerosLeft = -1;

    /// <summary>True when the end of the archive had to be supplied.</summary>
    public bool WasUnterminated => _zerosLeft >= 0;

    /// <summary>Called with each entry's data length once its header was read: the stream may end after that data.</summary>
    public void EntryStarts(long dataLength) => _completeAt = _position + dataLength;

    public override int Read(Span<byte> buffer)
    {
        if (_zerosLeft < 0)
        {
            var read = Inner.Read(buffer);
            _position += read;
            if (read > 0 || buffer.IsEmpty)
            {
                return read;
            }

            var padded = (_completeAt + Block - 1) / Block * Block;
            if (_position != _completeAt && _position != padded)
            {
                return 0;
            }

            _zerosLeft = (int)(padded - _position) + (2 * Block);
        }

        var count = Math.Min(buffer.Length, _zerosLeft);
        buffer[..count].Clear();
        _zerosLeft -= count;
        return count;
    }
}
