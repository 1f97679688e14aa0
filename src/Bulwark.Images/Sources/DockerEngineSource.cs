using System.Buffers;
using Bulwark.Images.Config;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Sources;

/// <summary>
/// An image in a running Docker or Podman engine (<c>docker:NAME</c>). Opening asks the engine for the image's
/// inspect (small JSON); its layers come from one streamed export (<c>GET /images/ID/get</c>, a
/// docker-archive), read as it passes and never written to disk (<see cref="EngineExport"/>).
/// </summary>
/// <remarks>
/// The config is the image's own, taken from the export when it passes (its digest checked against the image id),
/// not rebuilt from inspect: podman's inspect leaves Healthcheck out, and the engines' history endpoint gives
/// timestamps to the second and no <c>empty_layer</c>. Exports put the config after the layers (podman) or where
/// its digest sorts (Docker), so <see cref="Config"/> read after the layers costs nothing more, while read before
/// them it may cost a second export (see <see cref="EngineExport"/>): read the layers first.
/// </remarks>
internal sealed class DockerEngineSource : IImageSource
{
    /// <summary>Engine names go into a URL path: a name is only what a reference may hold, never <c>..</c> or <c>?</c>.</summary>
    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@");

    private readonly EngineExport _export;
    private readonly Lazy<(byte[] Json, ImageConfig Config)> _config;

    private DockerEngineSource(ImageReference reference, IReadOnlyList<string> tags, EngineExport export, IReadOnlyList<string?> diffIds)
    {
        Reference = reference;
        Tags = tags;
        _export = export;
        Layers = [.. export.Layers.Select(info => new EngineLayer(info, export))];
        _config = new(() =>
        {
            var json = export.ConfigJson();
            var config = ImageConfigParser.Parse(json, reference.ToString());
            return config.DiffIds.SequenceEqual(diffIds, StringComparer.Ordinal)
                ? (json, config)
                : throw new ImageReadException($"{reference}: the exported config's diff_ids differ from the engine's inspect (RootFS.Layers)");
        });
    }

    public ImageReference Reference { get; }

    /// <summary>The image's config from the export; reading it before the layers may cost a second export.</summary>
    public ReadOnlyMemory<byte>? ConfigJson => _config.Value.Json;

    /// <summary>The image's config from the export; throws <see cref="ImageReadException"/> when the export breaks off.</summary>
    public ImageConfig? Config => _config.Value.Config;

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<IImageLayer> Layers { get; }

    public static DockerEngineSource Open(ImageReference reference, ImageReadOptions options)
    {
        var describe = reference.ToString();
        var name = reference.Location;
        if (name.AsSpan().ContainsAnyExcept(NameCharacters) || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/'))
        {
            throw new ImageReadException($"{describe}: \"{name}\" is not an image name or id");
        }

        var engine = new DockerEngineClient(options.Remote, describe);
        try
        {
            var inspectJson = engine.GetJson($"images/{name}/json", options.MaxMetadataSize, describe)
                ?? throw new ImageReadException($"{describe}: no such image in the engine at DOCKER_HOST={engine.Host} (pull or build it first, or read registry:{name})");
            using var inspect = ImageJson.Parse(inspectJson, $"{describe}: the engine's inspect");
            var root = inspect.RootElement;
            var id = ImageJson.String(root, "Id");
            var diffIds = root.TryGetProperty("RootFS", out var rootFs) ? ImageJson.StringItems(rootFs, "Layers") : [];
            if (!BlobDigest.IsSha256(id) || diffIds.Count == 0 || diffIds.Any(d => !BlobDigest.IsSha256(d)))
            {
                throw new ImageReadException($"{describe}: the engine's inspect gives no sha256 image id or layer diff_ids (RootFS.Layers)");
            }

            var tags = ImageJson.StringItems(root, "RepoTags").OfType<string>().ToList();
            var export = new EngineExport(engine, name, describe, id!, [.. diffIds.OfType<string>()], options);
            return new DockerEngineSource(reference, tags, export, diffIds);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public void Dispose() => _export.Dispose();

    /// <summary>A layer read from the engine's export; see <see cref="EngineExport"/> for why reads share one stream.</summary>
    private sealed class EngineLayer(ImageLayerInfo info, EngineExport export) : IImageLayer
    {
        public ImageLayerInfo Info => info;

        public LayerContents Read(IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
        {
            ArgumentNullException.ThrowIfNull(analyzers);
            ArgumentNullException.ThrowIfNull(options);
            return export.Read(info.Index, analyzers, options);
        }
    }
}
