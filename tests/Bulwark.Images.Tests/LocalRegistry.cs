using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Images.Tests;

/// <summary>
/// Real registries on loopback for <c>registry:</c> tests, from Debian's <c>docker-registry</c> (the distribution
/// registry): one over TLS (a self-signed certificate made with openssl) with htpasswd users, answering Basic
/// challenges; one over TLS whose tokens come from <see cref="TokenServer"/>, answering Bearer challenges; one over
/// plain HTTP without auth, for <c>--insecure</c>. Images are pushed with skopeo.
/// </summary>
public sealed class LocalRegistry : IDisposable
{
    public const string User = "bulwark";
    public const string Password = "s3cret-Pa55";

    private readonly TempFolder _temp = new();
    private readonly List<Process> _registries = [];
    private readonly Exception? _startError;

    public LocalRegistry()
    {
        MissingTools = ImageTools.Missing("docker-registry", "openssl", "htpasswd", "skopeo", "umoci");
        if (MissingTools.Count > 0)
        {
            return;
        }

        try
        {
            ImageTools.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", _temp["key.pem"], "-out", CertificateFile,
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
            File.WriteAllText(_temp["htpasswd"], ImageTools.Run("htpasswd", "-Bbn", User, Password));
            BasicHost = Start("basic", tls: true, $"""
                  htpasswd:
                    realm: bulwark-test
                    path: {_temp["htpasswd"]}
                """);
            Tokens = new TokenServer(CertificateFile, _temp["key.pem"], User, Password);
            BearerHost = Start("bearer", tls: true, $"""
                  token:
                    realm: {Tokens.Realm}
                    service: {TokenServer.Service}
                    issuer: {TokenServer.Issuer}
                    rootcertbundle: {CertificateFile}
                """);
            PlainHost = Start("plain", tls: false, auth: null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or SocketException)
        {
            _startError = e;
        }
    }

    public IReadOnlyList<string> MissingTools { get; }

    /// <summary>The self-signed certificate the TLS registries serve: the CA a client must trust.</summary>
    public string CertificateFile => _temp["cert.pem"];

    /// <summary><c>127.0.0.1:PORT</c> of the registry with htpasswd users (Basic).</summary>
    public string BasicHost { get; } = string.Empty;

    /// <summary><c>127.0.0.1:PORT</c> of the registry with token auth (Bearer).</summary>
    public string BearerHost { get; } = string.Empty;

    /// <summary><c>127.0.0.1:PORT</c> of the plain-HTTP registry without auth.</summary>
    public string PlainHost { get; } = string.Empty;

    public TokenServer? Tokens { get; }

    public TempFolder Temp => _temp;

    public void Require()
    {
        ImageTools.Require(MissingTools, "docker-registry openssl apache2-utils skopeo umoci");
        if (_startError is not null)
        {
            throw new InvalidOperationException("starting the test registries failed: " + _startError.Message, _startError);
        }
    }

    /// <summary>Pushes an OCI layout's image (<c>PATH:TAG</c>) to <c>HOST/REPOSITORY:TAG</c>.</summary>
    public void Push(string layoutImage, string host, string repositoryTag, bool all = false)
    {
        var arguments = new List<string> { "copy", "-q", "--dest-tls-verify=false" };
        if (host != PlainHost)
        {
            arguments.AddRange(["--dest-creds", $"{User}:{Password}"]);
        }

        if (all)
        {
            arguments.Add("--all");
        }

        arguments.AddRange(["oci:" + layoutImage, $"docker://{host}/{repositoryTag}"]);
        ImageTools.Run("skopeo", [.. arguments]);
    }

    public void Dispose()
    {
        foreach (var registry in _registries)
        {
            if (!registry.HasExited)
            {
                registry.Kill(entireProcessTree: true);
                registry.WaitForExit(10_000);
            }

            registry.Dispose();
        }

        Tokens?.Dispose();
        _temp.Dispose();
    }

    private string Start(string name, bool tls, string? auth)
    {
        var port = FreePort();
        var config = $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {_temp[name + "-data"]}
            http:
              addr: 127.0.0.1:{port}
              secret: bulwark-test-{name}
            """;
        if (tls)
        {
            config += $"""

                  tls:
                    certificate: {CertificateFile}
                    key: {_temp["key.pem"]}
                """;
        }

        if (auth is not null)
        {
            config += "\nauth:\n" + auth;
        }

        File.WriteAllText(_temp[name + ".yml"], config + "\n");
        var start = new ProcessStartInfo("docker-registry") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(_temp[name + ".yml"]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        _registries.Add(process);
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return $"127.0.0.1:{port}";
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            catch (SocketException)
            {
                lock (log)
                {
                    throw new InvalidOperationException($"docker-registry ({name}) did not listen on port {port}: {log}");
                }
            }
        }
    }

    /// <summary>A port free now; the registry binds it a moment later (a race no test on loopback has lost in practice).</summary>
    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
