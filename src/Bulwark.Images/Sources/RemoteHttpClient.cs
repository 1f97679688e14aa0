using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bulwark.Images.Sources;

/// <summary>
/// The one HTTPS client setup of every remote read (registries, vulnerability feeds): the system's trust plus the
/// CAs of <see cref="RemoteImageOptions.CaCertificateFile"/>, or no verification at all with
/// <see cref="RemoteImageOptions.Insecure"/>; a connect timeout; no automatic redirects, because each caller decides
/// where a redirect may lead (registries keep credentials from other hosts, feeds never drop from HTTPS to HTTP).
/// </summary>
internal static class RemoteHttpClient
{
    /// <summary>
    /// A client with no overall timeout (callers bound each request and stream themselves). An unreadable CA file is
    /// an <see cref="ImageReadException"/> whose message starts with <paramref name="describe"/>.
    /// </summary>
    public static HttpClient Create(RemoteImageOptions remote, string describe)
    {
        var extraRoots = ReadExtraRoots(remote, describe);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = remote.Timeout,
            AutomaticDecompression = DecompressionMethods.None,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusts(remote, extraRoots, certificate, errors);
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("bulwark", null));
        return http;
    }

    /// <summary>The exception's message, with what to do when it is a certificate the system does not trust.</summary>
    public static string Explain(HttpRequestException e, RemoteImageOptions remote)
    {
        var message = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
        return e.HttpRequestError == HttpRequestError.SecureConnectionError && !remote.Insecure
            ? message + "; a server with a private CA needs its certificate trusted (SSL_CERT_FILE, or --ca-cert), or --insecure to skip verification"
            : message;
    }

    private static X509Certificate2Collection? ReadExtraRoots(RemoteImageOptions remote, string describe)
    {
        if (remote.CaCertificateFile is not { } caFile)
        {
            return null;
        }

        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            return roots;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ImageReadException($"{describe}: cannot read the CA certificates in {caFile}: {e.Message}", e);
        }
    }

    private static bool Trusts(RemoteImageOptions remote, X509Certificate2Collection? extraRoots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (remote.Insecure || errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an unknown root may be forgiven by the extra CAs; a certificate for another name never is.
        if (extraRoots is null || errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
