using System.Text;
using Bulwark.Scanning.Inputs;

namespace Bulwark.Reporting.Html;

/// <summary>
/// The lines around findings, read again from the files they point into: a scan keeps no input text once its rules
/// ran (a 50,000-object scan would hold all of it until the report is written). Lines are counted at line feeds, as
/// the parsers count them. A file that cannot be read again — standard input, one gone since, one over the size
/// limit, anything not a regular file — gives no lines, and the report shows its findings without them.
/// </summary>
internal static class SourceSnippets
{
    /// <summary>Lines shown before and after a finding's line.</summary>
    public const int Context = 2;

    public const long MaxFileBytes = 16L << 20;

    /// <summary>Longer lines (minified JSON) are cut here.</summary>
    public const int MaxLineChars = 240;

    /// <summary>The text of each of <paramref name="wanted"/>'s lines (1-based) the file has.</summary>
    public static Dictionary<int, string> Read(string path, IReadOnlySet<int> wanted)
    {
        var lines = new Dictionary<int, string>();
        if (wanted.Count == 0 || path == ScanInput.StandardInputName)
        {
            return lines;
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
            if (!stream.CanSeek || stream.Length > MaxFileBytes)
            {
                return lines;
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return lines;
        }

        var last = wanted.Max();
        ReadOnlySpan<byte> rest = bytes;
        if (rest.StartsWith("\uFEFF"u8))
        {
            rest = rest[3..];
        }

        for (var number = 1; number <= last && !rest.IsEmpty; number++)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end >= 0 ? rest[..end] : rest;
            rest = end >= 0 ? rest[(end + 1)..] : [];
            if (wanted.Contains(number))
            {
                lines[number] = Decode(line);
            }
        }

        return lines;
    }

    private static string Decode(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        // A UTF-8 character takes at most 4 bytes, so this many bytes give at least MaxLineChars characters.
        var cut = line.Length > MaxLineChars * 4;
        var text = Encoding.UTF8.GetString(cut ? line[..(MaxLineChars * 4)] : line);
        if (text.Length <= MaxLineChars)
        {
            return text;
        }

        var keep = char.IsHighSurrogate(text[MaxLineChars - 1]) ? MaxLineChars - 1 : MaxLineChars;
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
