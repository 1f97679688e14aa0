using System.Text.Json;
using Bulwark.Images.Config;

namespace Bulwark.Images.Sources;

/// <summary>
/// Chooses an image from an index (OCI image index or Docker manifest list) the way engines do: nested indexes
/// followed, attestation manifests skipped, the manifest for the requested platform taken; then reads its config and
/// checks that its layers match the config's diff_ids. Shared by OCI layouts and registries, which differ only in
/// where a digest is fetched from (<see cref="IManifestStore"/>).
/// </summary>
internal static class ImageManifests
{
    private const int MaxIndexDepth = 8;
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>Every media type accepted for a manifest or index, as a registry's Accept header lists them.</summary>
    public static readonly string[] AcceptedMediaTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

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

    /// <summary>Whether a document is an index rather than an image manifest (by its mediaType, else its shape).</summary>
    public static bool IsIndex(JsonElement document) =>
        ImageJson.String(document, "mediaType") is { } mediaType
            ? IndexMediaTypes.Contains(mediaType)
            : document.ValueKind == JsonValueKind.Object && document.TryGetProperty("manifests", out _);

    /// <summary>Chooses from an index's manifests the one for <see cref="ImageReadOptions.Platform"/>.</summary>
    public static SelectedImage SelectFromIndex(JsonElement index, IManifestStore store, ImageReadOptions options)
    {
        var candidates = new List<Candidate>();
        Collect(store, index, options, depth: 0, [], candidates);
        if (candidates.Count == 0)
        {
            throw new ImageReadException($"{store.Describe}: the index lists no image manifest");
        }

        return Select(candidates, store, options);
    }

    /// <summary>The image of a single manifest (no index), still checked against the requested platform.</summary>
    public static SelectedImage FromManifest(string digest, IManifestStore store, ImageReadOptions options) =>
        Select([new Candidate(digest, null, [])], store, options);

    private static SelectedImage Select(List<Candidate> candidates, IManifestStore store, ImageReadOptions options)
    {
        var describe = store.Describe;
        var seen = new List<string>();
        foreach (var candidate in candidates)
        {
            var manifestJson = store.ReadManifest(candidate.Digest);
            using var manifest = ImageJson.Parse(manifestJson, $"{describe}: {store.Locate(candidate.Digest)}");
            var configDigest = ImageJson.String(manifest.RootElement.TryGetProperty("config", out var c) ? c : default, "digest");
            var configJson = store.ReadBlob(configDigest);
            var config = ImageConfigParser.Parse(configJson, describe);
            // A descriptor's platform is a hint; without one (single-image layouts) the config says what it is.
            var platform = candidate.Platform
                ?? new ImagePlatform(config.OperatingSystem ?? "unknown", config.Architecture ?? "unknown", config.Variant);
            if (!options.Platform.Accepts(platform))
            {
                seen.Add(platform.ToString());
                continue;
            }

            var layers = ImageJson.Array(manifest.RootElement, "layers")
                .Select(l => new LayerDescriptor(ImageJson.String(l, "digest"), ImageJson.String(l, "mediaType")))
                .ToList();
            if (layers.Count != config.DiffIds.Count)
            {
                throw new ImageReadException($"{describe}: the manifest lists {layers.Count} layers but the config's rootfs has {config.DiffIds.Count} diff_ids");
            }

            return new SelectedImage(configJson, config, candidate.Tags, layers);
        }

        throw new ImageReadException(
            $"{describe}: no image for platform {options.Platform} (the image has {string.Join(", ", seen.Distinct(StringComparer.Ordinal))}); choose one with --platform");
    }

    /// <summary>Gathers image manifests; a nested index's tag (ref.name on the index's descriptor) passes to its manifests.</summary>
    private static void Collect(IManifestStore store, JsonElement index, ImageReadOptions options, int depth, IReadOnlyList<string> inheritedTags, List<Candidate> candidates)
    {
        if (depth > MaxIndexDepth)
        {
            throw new ImageReadException($"{store.Describe}: image indexes nested more than {MaxIndexDepth} deep");
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
                using var nested = ImageJson.Parse(store.ReadManifest(digest), $"{store.Describe}: {store.Locate(digest)}");
                Collect(store, nested.RootElement, options, depth + 1, tags, candidates);
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

    private sealed record Candidate(string? Digest, ImagePlatform? Platform, IReadOnlyList<string> Tags);
}

/// <summary>The image chosen from a manifest or index: its config and its layers' blobs, bottom first.</summary>
internal sealed record SelectedImage(byte[] ConfigJson, ImageConfig Config, IReadOnlyList<string> Tags, IReadOnlyList<LayerDescriptor> Layers);

/// <summary>A layer's blob as the manifest describes it; the digest is not yet checked to be well formed.</summary>
internal sealed record LayerDescriptor(string? Digest, string? MediaType);
