namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// One file of a vulnerability feed to download: its name for <c>--feed</c> and messages (<c>osv/Go</c>,
/// <c>debian</c>, <c>alpine/v3.22/main</c>, <c>nodejs</c>), where it is, and the file name it is staged under. The
/// file name's extension says how a download is checked to be complete: <c>.zip</c> (the central directory opens)
/// or <c>.json</c> (the JSON is whole).
/// </summary>
public sealed record FeedSource(string Name, Uri Url, string FileName);

/// <summary>A feed file downloaded, checked and staged: where it is now, how big, and how long it took.</summary>
public sealed record DownloadedFeed(FeedSource Source, string Path, long Bytes, TimeSpan Elapsed);

/// <summary>
/// A feed could not be downloaded whole: an HTTP error, a refused redirect, a timeout, a size over the cap, a body
/// shorter than announced, an archive or JSON file cut short. The message names the URL and what went wrong; an
/// update that meets one imports nothing.
/// </summary>
public sealed class FeedDownloadException : Exception
{
    public FeedDownloadException()
    {
    }

    public FeedDownloadException(string message)
        : base(message)
    {
    }

    public FeedDownloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
