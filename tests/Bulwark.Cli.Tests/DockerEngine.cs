using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>
/// A real Docker Engine API (Podman's <c>podman system service</c> in CI) on a unix socket named by
/// <c>BULWARK_DOCKER_HOST</c> (<c>unix:///path</c>). Without it the tests that need it are skipped, unless
/// <c>BULWARK_REQUIRE_DOCKER=1</c> (set by .ci/run), where they fail.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    public const string ImageVariable = "BULWARK_DOCKER_IMAGE";

    private readonly HttpClient _http;
    private readonly List<string> _created = [];

    private DockerEngine(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/v1.41/") };
    }

    /// <summary>An image that exists in the engine (an empty one imported by .ci/run); containers are created, never started.</summary>
    public static string Image => Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } image ? image : "localhost/bulwark-empty:1";

    public static DockerEngine Connect()
    {
        var host = Environment.GetEnvironmentVariable("BULWARK_DOCKER_HOST");
        var required = Environment.GetEnvironmentVariable("BULWARK_REQUIRE_DOCKER") == "1";
        if (host is not { Length: > 0 } || !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            Assert.False(required, "BULWARK_REQUIRE_DOCKER=1 but BULWARK_DOCKER_HOST does not name a unix socket (unix:///path)");
            Skip.If(true, "no Docker Engine API: set BULWARK_DOCKER_HOST=unix:///path (e.g. from `podman system service`)");
        }

        return new DockerEngine(host!["unix://".Length..]);
    }

    /// <summary>Creates a container with the given create body and returns <c>docker inspect</c>'s JSON for it (an array, as the CLI prints).</summary>
    public async Task<string> CreateAndInspectAsync(string name, object body)
    {
        var response = await _http.PostAsJsonAsync($"containers/create?name={Uri.EscapeDataString(name)}", body);
        var created = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"create {name}: {(int)response.StatusCode} {created}");
        var id = JsonDocument.Parse(created).RootElement.GetProperty("Id").GetString()!;
        _created.Add(id);
        var inspect = await _http.GetStringAsync($"containers/{id}/json");
        return "[" + inspect + "]";
    }

    public void Dispose()
    {
        foreach (var id in _created)
        {
            try
            {
                _http.DeleteAsync($"containers/{id}?force=true").GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                // The engine went away; nothing is left to clean up.
            }
        }

        _http.Dispose();
    }
}
