using Bulwark.Images.Layers;
using Bulwark.Images.Storage;

namespace Bulwark.Images.Sources;

/// <summary>
/// An OCI image layout (a folder, or the tree inside an oci-archive or a Docker 25+ save): <c>index.json</c>, the
/// image for the requested platform chosen by <see cref="ImageManifests"/>, every blob checked against its digest.
/// </summary>
internal static class OciLayoutSource
{
    /// <summary>Reads the layout's metadata; takes ownership of <paramref name="files"/>.</summary>
    public static IImageSource Open(ImageReference reference, IImageFiles files, ImageReadOptions options)
    {
        var describe = reference.ToString();
        if (!files.Exists("oci-layout"))
        {
            throw new ImageReadException($"{describe}: not an OCI image layout (no oci-layout file)");
        }

        var store = new LayoutStore(describe, files, options);
        SelectedImage image;
        using (var index = ImageJson.Parse(ImageJson.ReadBytes(files, "index.json", options), files, "index.json"))
        {
            image = ImageManifests.SelectFromIndex(index.RootElement, store, options);
        }

        var layers = new List<IImageLayer>();
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var digest = image.Layers[i].Digest;
            var path = BlobDigest.BlobPath(digest, describe);
            var info = new ImageLayerInfo(describe, i, image.Layers.Count, image.Layers[i].MediaType, digest, image.Config.DiffIds[i]);
            if (!files.Exists(path))
            {
                throw new ImageReadException($"{info}: the blob {path} is missing (or links outside the layout)");
            }

            info = info with { Size = files.SizeOf(path) };

            layers.Add(new BlobLayer(info, () => files.Open(path)));
        }

        return new OpenedImage(reference, files, image.ConfigJson, image.Config, image.Tags, layers);
    }

    /// <summary>A layout's blobs, <c>blobs/sha256/HEX</c>, each checked against its digest.</summary>
    private sealed class LayoutStore(string describe, IImageFiles files, ImageReadOptions options) : IManifestStore
    {
        public string Describe => describe;

        public byte[] ReadManifest(string? digest) => ReadBlob(digest);

        public byte[] ReadBlob(string? digest) => ImageJson.ReadBytes(files, BlobDigest.BlobPath(digest, describe), options, digest);

        public string Locate(string? digest) => BlobDigest.BlobPath(digest, describe);
    }
}
