using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>
/// A feed mirror on loopback, over plain HTTP or TLS, written on a bare socket so that it can misbehave the way real
/// servers and networks do: announce more bytes than it sends, send no Content-Length and close early, redirect. One
/// request per connection (<c>Connection: close</c>). Every request path is recorded.
/// </summary>
public sealed class FeedServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentDictionary<string, Reply> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopped = new();

    public FeedServer(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>The server's root URL, ending with a slash.</summary>
    public Uri Base => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>What the server answers for one path.</summary>
    /// <param name="Status">The HTTP status.</param>
    /// <param name="Body">The body as it should be.</param>
    /// <param name="Sent">How many bytes of the body are actually sent before the connection closes (all when null).</param>
    /// <param name="ContentLength">The announced length: the body's own when null, none at all when negative.</param>
    /// <param name="Location">A redirect's target.</param>
    /// <param name="Stall">Whether the server then goes silent, keeping the connection open, instead of closing it.</param>
    public sealed record Reply(int Status, byte[] Body, int? Sent = null, long? ContentLength = null, Uri? Location = null, bool Stall = false)
    {
        public static Reply Ok(byte[] body) => new(200, body);

        public static Reply Redirect(Uri location) => new(302, [], Location: location);
    }

    public Uri Serve(string path, Reply reply)
    {
        _routes[path] = reply;
        return new Uri(Base, path);
    }

    public Uri Serve(string path, byte[] body) => Serve(path, Reply.Ok(body));

    public void Dispose()
    {
        _stopped.Cancel();
        _listener.Stop();
        _stopped.Dispose();
    }

    /// <summary>A self-signed certificate for 127.0.0.1 that may act as its own CA (for <c>--ca-cert</c>).</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bulwark feed mirror", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        // SslStream on Linux serves a certificate whose key came through PKCS#12, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }

                var path = await ReadRequestPathAsync(stream);
                Requests.Enqueue(path);
                var reply = _routes.TryGetValue(path, out var found) ? found : new Reply(404, Encoding.UTF8.GetBytes("no such feed file\n"));
                var head = new StringBuilder($"HTTP/1.1 {reply.Status} {Reason(reply.Status)}\r\nConnection: close\r\n");
                var length = reply.ContentLength ?? reply.Body.Length;
                if (length >= 0)
                {
                    head.Append($"Content-Length: {length}\r\n");
                }

                if (reply.Location is not null)
                {
                    head.Append($"Location: {reply.Location}\r\n");
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
                await stream.WriteAsync(reply.Body.AsMemory(0, reply.Sent ?? reply.Body.Length));
                await stream.FlushAsync();
                if (reply.Stall)
                {
                    await Task.Delay(TimeSpan.FromMinutes(2), _stopped.Token);
                }

                if (stream is SslStream ssl)
                {
                    await ssl.ShutdownAsync();
                }
            }
            catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException or ObjectDisposedException)
            {
                // A client that refuses the certificate or hangs up early: nothing to answer.
            }
        }
    }

    private static async Task<string> ReadRequestPathAsync(Stream stream)
    {
        var received = new List<byte>();
        var one = new byte[1];
        while (received.Count < 16384 && !(received.Count >= 4 && received[^4] == '\r' && received[^3] == '\n' && received[^2] == '\r' && received[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("the client closed the connection before its request was complete");
            }

            received.Add(one[0]);
        }

        var requestLine = Encoding.ASCII.GetString([.. received]).Split("\r\n")[0].Split(' ');
        return requestLine.Length > 1 ? requestLine[1] : "/";
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
