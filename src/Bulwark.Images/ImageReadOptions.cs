namespace Bulwark.Images;

/// <summary>What to read from an image and the bounds that keep a hostile image from exhausting time and memory.</summary>
public sealed record ImageReadOptions
{
    public static ImageReadOptions Default { get; } = new();

    /// <summary>The platform chosen from a multi-platform index (Trivy's and Syft's default is linux/amd64).</summary>
    public ImagePlatform Platform { get; init; } = ImagePlatform.Default;

    /// <summary>Largest decompressed size of one layer. The biggest real layers (CUDA, ML frameworks) are a few GiB.</summary>
    public long MaxLayerSize { get; init; } = 32L * 1024 * 1024 * 1024;

    /// <summary>
    /// Largest ratio of decompressed to compressed bytes of a layer, checked once <see cref="RatioCheckThreshold"/>
    /// bytes were decompressed: real layers compress 2–20×, a run of zeros 1000×; small layers of empty files
    /// legitimately have large ratios, hence the threshold.
    /// </summary>
    public long MaxCompressionRatio { get; init; } = 100;

    /// <summary>Decompressed bytes after which <see cref="MaxCompressionRatio"/> applies.</summary>
    public long RatioCheckThreshold { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Most entries one layer may list: every entry is held in memory until the merge, and a tar of empty headers
    /// compresses well enough to pass the ratio bound. The largest real layers (node_modules, ML frameworks) hold a
    /// few hundred thousand files.
    /// </summary>
    public int MaxLayerEntries { get; init; } = 4_000_000;

    /// <summary>Largest file an analyser is given to read; larger files are listed but never offered.</summary>
    public long MaxFileContentSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// How many layers are read at once. Each layer has its own stream, so layers parallelise cleanly; analysers must
    /// then be safe to call from several threads (they are handed the layer with each file).
    /// </summary>
    public int MaxParallelLayers { get; init; } = 1;

    /// <summary>Largest JSON document (manifest, index, config) read into memory.</summary>
    public int MaxMetadataSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Where what each layer holds is kept by diff_id, so a layer read once is not read again; null reads every layer.</summary>
    public Caching.LayerCache? Cache { get; init; }

    /// <summary>Told how far each layer is read (bytes of its stored blob), and when it is done or came from the cache.</summary>
    public IProgress<Layers.LayerProgress>? Progress { get; init; }

    /// <summary>How <c>docker:</c> and <c>registry:</c> images are reached (engine socket, credentials, TLS).</summary>
    public RemoteImageOptions Remote { get; init; } = RemoteImageOptions.Default;
}
