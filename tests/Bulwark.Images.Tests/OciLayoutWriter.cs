using System.Text;
using System.Text.Json.Nodes;

namespace Bulwark.Images.Tests;

/// <summary>
/// Writes an OCI image layout folder from layer blobs, computing digests the way a registry client would, so a
/// test can then spoil exactly one thing (a digest, a layer) and see that error alone.
/// </summary>
public sealed class OciLayoutWriter
{
    public OciLayoutWriter(string root)
    {
        Root = root;
        System.IO.Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        System.IO.File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public string Root { get; }

    public string AddBlob(byte[] data)
    {
        var digest = TarBuilder.Sha256(data);
        System.IO.File.WriteAllBytes(BlobFile(digest), data);
        return digest;
    }

    public string BlobFile(string digest) => Path.Combine(Root, "blobs", "sha256", digest[7..]);

    /// <summary>A manifest with these layers (blob, media type, diff_id) and a config; returns the manifest's digest.</summary>
    public string AddImage(IReadOnlyList<(string Digest, string MediaType, string DiffId)> layers, string os = "linux", string architecture = "amd64", JsonObject? containerConfig = null)
    {
        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = os,
            ["config"] = containerConfig ?? new JsonObject(),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. layers.Select(l => (JsonNode)JsonValue.Create(l.DiffId))]) },
        };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configDigest = AddBlob(configBytes);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = configBytes.Length },
            ["layers"] = new JsonArray([.. layers.Select(l => (JsonNode)new JsonObject { ["mediaType"] = l.MediaType, ["digest"] = l.Digest, ["size"] = new FileInfo(BlobFile(l.Digest)).Length })]),
        };
        return AddBlob(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    /// <summary>A single-image layout of gzip layers, each given as an uncompressed tar.</summary>
    public void SingleImage(params byte[][] tars)
    {
        var layers = tars.Select(t => (AddBlob(TarBuilder.Gzip(t)), "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(t))).ToList();
        WriteIndex(Descriptor(AddImage(layers), platform: null));
    }

    public static JsonObject Descriptor(string digest, string? platform, string mediaType = "application/vnd.oci.image.manifest.v1+json", JsonObject? annotations = null)
    {
        var descriptor = new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = 1 };
        if (platform is not null)
        {
            var parts = platform.Split('/');
            descriptor["platform"] = new JsonObject { ["os"] = parts[0], ["architecture"] = parts[1] };
        }

        if (annotations is not null)
        {
            descriptor["annotations"] = annotations;
        }

        return descriptor;
    }

    public string AddIndex(params JsonObject[] descriptors) =>
        AddBlob(Encoding.UTF8.GetBytes(IndexJson(descriptors)));

    public void WriteIndex(params JsonObject[] descriptors) =>
        System.IO.File.WriteAllText(Path.Combine(Root, "index.json"), IndexJson(descriptors));

    private static string IndexJson(JsonObject[] descriptors) => new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = "application/vnd.oci.image.index.v1+json",
        ["manifests"] = new JsonArray([.. descriptors]),
    }.ToJsonString();
}
