using System.Text;

namespace Bulwark.Parsing.Documents;

/// <summary>
/// Maps byte offsets of a UTF-8 text to 1-based line and column (columns count UTF-16 characters, not bytes,
/// as editors do). Not thread-safe: it remembers the last position asked for, so that a reader asking for
/// positions in increasing order (every token of a minified one-line JSON file) pays for each byte once
/// instead of re-counting the line from its start every time.
/// </summary>
public sealed class LineIndex
{
    private readonly List<int> _lineStarts = [0];

    private int _lastLine = -1;

    private int _lastOffset;

    private int _lastColumn;

    public LineIndex(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (true)
        {
            var nl = utf8[offset..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }

            offset += nl + 1;
            _lineStarts.Add(offset);
        }
    }

    public (int Line, int Column) Position(ReadOnlySpan<byte> utf8, int offset)
    {
        offset = Math.Clamp(offset, 0, utf8.Length);
        int line;
        if (_lastLine >= 0 && offset >= _lastOffset && (_lastLine + 1 >= _lineStarts.Count || offset < _lineStarts[_lastLine + 1]))
        {
            // Same line as last time, further on: count only the bytes in between.
            line = _lastLine;
            _lastColumn += CharCount(utf8[_lastOffset..offset]);
        }
        else
        {
            line = _lineStarts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }

            _lastColumn = CharCount(utf8[_lineStarts[line]..offset]);
        }

        _lastLine = line;
        _lastOffset = offset;
        return (line + 1, _lastColumn + 1);
    }

    /// <summary>The byte offset where 0-based line <paramref name="line"/> starts (clamped to the last line).</summary>
    internal int LineStart(int line) => _lineStarts[Math.Clamp(line, 0, _lineStarts.Count - 1)];

    private static int CharCount(ReadOnlySpan<byte> utf8) =>
        utf8.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) < 0 ? utf8.Length : Encoding.UTF8.GetCharCount(utf8);
}
