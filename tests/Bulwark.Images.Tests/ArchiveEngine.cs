using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Bulwark.Images.Tests;

/// <summary>
/// A Docker Engine API stand-in on <c>tcp://127.0.0.1:PORT</c> whose export of the one image it has is a given
/// docker-archive, byte for byte: the layouts of exports podman does not write (Docker ≤24's <c>ID/layer.tar</c>,
/// Docker 25+'s OCI-in-tar) are real files from <see cref="RealImages"/>, served as an engine would stream them.
/// Inspect is derived from the archive (the config's digest as Id, its diff_ids as RootFS.Layers). Counts exports.
/// </summary>
public sealed class ArchiveEngine : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _archive;
    private readonly string _name;
    private readonly string _inspect;
    private readonly string _id;
    private int _exports;

    /// <param name="archive">The docker-archive inspect describes.</param>
    /// <param name="name">The name the engine knows the image by.</param>
    /// <param name="export">What the export streams instead of <paramref name="archive"/> (a broken copy), if anything.</param>
    public ArchiveEngine(string archive, string name, string? export = null)
    {
        _archive = export ?? archive;
        _name = name;
        var config = ReadConfig(archive);
        _id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
        var diffIds = JsonNode.Parse(config)!["rootfs"]!["diff_ids"]!.AsArray().Select(d => (JsonNode)JsonValue.Create((string)d!)).ToArray();
        _inspect = new JsonObject
        {
            ["Id"] = _id,
            ["RepoTags"] = new JsonArray(name),
            ["RootFS"] = new JsonObject { ["Type"] = "layers", ["Layers"] = new JsonArray(diffIds) },
        }.ToJsonString();
        var port = LocalRegistry.FreePort();
        Host = $"tcp://127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Host { get; }

    /// <summary>How many times the image was exported.</summary>
    public int Exports => Volatile.Read(ref _exports);

    public ImageReadOptions Options => ImageReadOptions.Default with { Remote = new RemoteImageOptions { DockerHost = Host } };

    public void Dispose() => _listener.Close();

    private static byte[] ReadConfig(string archive)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var reader = new TarReader(File.OpenRead(archive)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is { Length: < 1 << 20 } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    files[entry.Name.TrimStart('.', '/')] = copy.ToArray();
                }
            }
        }

        return files[(string)JsonNode.Parse(files["manifest.json"])![0]!["Config"]!];
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                var path = context.Request.Url!.AbsolutePath;
                if (path == $"/images/{_name}/json")
                {
                    await WriteAsync(context.Response, 200, System.Text.Encoding.UTF8.GetBytes(_inspect));
                }
                else if (path == $"/images/{_id[7..]}/get")
                {
                    Interlocked.Increment(ref _exports);
                    context.Response.SendChunked = true;
                    await using var file = File.OpenRead(_archive);
                    await file.CopyToAsync(context.Response.OutputStream);
                    context.Response.Close();
                }
                else
                {
                    await WriteAsync(context.Response, 404, """{"message":"No such image"}"""u8.ToArray());
                }
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client stopped reading: nothing to answer.
            }
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}
