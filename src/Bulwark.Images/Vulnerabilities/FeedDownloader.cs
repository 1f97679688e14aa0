using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Bulwark.Images.Sources;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// Downloads feed files into a staging folder, streaming each to disk, and counts a file as downloaded only when it is
/// whole: no more than <see cref="FeedDownloadOptions.MaxFileSize"/>, as many bytes as Content-Length announced, and,
/// by its staged name, a zip archive whose central directory opens or a JSON document that parses to its end. Anything
/// else throws a <see cref="FeedDownloadException"/> naming the URL, so that an update imports all of its feeds or
/// none. Redirects are followed (GitHub's archives, mirrors), but never from HTTPS to plain HTTP.
/// </summary>
public sealed class FeedDownloader : IDisposable
{
    private const int MaxRedirects = 5;

    private readonly HttpClient _http;
    private readonly FeedDownloadOptions _options;

    public FeedDownloader(FeedDownloadOptions options)
    {
        _options = options;
        try
        {
            _http = RemoteHttpClient.Create(options.Remote, "feed download");
        }
        catch (ImageReadException e)
        {
            throw new FeedDownloadException(e.Message, e);
        }
    }

    /// <summary>
    /// Downloads every feed into <paramref name="folder"/> in turn, within <see cref="FeedDownloadOptions.Timeout"/>
    /// for all of them, and reports each as it is done. The first failure throws; the feeds after it are not fetched.
    /// </summary>
    public IReadOnlyList<DownloadedFeed> DownloadAll(IReadOnlyList<FeedSource> feeds, string folder, Action<DownloadedFeed>? downloaded = null)
    {
        using var deadline = new CancellationTokenSource(_options.Timeout);
        var result = new List<DownloadedFeed>(feeds.Count);
        foreach (var feed in feeds)
        {
            var file = Download(feed, folder, deadline.Token);
            result.Add(file);
            downloaded?.Invoke(file);
        }

        return result;
    }

    /// <summary>Downloads one feed into <paramref name="folder"/>; <paramref name="deadline"/> ends the whole update.</summary>
    public DownloadedFeed Download(FeedSource feed, string folder, CancellationToken deadline)
    {
        if (feed.FileName.Length == 0 || Path.GetFileName(feed.FileName) != feed.FileName || feed.FileName is "." or "..")
        {
            throw new ArgumentException($"a feed is staged under a plain file name, not \"{feed.FileName}\"", nameof(feed));
        }

        if (feed.Url.Scheme is not ("https" or "http"))
        {
            throw new FeedDownloadException($"{feed.Url}: only HTTPS and HTTP URLs are fetched");
        }

        var clock = Stopwatch.StartNew();
        var path = Path.Combine(folder, feed.FileName);
        using (var response = Send(feed, deadline))
        {
            var bytes = Save(feed, response, path, deadline);
            Verify(feed, path);
            return new DownloadedFeed(feed, path, bytes, clock.Elapsed);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Where a redirect from <paramref name="from"/> may lead: relative locations resolve against it; HTTP and HTTPS
    /// only; and once on HTTPS, never back to plain HTTP, where anyone on the path could swap the feed.
    /// </summary>
    internal static Uri RedirectTarget(Uri from, Uri location, string feedUrl)
    {
        var next = new Uri(from, location);
        if (next.Scheme is not ("http" or "https"))
        {
            throw new FeedDownloadException($"{feedUrl}: the server redirects to {next.Scheme}: URLs, which Bulwark does not follow");
        }

        if (from.Scheme == "https" && next.Scheme != "https")
        {
            throw new FeedDownloadException($"{feedUrl}: the server redirects from HTTPS to plain HTTP ({next.GetLeftPart(UriPartial.Path)}); refused, as the feed could be swapped on the way");
        }

        return next;
    }

    /// <summary>GETs the feed, following redirects, and returns the successful response with its body unread.</summary>
    private HttpResponseMessage Send(FeedSource feed, CancellationToken deadline)
    {
        var url = feed.Url.ToString();
        var current = feed.Url;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            using var answer = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            answer.CancelAfter(_options.Remote.Timeout);
            HttpResponseMessage response;
            try
            {
                response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, answer.Token);
            }
            catch (HttpRequestException e)
            {
                throw new FeedDownloadException($"{url}: cannot reach {current.GetLeftPart(UriPartial.Authority)} ({RemoteHttpClient.Explain(e, _options.Remote)})", e);
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
            {
                throw TimedOut(url, e);
            }
            catch (OperationCanceledException e) when (answer.IsCancellationRequested)
            {
                throw new FeedDownloadException($"{url}: {current.GetLeftPart(UriPartial.Authority)} did not answer within {_options.Remote.Timeout.TotalSeconds:0} s", e);
            }

            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                current = RedirectTarget(current, location, url);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var text = HttpBodies.ErrorText(response, deadline);
                var via = current == feed.Url ? string.Empty : $" (redirected to {current})";
                var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                response.Dispose();

                // An HTML error page says nothing a status line does not; a text or JSON body often says why.
                throw new FeedDownloadException($"{url}: {status}{via}" + (text.Length > 0 && !text.StartsWith('<') ? $": {text}" : string.Empty));
            }

            return response;
        }

        throw new FeedDownloadException($"{url}: more than {MaxRedirects} redirects");
    }

    /// <summary>Streams the body to <paramref name="path"/> within the size cap; a body shorter than announced is truncated.</summary>
    private long Save(FeedSource feed, HttpResponseMessage response, string path, CancellationToken deadline)
    {
        var url = feed.Url.ToString();
        var max = _options.MaxFileSize;
        var announced = response.Content.Headers.ContentLength;
        if (announced > max)
        {
            throw new FeedDownloadException($"{url}: the server announces {announced} bytes, more than the {max} allowed for one feed file (--max-download-size)");
        }

        long received = 0;
        var buffer = new byte[1 << 16];
        // A server that goes silent is given up after the stall limit, or sooner when the whole update's limit is shorter.
        var idle = _options.Remote.Timeout < _options.Timeout ? _options.Remote.Timeout : _options.Timeout;
        using var body = new IdleTimeoutStream(response.Content.ReadAsStream(deadline), idle, () => url);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        while (true)
        {
            if (deadline.IsCancellationRequested)
            {
                throw TimedOut(url, null);
            }

            int read;
            try
            {
                read = body.Read(buffer);
            }
            catch (IOException e) when (deadline.IsCancellationRequested)
            {
                throw TimedOut(url, e);
            }
            catch (IOException e) when (e.InnerException is OperationCanceledException)
            {
                throw new FeedDownloadException($"{e.Message} (after {received} bytes)", e);
            }
            catch (IOException e)
            {
                throw new FeedDownloadException(
                    $"{url}: truncated: the download broke off after {received}{(announced is { } length ? $" of {length}" : string.Empty)} bytes ({e.Message})", e);
            }

            if (read == 0)
            {
                break;
            }

            received += read;
            if (received > max)
            {
                throw new FeedDownloadException($"{url}: more than the {max} bytes allowed for one feed file (--max-download-size)");
            }

            file.Write(buffer, 0, read);
        }

        if (announced is { } expected && received != expected)
        {
            throw new FeedDownloadException($"{url}: truncated: received {received} of the {expected} bytes the server announced");
        }

        return received;
    }

    private FeedDownloadException TimedOut(string url, Exception? inner) =>
        new($"{url}: the update did not finish within its time limit of {_options.Timeout.TotalSeconds:0} s (--timeout)", inner);

    /// <summary>A file counts as downloaded only when its format says it is whole, whatever the HTTP layer said.</summary>
    private static void Verify(FeedSource feed, string path)
    {
        var extension = Path.GetExtension(feed.FileName);
        if (extension.Equals(".zip", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                // The central directory sits at the end of the archive: a file cut anywhere loses it.
                using var archive = ZipFile.OpenRead(path);
                _ = archive.Entries.Count;
            }
            catch (InvalidDataException e)
            {
                throw new FeedDownloadException($"{feed.Url}: the download is not a whole zip archive (truncated or corrupt: {e.Message})", e);
            }
        }
        else if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                SkipJson(path);
            }
            catch (JsonException e)
            {
                throw new FeedDownloadException($"{feed.Url}: the download is not a whole JSON document (truncated or corrupt: {e.Message})", e);
            }
        }
    }

    /// <summary>
    /// Reads the file through <see cref="Utf8JsonReader"/> without building anything: it throws at the first syntax
    /// error, and at the end when the document is not closed. Memory stays at the size of the largest single token.
    /// </summary>
    internal static void SkipJson(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 256 });
        var kept = 0;
        var tokens = false;
        while (true)
        {
            if (kept == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = file.Read(buffer, kept, buffer.Length - kept);
            var length = kept + read;
            var final = read == 0;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), final, state);
            while (reader.Read())
            {
                tokens = true;
            }

            if (final)
            {
                if (!tokens)
                {
                    throw new JsonException("the file is empty");
                }

                return;
            }

            state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            kept = length - consumed;
            Array.Copy(buffer, consumed, buffer, 0, kept);
        }
    }
}
