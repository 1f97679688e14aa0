using System.Text;

namespace Bulwark.Parsing.Documents;

/// <summary>Maps byte offsets of a UTF-8 text to 1-based line and column (columns count characters, not bytes).</summary>
public sealed class LineIndex
{
    private readonly List<int> _lineStarts = [0];

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
        var line = _lineStarts.BinarySearch(offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        var start = _lineStarts[line];
        var prefix = utf8[start..Math.Min(offset, utf8.Length)];
        var column = prefix.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) < 0 ? prefix.Length : Encoding.UTF8.GetCharCount(prefix);
        return (line + 1, column + 1);
    }
}
