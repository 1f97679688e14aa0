namespace Bulwark.Images.Config;

/// <summary>
/// The parts of an image's config (OCI image-spec config.md, Docker's image JSON) that security rules and the layer
/// reader need. Absent fields are null or empty, never guessed.
/// </summary>
public sealed record ImageConfig
{
    public string? OperatingSystem { get; init; }

    public string? Architecture { get; init; }

    public string? Variant { get; init; }

    public string? Created { get; init; }

    /// <summary><c>config.User</c> as written: empty or absent means root.</summary>
    public string? User { get; init; }

    /// <summary><c>config.Env</c> entries as written (<c>NAME=value</c>).</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary><c>config.ExposedPorts</c> keys, e.g. <c>22/tcp</c>.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<string> Volumes { get; init; } = [];

    public string? StopSignal { get; init; }

    /// <summary><c>config.Healthcheck</c> (Docker only); null when the image declares none.</summary>
    public ImageHealthcheck? Healthcheck { get; init; }

    public IReadOnlyList<ImageHistoryEntry> History { get; init; } = [];

    /// <summary><c>rootfs.diff_ids</c>: the sha256 of each uncompressed layer, bottom first.</summary>
    public IReadOnlyList<string> DiffIds { get; init; } = [];

    /// <summary>
    /// The history entry that created layer <paramref name="layerIndex"/>: the k-th entry without
    /// <c>empty_layer</c>, or null when the history does not go that far.
    /// </summary>
    public ImageHistoryEntry? HistoryOfLayer(int layerIndex)
    {
        var seen = 0;
        foreach (var entry in History)
        {
            if (entry.EmptyLayer)
            {
                continue;
            }

            if (seen++ == layerIndex)
            {
                return entry;
            }
        }

        return null;
    }
}
