namespace Bulwark.Images.Vulnerabilities;

/// <summary>How feeds are downloaded: the HTTPS trust and stall limit registries use, a size cap and a time limit.</summary>
public sealed record FeedDownloadOptions
{
    public static FeedDownloadOptions Default { get; } = new();

    /// <summary>
    /// Trust (<see cref="RemoteImageOptions.CaCertificateFile"/>, <see cref="RemoteImageOptions.Insecure"/>) and
    /// <see cref="RemoteImageOptions.Timeout"/>: how long a server may take to connect and answer, and how long a
    /// download may stay silent.
    /// </summary>
    public RemoteImageOptions Remote { get; init; } = RemoteImageOptions.Default;

    /// <summary>
    /// The most one file may be. OSV's npm export, the largest, was about 210 MB in 2025 and grows with every
    /// malicious-package report; the Debian tracker JSON is 50–60 MB. A server sending more is refused, not stored.
    /// </summary>
    public long MaxFileSize { get; init; } = 1L << 30;

    /// <summary>How long the whole update may take, every file together.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}
