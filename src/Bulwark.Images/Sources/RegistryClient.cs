using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bulwark.Images.Sources;

/// <summary>
/// The OCI distribution API of one repository: manifests and blobs by digest, HTTPS unless the user asked for
/// <c>--insecure</c>, authenticated as registries ask (<c>WWW-Authenticate</c>: a bearer token from the realm, or
/// Basic). Redirects (to blob storage) are followed by hand so that the Authorization header never goes to another
/// host. Metadata is read within <see cref="ImageReadOptions.MaxMetadataSize"/> and checked against its digest.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    private const int MaxRedirects = 5;

    private readonly HttpClient _http;
    private readonly RegistryImageName _name;
    private readonly RemoteImageOptions _remote;
    private readonly ImageReadOptions _options;
    private readonly string _describe;
    private readonly RegistryCredentials _credentials;
    private readonly object _gate = new();
    private Uri? _base;
    private AuthenticationHeaderValue? _authorization;

    public RegistryClient(RegistryImageName name, ImageReadOptions options, string describe)
    {
        _name = name;
        _options = options;
        _remote = options.Remote;
        _describe = describe;
        _credentials = RegistryCredentials.For(name.Registry, _remote, describe);
        _http = RemoteHttpClient.Create(_remote, describe);
    }

    /// <summary>A manifest or index by tag or digest, with the digest of its bytes and its media type.</summary>
    public (byte[] Json, string Digest, string? MediaType) GetManifest(string reference)
    {
        var path = $"manifests/{reference}";
        using var cancel = new CancellationTokenSource(_remote.Timeout);
        using var response = Send(path, ImageManifests.AcceptedMediaTypes, cancel.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ImageReadException(
                $"{_describe}: {_name} is not in the registry at {_base!.Authority}: no manifest for {reference} ({HttpBodies.ErrorText(response, cancel.Token)})");
        }

        Check(response, path, cancel.Token);
        var json = HttpBodies.ReadBounded(response, _options.MaxMetadataSize, $"{_describe}: {path}", cancel.Token);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(json));
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && digest != reference)
        {
            throw new ImageReadException($"{_describe}: the manifest {reference} from the registry does not match its digest (read {digest})");
        }

        return (json, digest, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A small blob (the config), checked against its digest.</summary>
    public byte[] GetBlob(string digest)
    {
        var path = $"blobs/{digest}";
        using var cancel = new CancellationTokenSource(_remote.Timeout);
        using var response = Send(path, null, cancel.Token);
        Check(response, path, cancel.Token);
        var bytes = HttpBodies.ReadBounded(response, _options.MaxMetadataSize, $"{_describe}: {path}", cancel.Token);
        var read = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        return read == digest ? bytes : throw new ImageReadException($"{_describe}: the blob {digest} from the registry does not match its digest (read {read})");
    }

    /// <summary>A layer blob, streamed; the layer reader checks its digest as it reads.</summary>
    public Stream OpenBlob(string digest, string describeLayer)
    {
        var path = $"blobs/{digest}";
        HttpResponseMessage response;
        using (var cancel = new CancellationTokenSource(_remote.Timeout))
        {
            response = Send(path, null, cancel.Token);
            try
            {
                Check(response, path, cancel.Token);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        return new ResponseStream(new IdleTimeoutStream(response.Content.ReadAsStream(), _remote.Timeout, () => describeLayer), response);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends a GET to <c>/v2/REPOSITORY/PATH</c>, authenticating once when the registry asks.</summary>
    private HttpResponseMessage Send(string path, string[]? accept, CancellationToken cancellation)
    {
        var uri = new Uri(BaseUri(cancellation), $"/v2/{_name.Repository}/{path}");
        for (var attempt = 0; ; attempt++)
        {
            var response = SendFollowingRedirects(uri, accept, Authorization(), cancellation);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    var text = HttpBodies.ErrorText(response, cancellation);
                    response.Dispose();
                    throw Refused(text);
                }

                return response;
            }

            var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
            response.Dispose();
            Authenticate(challenge, cancellation);
        }
    }

    private ImageReadException Refused(string text) =>
        new(_credentials.Present
            ? $"{_describe}: 401 Unauthorized: the registry {_name.Host} refused the credentials of {_credentials.Username} (from {_credentials.Origin}) ({text})"
            : $"{_describe}: 401 Unauthorized: the registry {_name.Host} needs credentials and none were found for {_name.Registry} in {_credentials.Origin}"
                + (_credentials.Note is { } note ? $" ({note})" : string.Empty) + "; pass --username and --password-stdin");

    private AuthenticationHeaderValue? Authorization()
    {
        lock (_gate)
        {
            return _authorization;
        }
    }

    private void Authenticate(AuthenticationHeaderValue? challenge, CancellationToken cancellation)
    {
        if (challenge is null)
        {
            throw new ImageReadException($"{_describe}: 401 Unauthorized from {_name.Host}, with no WWW-Authenticate challenge to answer");
        }

        AuthenticationHeaderValue authorization;
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            authorization = BasicCredentials() ?? throw Refused("Basic authentication");
        }
        else if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            authorization = new AuthenticationHeaderValue("Bearer", FetchToken(ParseChallenge(challenge.Parameter ?? string.Empty), cancellation));
        }
        else
        {
            throw new ImageReadException($"{_describe}: the registry {_name.Host} asks for {challenge.Scheme} authentication, which Bulwark does not speak");
        }

        lock (_gate)
        {
            _authorization = authorization;
        }
    }

    private AuthenticationHeaderValue? BasicCredentials() =>
        _credentials.Present
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credentials.Username}:{_credentials.Password}")))
            : null;

    /// <summary>The token flow of the distribution spec: GET realm?service=…&amp;scope=…, with Basic credentials if any.</summary>
    private string FetchToken(Dictionary<string, string> challenge, CancellationToken cancellation)
    {
        if (!challenge.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri)
            || realmUri.Scheme is not ("https" or "http"))
        {
            throw new ImageReadException($"{_describe}: the registry {_name.Host} names no usable token realm in its challenge");
        }

        if (realmUri.Scheme == "http" && !_remote.Insecure)
        {
            throw new ImageReadException($"{_describe}: the registry's token realm {realm} is plain HTTP; credentials are not sent there without --insecure");
        }

        var query = new List<string>();
        if (challenge.TryGetValue("service", out var service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(challenge.TryGetValue("scope", out var scope) ? scope : $"repository:{_name.Repository}:pull"));
        var tokenUri = new UriBuilder(realmUri) { Query = (realmUri.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : string.Empty) + string.Join('&', query) }.Uri;
        using var response = SendFollowingRedirects(tokenUri, null, BasicCredentials(), cancellation);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw Refused($"token service {realmUri.Authority}: {(int)response.StatusCode} {HttpBodies.ErrorText(response, cancellation)}");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ImageReadException($"{_describe}: the token service {realmUri.Authority} answered {(int)response.StatusCode} {HttpBodies.ErrorText(response, cancellation)}");
        }

        var body = HttpBodies.ReadBounded(response, _options.MaxMetadataSize, $"{_describe}: token from {realmUri.Authority}", cancellation);
        try
        {
            using var json = JsonDocument.Parse(body);
            return ImageJson.String(json.RootElement, "token") is { Length: > 0 } token ? token
                : ImageJson.String(json.RootElement, "access_token") is { Length: > 0 } access ? access
                : throw new ImageReadException($"{_describe}: the token service {realmUri.Authority} returned no token");
        }
        catch (JsonException e)
        {
            throw new ImageReadException($"{_describe}: the token service {realmUri.Authority} returned no JSON: {e.Message}", e);
        }
    }

    /// <summary><c>realm="…",service="…",scope="…"</c>: quoted values may hold commas (<c>pull,push</c>).</summary>
    private static Dictionary<string, string> ParseChallenge(string parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && (parameters[i] == ',' || char.IsWhiteSpace(parameters[i])))
            {
                i++;
            }

            var equals = parameters.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = parameters[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < parameters.Length && parameters[i] == '"')
            {
                for (i++; i < parameters.Length && parameters[i] != '"'; i++)
                {
                    if (parameters[i] == '\\' && i + 1 < parameters.Length)
                    {
                        i++;
                    }

                    value.Append(parameters[i]);
                }

                i++;
            }
            else
            {
                for (; i < parameters.Length && parameters[i] != ','; i++)
                {
                    value.Append(parameters[i]);
                }
            }

            result[key] = value.ToString().Trim();
        }

        return result;
    }

    private HttpResponseMessage SendFollowingRedirects(Uri uri, string[]? accept, AuthenticationHeaderValue? authorization, CancellationToken cancellation)
    {
        var current = uri;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            foreach (var mediaType in accept ?? [])
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
            }

            // Blob storage (S3, a CDN) gets a signed URL and must never see the registry's credentials.
            if (authorization is not null && SameOrigin(current, uri))
            {
                request.Headers.Authorization = authorization;
            }

            HttpResponseMessage response;
            try
            {
                response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            }
            catch (HttpRequestException e)
            {
                throw new ImageReadException($"{_describe}: cannot reach {current.GetLeftPart(UriPartial.Authority)} ({RemoteHttpClient.Explain(e, _remote)})", e);
            }
            catch (OperationCanceledException e) when (cancellation.IsCancellationRequested)
            {
                throw new ImageReadException($"{_describe}: {current.GetLeftPart(UriPartial.Authority)} did not answer within {_remote.Timeout.TotalSeconds:0} s", e);
            }

            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                var next = new Uri(current, location);
                if (next.Scheme != "https" && !(next.Scheme == "http" && _remote.Insecure))
                {
                    throw new ImageReadException($"{_describe}: the registry redirects to {next.GetLeftPart(UriPartial.Authority)}, which is not HTTPS (allowed only with --insecure)");
                }

                current = next;
                continue;
            }

            return response;
        }

        throw new ImageReadException($"{_describe}: more than {MaxRedirects} redirects from {uri.GetLeftPart(UriPartial.Path)}");
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>
    /// https://HOST/ — or, with <c>--insecure</c>, whichever of HTTPS (unverified) and plain HTTP answers <c>/v2/</c>,
    /// as docker does for an insecure registry.
    /// </summary>
    private Uri BaseUri(CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (_base is not null)
            {
                return _base;
            }
        }

        var https = new Uri($"https://{_name.Host}/");
        var chosen = https;
        if (_remote.Insecure)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(https, "/v2/"));
                using var ping = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            }
            catch (HttpRequestException)
            {
                chosen = new Uri($"http://{_name.Host}/");
            }
        }

        lock (_gate)
        {
            _base = chosen;
            return _base;
        }
    }

    private void Check(HttpResponseMessage response, string path, CancellationToken cancellation)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new ImageReadException(
                $"{_describe}: the registry {_name.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {_name.Repository}/{path}: {HttpBodies.ErrorText(response, cancellation)}");
        }
    }
}
