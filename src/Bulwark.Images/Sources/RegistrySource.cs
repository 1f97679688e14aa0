using Bulwark.Images.Config;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Sources;

/// <summary>
/// An image pulled over the OCI distribution API (<c>registry:NAME</c>): the manifest or index (the image for the
/// requested platform chosen by <see cref="ImageManifests"/>), the config blob, and each layer blob streamed from its
/// HTTP response when the layer is read, its digest and diff_id checked as it passes. Nothing is written to disk.
/// </summary>
internal sealed class RegistrySource : IImageSource
{
    private readonly RegistryClient _client;

    private RegistrySource(ImageReference reference, RegistryClient client, SelectedImage image, IReadOnlyList<string> tags, IReadOnlyList<IImageLayer> layers)
    {
        Reference = reference;
        _client = client;
        ConfigJson = image.ConfigJson;
        Config = image.Config;
        Tags = tags;
        Layers = layers;
    }

    public ImageReference Reference { get; }

    public ReadOnlyMemory<byte>? ConfigJson { get; }

    public ImageConfig? Config { get; }

    /// <summary>The fully qualified name pulled (<c>docker.io/library/nginx:latest</c>), then any ref.name annotations.</summary>
    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<IImageLayer> Layers { get; }

    public static RegistrySource Open(ImageReference reference, ImageReadOptions options)
    {
        var describe = reference.ToString();
        if (!RegistryImageName.TryParse(reference.Location, out var name, out var problem))
        {
            throw new ImageReadException($"{describe}: {problem}");
        }

        var client = new RegistryClient(name, options, describe);
        try
        {
            var store = new RegistryStore(describe, name, client);
            var (json, digest, _) = client.GetManifest(name.Reference);
            store.Remember(digest, json);
            SelectedImage image;
            using (var top = ImageJson.Parse(json, $"{describe}: manifest {name.Reference}"))
            {
                if (top.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && top.RootElement.TryGetProperty("schemaVersion", out var version) && version.ValueKind == System.Text.Json.JsonValueKind.Number && version.GetInt32() == 1)
                {
                    throw new ImageReadException($"{describe}: the registry serves a Docker schema 1 manifest, a format retired in 2019 that Bulwark does not read");
                }

                image = ImageManifests.IsIndex(top.RootElement)
                    ? ImageManifests.SelectFromIndex(top.RootElement, store, options)
                    : ImageManifests.FromManifest(digest, store, options);
            }

            var layers = new List<IImageLayer>();
            for (var i = 0; i < image.Layers.Count; i++)
            {
                var layerDigest = image.Layers[i].Digest;
                var info = new ImageLayerInfo(describe, i, image.Layers.Count, image.Layers[i].MediaType, layerDigest, image.Config.DiffIds[i]);
                if (!BlobDigest.IsSha256(layerDigest))
                {
                    throw new ImageReadException($"{info}: unsupported or malformed digest \"{layerDigest}\" (only sha256:<64 lowercase hex> is read)");
                }

                layers.Add(new BlobLayer(info, () => client.OpenBlob(layerDigest!, info.ToString())));
            }

            return new RegistrySource(reference, client, image, [name.ToString(), .. image.Tags], layers);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A repository's manifests and blobs by digest; the manifest already fetched by tag is not fetched again.</summary>
    private sealed class RegistryStore(string describe, RegistryImageName name, RegistryClient client) : IManifestStore
    {
        private readonly Dictionary<string, byte[]> _fetched = new(StringComparer.Ordinal);

        public string Describe => describe;

        public void Remember(string digest, byte[] json) => _fetched[digest] = json;

        public byte[] ReadManifest(string? digest) =>
            _fetched.TryGetValue(Checked(digest), out var json) ? json : client.GetManifest(digest!).Json;

        public byte[] ReadBlob(string? digest) => client.GetBlob(Checked(digest));

        public string Locate(string? digest) => $"{name.Host}/v2/{name.Repository}/…/{digest}";

        private string Checked(string? digest) =>
            BlobDigest.IsSha256(digest) ? digest! : throw new ImageReadException($"{describe}: unsupported or malformed digest \"{digest}\" (only sha256:<64 lowercase hex> is read)");
    }
}
