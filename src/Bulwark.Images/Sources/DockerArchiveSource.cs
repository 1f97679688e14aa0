using System.Text.Json;
using Bulwark.Images.Config;
using Bulwark.Images.Layers;
using Bulwark.Images.Storage;

namespace Bulwark.Images.Sources;

/// <summary>
/// A docker-archive (<c>docker save</c>, <c>podman save</c>, skopeo): <c>manifest.json</c>'s first image, its config
/// and its layers, each path followed literally (skopeo's <c>ID/layer.tar</c> links, Docker 25+'s
/// <c>blobs/sha256/…</c>). Docker 25+ archives whose manifest.json lost its layers (moby#47065) are read through the
/// OCI layout they also carry.
/// </summary>
internal static class DockerArchiveSource
{
    /// <summary>Reads the archive's metadata; takes ownership of <paramref name="files"/>.</summary>
    public static IImageSource Open(ImageReference reference, IImageFiles files, ImageReadOptions options)
    {
        var describe = reference.ToString();
        if (!files.Exists("manifest.json"))
        {
            return files.Exists("oci-layout")
                ? OciLayoutSource.Open(reference, files, options)
                : throw new ImageReadException($"{describe}: not a docker-archive (no manifest.json)");
        }

        using var manifest = ImageJson.Parse(ImageJson.ReadBytes(files, "manifest.json", options), files, "manifest.json");
        if (manifest.RootElement.ValueKind != JsonValueKind.Array || manifest.RootElement.GetArrayLength() == 0)
        {
            throw new ImageReadException($"{describe}: manifest.json lists no image");
        }

        // Several images can be saved in one archive; the first is read, as Trivy and Syft do.
        var image = manifest.RootElement[0];
        var configPath = ImageJson.String(image, "Config")
            ?? throw new ImageReadException($"{describe}: manifest.json names no Config");
        var configJson = ImageJson.ReadBytes(files, configPath, options, DigestOfName(configPath));
        var config = ImageConfigParser.Parse(configJson, describe);
        var layerPaths = ImageJson.StringItems(image, "Layers").Select(l => l ?? string.Empty).ToList();
        if (layerPaths.Count == 0 && config.DiffIds.Count > 0 && files.Exists("oci-layout"))
        {
            return OciLayoutSource.Open(reference, files, options);
        }

        if (layerPaths.Count != config.DiffIds.Count)
        {
            throw new ImageReadException($"{describe}: manifest.json lists {layerPaths.Count} layers but the config's rootfs has {config.DiffIds.Count} diff_ids");
        }

        var layers = new List<IImageLayer>();
        for (var i = 0; i < layerPaths.Count; i++)
        {
            var path = layerPaths[i];
            var info = new ImageLayerInfo(describe, i, layerPaths.Count, null, DigestOfName(path), config.DiffIds[i]);
            if (!files.Exists(path))
            {
                throw new ImageReadException($"{info}: {path} is not in the archive (or is a link leading outside it)");
            }

            info = info with { Size = files.SizeOf(path) };

            layers.Add(new BlobLayer(info, () => files.Open(path)));
        }

        var tags = ImageJson.StringItems(image, "RepoTags").OfType<string>().ToList();
        return new OpenedImage(reference, files, configJson, config, tags, layers);
    }

    /// <summary>
    /// The digest a content-addressed name promises (<c>blobs/sha256/HEX</c>, <c>HEX.json</c>); null for legacy names
    /// (<c>ID/layer.tar</c>), whose content the diff_id still checks. skopeo's <c>DIFFID.tar</c> is not taken as a
    /// blob digest: it is the diff_id, checked as such.
    /// </summary>
    private static string? DigestOfName(string path)
    {
        var name = Path.GetFileName(path);
        if (path.StartsWith("blobs/sha256/", StringComparison.Ordinal) && BlobDigest.IsSha256("sha256:" + name))
        {
            return "sha256:" + name;
        }

        return name.EndsWith(".json", StringComparison.Ordinal) && BlobDigest.IsSha256("sha256:" + name[..^5]) ? "sha256:" + name[..^5] : null;
    }
}
