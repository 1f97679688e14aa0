using System.Net;
using System.Net.Sockets;

namespace Bulwark.Images.Sources;

/// <summary>
/// The Docker Engine API (served by Docker and by <c>podman system service</c>) over <c>DOCKER_HOST</c>: a unix
/// socket or plain TCP, spoken with HttpClient rather than a Docker client library. Paths are unversioned, so the
/// engine answers in its own current API version (Docker 29 refuses versions before 1.44).
/// </summary>
internal sealed class DockerEngineClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public DockerEngineClient(RemoteImageOptions options, string describe)
    {
        Host = options.EffectiveDockerHost;
        _timeout = options.Timeout;
        var handler = new SocketsHttpHandler { ConnectTimeout = options.Timeout, AllowAutoRedirect = false, UseProxy = false };
        Uri baseAddress;
        if (Host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = Host["unix://".Length..];
            handler.ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellation).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://docker/");
        }
        else if (Host.StartsWith("tcp://", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is { Length: > 0 })
        {
            handler.Dispose();
            throw new ImageReadException($"{describe}: DOCKER_HOST={Host} with DOCKER_TLS_VERIFY set: engines behind TLS client certificates are not read; use the engine's unix socket, or `docker save -o FILE` and docker-archive:FILE");
        }
        else if (Host.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate("http://" + Host["tcp://".Length..].TrimEnd('/') + "/", UriKind.Absolute, out var tcp))
        {
            baseAddress = tcp;
        }
        else
        {
            handler.Dispose();
            throw new ImageReadException($"{describe}: DOCKER_HOST={Host} is not supported: use unix:///path/to/docker.sock or tcp://host:port (ssh:// and TLS-protected engines are not read)");
        }

        // The export of a large image takes minutes: the time limit is per read (IdleTimeoutStream), not per request.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The engine address used, for messages.</summary>
    public string Host { get; }

    /// <summary>A small JSON document (inspect, history); null when the engine answers 404.</summary>
    public byte[]? GetJson(string path, int maxSize, string describe)
    {
        using var cancel = new CancellationTokenSource(_timeout);
        using var response = Send(path, describe, cancel.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Check(response, describe, cancel.Token);
        return HttpBodies.ReadBounded(response, maxSize, describe, cancel.Token);
    }

    /// <summary>A streamed response body (the image export); each read must arrive within the timeout.</summary>
    public Stream OpenStream(string path, string describe)
    {
        using var cancel = new CancellationTokenSource(_timeout);
        var response = Send(path, describe, cancel.Token);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ImageReadException($"{describe}: the engine at {Host} no longer has the image ({HttpBodies.ErrorText(response, cancel.Token)})");
            }

            Check(response, describe, cancel.Token);
            return new ResponseStream(new IdleTimeoutStream(response.Content.ReadAsStream(), _timeout, () => describe), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpResponseMessage Send(string path, string describe, CancellationToken cancellation)
    {
        try
        {
            return _http.Send(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new ImageReadException(
                $"{describe}: cannot reach a Docker or Podman engine at DOCKER_HOST={Host} ({e.InnerException?.Message ?? e.Message}); start one (e.g. `podman system service`) or set DOCKER_HOST", e);
        }
        catch (OperationCanceledException e) when (cancellation.IsCancellationRequested)
        {
            throw new ImageReadException($"{describe}: the engine at DOCKER_HOST={Host} did not answer within {_timeout.TotalSeconds:0} s", e);
        }
    }

    private void Check(HttpResponseMessage response, string describe, CancellationToken cancellation)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new ImageReadException(
                $"{describe}: the engine at DOCKER_HOST={Host} answered {(int)response.StatusCode} {response.ReasonPhrase}: {HttpBodies.ErrorText(response, cancellation)}");
        }
    }
}
