using System.Text;
using Bulwark.Core.Findings;

namespace Bulwark.Parsing.Documents;

/// <summary>A file's documents, its decoded text (for suppression comments) and what could not be read.</summary>
public sealed class SourceFile
{
    public required string Path { get; init; }

    public string Text { get; init; } = string.Empty;

    public List<SourceDocument> Documents { get; init; } = [];

    /// <summary>What could not be read, and what was read past (duplicate keys); each makes the exit code say so.</summary>
    public List<InputError> Errors { get; init; } = [];

    /// <summary>
    /// False when reading stopped early (the file could not be read, or a syntax error ended it: the documents
    /// before it are kept). Errors the reader went on after (duplicate keys) leave it true: every document is there.
    /// </summary>
    public bool IsComplete { get; init; } = true;

    public bool IsJson { get; init; }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a YAML or JSON file from disk within <paramref name="limits"/>.</summary>
    public static SourceFile Load(string path, DocumentLimits limits) =>
        ReadBytes(path, limits, out var error) is { } bytes
            ? Parse(path, bytes, limits, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? true : null)
            : new SourceFile { Path = path, Errors = [error!] };

    /// <summary>Reads a stream (stdin) within <paramref name="limits"/>.</summary>
    public static SourceFile Load(string displayName, Stream stream, DocumentLimits limits) =>
        ReadBytes(displayName, stream, limits, out var error) is { } bytes
            ? Parse(displayName, bytes, limits, null)
            : new SourceFile { Path = displayName, Errors = [error!] };

    /// <summary>A file's bytes, or null and why not (missing, unreadable, over the size limit).</summary>
    public static byte[]? ReadBytes(string path, DocumentLimits limits, out InputError? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        error = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            if (stream.Length > limits.MaxFileBytes)
            {
                error = new InputError(path, 0, 0, DocumentLimits.OverLimit(stream.Length, limits.MaxFileBytes));
                return null;
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = new InputError(path, 0, 0, "cannot read file: " + ex.Message);
            return null;
        }
    }

    /// <summary>A stream's bytes (stdin), or null and why not (over the size limit).</summary>
    public static byte[]? ReadBytes(string displayName, Stream stream, DocumentLimits limits, out InputError? error)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        error = null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limits.MaxFileBytes)
            {
                error = new InputError(displayName, 0, 0, DocumentLimits.OverLimit(null, limits.MaxFileBytes));
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Parses bytes. <paramref name="json"/>: true for JSON, false for YAML, null to decide from the content.</summary>
    public static SourceFile Parse(string path, byte[] bytes, DocumentLimits limits, bool? json)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            // YAML allows UTF-16; re-encode so the rest of the pipeline sees UTF-8.
            var utf16 = new UnicodeEncoding(bigEndian: span[0] == 0xFE, byteOrderMark: true, throwOnInvalidBytes: true);
            try
            {
                var decoded = utf16.GetString(span[2..]);
                return Parse(path, Encoding.UTF8.GetBytes(decoded), limits, json);
            }
            catch (DecoderFallbackException)
            {
                return Failed(path, "invalid UTF-16 text");
            }
        }

        var nul = span.IndexOf((byte)0);
        if (nul >= 0)
        {
            var (line, column) = new LineIndex(span[..nul]).Position(span, nul);
            return Failed(path, "binary content (a NUL byte); not a text file", line, column);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = FirstInvalidUtf8(span);
            var (line, column) = new LineIndex(span[..offset]).Position(span, offset);
            return Failed(path, "invalid UTF-8 " + (ex.BytesUnknown is { Length: > 0 } b ? $"(byte 0x{b[0]:X2})" : string.Empty), line, column);
        }

        var isJson = json ?? LooksLikeJson(span);
        // YAML: the fast reader first; it hands the file to YamlDotNet (YamlDocumentReader) whenever it is not sure.
        var result = isJson ? JsonDocumentReader.Read(path, span, limits) : FastYamlReader.Read(path, text, limits);
        if (json is null && isJson && result.Error is not null)
        {
            // Content that starts like JSON may still be YAML flow style ({a: 1}); YAML is a superset of JSON.
            // When neither reads, report the reader that got further: it most likely has the file's real format.
            var asYaml = FastYamlReader.Read(path, text, limits);
            if (asYaml.Error is null || IsFurther(asYaml.Error, result.Error))
            {
                result = asYaml;
                isJson = false;
            }
        }

        var errors = new List<InputError>();
        if (result.Problems.Count > 0)
        {
            // Readers find duplicate keys as mappings close, inner ones first: report them in file order.
            errors.AddRange(result.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column).Select(p => new InputError(path, p.Line, p.Column, p.Message)));
        }

        if (result.Error is { } error)
        {
            errors.Add(new InputError(path, error.Line, error.Column, error.Message));
        }

        return new SourceFile { Path = path, Text = text, Documents = result.Documents, Errors = errors, IsJson = isJson, IsComplete = result.Error is null };
    }

    private static bool IsFurther(DocumentException a, DocumentException b) =>
        a.Line > b.Line || (a.Line == b.Line && a.Column > b.Column);

    private static bool LooksLikeJson(ReadOnlySpan<byte> span)
    {
        var trimmed = span.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] is (byte)'{' or (byte)'[';
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> span)
    {
        var offset = 0;
        while (offset < span.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return span.Length;
    }

    private static SourceFile Failed(string path, string message, int line = 0, int column = 0) =>
        new() { Path = path, Errors = [new InputError(path, line, column, message)], IsComplete = false };
}
