namespace Bulwark.Parsing.Documents;

/// <summary>Bounds that keep hostile inputs (alias bombs, deep nesting, huge files) from exhausting time or memory.</summary>
public sealed record DocumentLimits
{
    public static DocumentLimits Default { get; } = new();

    /// <summary>Largest file read, in bytes (64 MiB).</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    public const long DefaultMaxFileBytes = 64L * 1024 * 1024;

    /// <summary>The error for an input past <paramref name="limit"/> bytes; it names the option that raises the limit.</summary>
    public static string OverLimit(long? size, long limit) =>
        (size is { } bytes ? $"file is {bytes:N0} bytes, over" : "input is over")
        + $" the {limit:N0}-byte limit (--max-file-size raises it); not read";

    /// <summary>Deepest nesting of collections; real manifests stay below 40.</summary>
    public int MaxDepth { get; init; } = 256;

    /// <summary>
    /// Most nodes one document may stand for once aliases are expanded; also the most nodes that aliases may
    /// stand for in one file, over all its documents.
    /// </summary>
    public long MaxExpandedNodes { get; init; } = 2_000_000;
}

/// <summary>A document broke a <see cref="DocumentLimits"/> bound or was otherwise unreadable.</summary>
public sealed class DocumentException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
