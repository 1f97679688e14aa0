using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// A registry that sends layer downloads to blob storage on another host, as Docker Hub, ECR and GCR do (the
/// distribution registry on a file system never redirects, so this one is a stand-in over plain HTTP): the redirect
/// is followed and the registry's credentials never reach the storage host.
/// </summary>
public sealed class RegistryRedirectTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly HttpListener _registry = new();
    private readonly HttpListener _storage = new();
    private readonly ConcurrentQueue<(string Server, string Path, string? Authorization)> _requests = new();
    private readonly OciLayoutWriter _layout;
    private readonly string _manifest;
    private readonly int _registryPort = LocalRegistry.FreePort();
    private readonly int _storagePort = LocalRegistry.FreePort();

    public RegistryRedirectTests()
    {
        _layout = new OciLayoutWriter(_temp["layout"]);
        var tar = new TarBuilder().File("etc/os-release", "ID=redirected\n").ToArray();
        _manifest = _layout.AddImage([(_layout.AddBlob(TarBuilder.Gzip(tar)), "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(tar))]);
        _registry.Prefixes.Add($"http://127.0.0.1:{_registryPort}/");
        _storage.Prefixes.Add($"http://127.0.0.1:{_storagePort}/");
        _registry.Start();
        _storage.Start();
        _ = Task.Run(() => ServeAsync(_registry, "registry", ServeRegistry));
        _ = Task.Run(() => ServeAsync(_storage, "storage", ServeStorage));
    }

    public void Dispose()
    {
        _registry.Close();
        _storage.Close();
        _temp.Dispose();
    }

    [Fact]
    public void A_layer_redirected_to_storage_is_read_without_the_registry_credentials()
    {
        var options = ImageReadOptions.Default with
        {
            Remote = new RemoteImageOptions { Insecure = true, Username = "me", Password = "secret", DockerConfigPath = _temp["none.json"] },
        };
        using var image = ImageSources.Open(ImageReference.Parse($"registry:127.0.0.1:{_registryPort}/team/app:1"), options);
        var analyzer = new RecordingAnalyzer("etc/os-release");

        ImageContents.Read(image, [analyzer], options);

        Assert.Equal("ID=redirected\n", analyzer.Contents[(0, "etc/os-release")]);
        Assert.Contains(_requests, r => r.Server == "storage");
        Assert.All(_requests.Where(r => r.Server == "storage"), r => Assert.Null(r.Authorization));
        Assert.Contains(_requests, r => r.Server == "registry" && r.Path.Contains("/manifests/", StringComparison.Ordinal) && r.Authorization is not null);
    }

    private void ServeRegistry(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (context.Request.Headers["Authorization"] is null)
        {
            context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"test\"");
            Respond(context, 401, "{}"u8.ToArray());
        }
        else if (path == "/v2/team/app/manifests/1")
        {
            context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
            Respond(context, 200, File.ReadAllBytes(_layout.BlobFile(_manifest)));
        }
        else if (path.StartsWith("/v2/team/app/blobs/", StringComparison.Ordinal))
        {
            var digest = path["/v2/team/app/blobs/".Length..];
            var isLayer = JsonNode.Parse(File.ReadAllText(_layout.BlobFile(_manifest)))!["layers"]![0]!["digest"]!.GetValue<string>() == digest;
            if (isLayer)
            {
                context.Response.Redirect($"http://127.0.0.1:{_storagePort}/bucket/{digest[7..]}?signature=abc");
                context.Response.StatusCode = 307;
                context.Response.Close();
            }
            else
            {
                Respond(context, 200, File.ReadAllBytes(_layout.BlobFile(digest)));
            }
        }
        else
        {
            Respond(context, 404, """{"errors":[{"code":"NAME_UNKNOWN"}]}"""u8.ToArray());
        }
    }

    private void ServeStorage(HttpListenerContext context)
    {
        var hex = context.Request.Url!.AbsolutePath["/bucket/".Length..];
        Respond(context, 200, File.ReadAllBytes(_layout.BlobFile("sha256:" + hex)));
    }

    private async Task ServeAsync(HttpListener listener, string name, Action<HttpListenerContext> serve)
    {
        while (listener.IsListening)
        {
            try
            {
                var context = await listener.GetContextAsync();
                _requests.Enqueue((name, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"]));
                serve(context);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                return;
            }
        }
    }

    private static void Respond(HttpListenerContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength64 = body.Length;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }
}
