using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Bulwark.Images.Tests;

/// <summary>
/// The token service a distribution registry with <c>auth: token</c> sends clients to: over HTTPS, it checks Basic
/// credentials and issues an RS256 JWT for the scope asked, signed with the key whose certificate (in the token's
/// <c>x5c</c> header) the registry trusts through its <c>rootcertbundle</c>. Counts what it was asked, so tests can
/// tell that the Bearer flow really ran.
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string Service = "bulwark-test-registry";
    public const string Issuer = "bulwark-test-issuer";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly RSA _key = RSA.Create();
    private readonly string _basic;
    private readonly CancellationTokenSource _stop = new();
    private int _granted;

    public TokenServer(string certificateFile, string keyFile, string user, string password)
    {
        _certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        _key.ImportFromPem(File.ReadAllText(keyFile));
        _basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        _listener.Start();
        Realm = $"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/token";
        _ = Task.Run(AcceptAsync);
    }

    public string Realm { get; }

    /// <summary>How many tokens were issued.</summary>
    public int Granted => Volatile.Read(ref _granted);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _key.Dispose();
        _certificate.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(_certificate);
                var head = await ReadHeadAsync(tls);
                var lines = head.Split("\r\n");
                var target = lines[0].Split(' ')[1];
                var authorization = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?[14..].Trim();
                var query = System.Web.HttpUtility.ParseQueryString(new Uri("https://x" + target).Query);
                if (authorization != _basic)
                {
                    await RespondAsync(tls, "401 Unauthorized", """{"details":"incorrect username or password"}""");
                    return;
                }

                Interlocked.Increment(ref _granted);
                await RespondAsync(tls, "200 OK", new JsonObject { ["token"] = Token(query["scope"]), ["expires_in"] = 300 }.ToJsonString());
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or IndexOutOfRangeException or UriFormatException)
        {
            // A client that went away or spoke nonsense gets nothing.
        }
    }

    private string Token(string? scope)
    {
        var access = new JsonArray();
        foreach (var item in (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(':');
            if (parts.Length == 3)
            {
                access.Add(new JsonObject
                {
                    ["type"] = parts[0],
                    ["name"] = parts[1],
                    ["actions"] = new JsonArray([.. parts[2].Split(',').Select(a => (JsonNode)JsonValue.Create(a))]),
                });
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = LocalRegistry.User,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signed = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16 * 1024 && await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. buffer]);
    }

    private static async Task RespondAsync(Stream stream, string status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }
}
