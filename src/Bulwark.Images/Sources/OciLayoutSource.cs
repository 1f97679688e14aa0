using System.Text.Json;
using Bulwark.Images.Config;
using Bulwark.Images.Layers;
using Bulwark.Images.Storage;

namespace Bulwark.Images.Sources;

/// <summary>
/// An OCI image layout (a folder, or the tree inside an oci-archive or a Docker 25+ save): <c>index.json</c>, nested
/// indexes followed, the manifest for the requested platform chosen (attestation manifests skipped), every blob
/// checked against its digest.
/// </summary>
internal sealed class OciLayoutSource : IImageSource
{
    private const int MaxIndexDepth = 8;
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private static readonly HashSet<string> IndexMediaTypes = new(StringComparer.Ordinal)
    {
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    };

    private static readonly HashSet<string> ManifestMediaTypes = new(StringComparer.Ordinal)
    {
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    };

    private readonly IImageFiles _files;

    private OciLayoutSource(ImageReference reference, IImageFiles files, byte[] configJson, ImageConfig config, IReadOnlyList<string> tags, IReadOnlyList<IImageLayer> layers)
    {
        Reference = reference;
        _files = files;
        ConfigJson = configJson;
        Config = config;
        Tags = tags;
        Layers = layers;
    }

    public ImageReference Reference { get; }

    public ReadOnlyMemory<byte>? ConfigJson { get; }

    public ImageConfig? Config { get; }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<IImageLayer> Layers { get; }

    /// <summary>Reads the layout's metadata; takes ownership of <paramref name="files"/>.</summary>
    public static OciLayoutSource Open(ImageReference reference, IImageFiles files, ImageReadOptions options)
    {
        var describe = reference.ToString();
        if (!files.Exists("oci-layout"))
        {
            throw new ImageReadException($"{describe}: not an OCI image layout (no oci-layout file)");
        }

        var candidates = new List<Candidate>();
        using (var index = ImageJson.Parse(ImageJson.ReadBytes(files, "index.json", options), files, "index.json"))
        {
            Collect(files, index.RootElement, options, describe, depth: 0, [], candidates);
        }

        if (candidates.Count == 0)
        {
            throw new ImageReadException($"{describe}: the layout's index lists no image manifest");
        }

        var seen = new List<string>();
        foreach (var candidate in candidates)
        {
            var manifestPath = BlobDigest.BlobPath(candidate.Digest, describe);
            var manifestJson = ImageJson.ReadBytes(files, manifestPath, options, candidate.Digest);
            using var manifest = ImageJson.Parse(manifestJson, files, manifestPath);
            var configDigest = ImageJson.String(manifest.RootElement.TryGetProperty("config", out var c) ? c : default, "digest");
            var configPath = BlobDigest.BlobPath(configDigest, describe);
            var configJson = ImageJson.ReadBytes(files, configPath, options, configDigest);
            var config = ImageConfigParser.Parse(configJson, describe);
            // A descriptor's platform is a hint; without one (single-image layouts) the config says what it is.
            var platform = candidate.Platform
                ?? new ImagePlatform(config.OperatingSystem ?? "unknown", config.Architecture ?? "unknown", config.Variant);
            if (!options.Platform.Accepts(platform))
            {
                seen.Add(platform.ToString());
                continue;
            }

            var layers = ReadLayers(files, manifest.RootElement, config, describe);
            return new OciLayoutSource(reference, files, configJson, config, candidate.Tags, layers);
        }

        throw new ImageReadException(
            $"{describe}: no image for platform {options.Platform} (the image has {string.Join(", ", seen.Distinct(StringComparer.Ordinal))}); choose one with --platform");
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Gathers image manifests; a nested index's tag (ref.name on the index's descriptor) passes to its manifests.</summary>
    private static void Collect(IImageFiles files, JsonElement index, ImageReadOptions options, string describe, int depth, IReadOnlyList<string> inheritedTags, List<Candidate> candidates)
    {
        if (depth > MaxIndexDepth)
        {
            throw new ImageReadException($"{describe}: image indexes nested more than {MaxIndexDepth} deep");
        }

        foreach (var descriptor in ImageJson.Array(index, "manifests"))
        {
            var mediaType = ImageJson.String(descriptor, "mediaType");
            var digest = ImageJson.String(descriptor, "digest");
            var annotations = descriptor.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            if (ImageJson.String(annotations, "vnd.docker.reference.type") == "attestation-manifest")
            {
                continue;
            }

            var platform = Platform(descriptor);
            if (platform is { OperatingSystem: "unknown" })
            {
                // buildx attaches provenance and SBOM attestations as unknown/unknown manifests.
                continue;
            }

            var tags = ImageJson.String(annotations, RefNameAnnotation) is { } tag ? [tag] : inheritedTags;
            if (mediaType is not null && IndexMediaTypes.Contains(mediaType))
            {
                var path = BlobDigest.BlobPath(digest, describe);
                using var nested = ImageJson.Parse(ImageJson.ReadBytes(files, path, options, digest), files, path);
                Collect(files, nested.RootElement, options, describe, depth + 1, tags, candidates);
                continue;
            }

            // Old writers leave mediaType out; anything else (signatures, artifacts) is not an image.
            if (mediaType is null || ManifestMediaTypes.Contains(mediaType))
            {
                candidates.Add(new Candidate(digest, platform, tags));
            }
        }
    }

    private static ImagePlatform? Platform(JsonElement descriptor)
    {
        if (!descriptor.TryGetProperty("platform", out var platform) || platform.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var os = ImageJson.String(platform, "os");
        var architecture = ImageJson.String(platform, "architecture");
        return os is null || architecture is null ? null : new ImagePlatform(os, architecture, ImageJson.String(platform, "variant"));
    }

    private static List<IImageLayer> ReadLayers(IImageFiles files, JsonElement manifest, ImageConfig config, string describe)
    {
        var descriptors = ImageJson.Array(manifest, "layers").ToList();
        if (descriptors.Count != config.DiffIds.Count)
        {
            throw new ImageReadException($"{describe}: the manifest lists {descriptors.Count} layers but the config's rootfs has {config.DiffIds.Count} diff_ids");
        }

        var layers = new List<IImageLayer>();
        for (var i = 0; i < descriptors.Count; i++)
        {
            var digest = ImageJson.String(descriptors[i], "digest");
            var path = BlobDigest.BlobPath(digest, describe);
            var info = new ImageLayerInfo(describe, i, descriptors.Count, ImageJson.String(descriptors[i], "mediaType"), digest, config.DiffIds[i]);
            if (!files.Exists(path))
            {
                throw new ImageReadException($"{info}: the blob {path} is missing (or links outside the layout)");
            }

            info = info with { Size = files.SizeOf(path) };

            layers.Add(new BlobLayer(info, () => files.Open(path)));
        }

        return layers;
    }

    private sealed record Candidate(string? Digest, ImagePlatform? Platform, IReadOnlyList<string> Tags);
}
