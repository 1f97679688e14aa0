namespace Bulwark.Images.Layers;

/// <summary>
/// What one layer holds: its entries (whiteout markers taken out), the paths it deletes from lower layers, the
/// directories it makes opaque, and what was odd but readable (a link pointing outside the root).
/// </summary>
public sealed record LayerContents(
    ImageLayerInfo Layer,
    IReadOnlyList<LayerEntry> Entries,
    IReadOnlyList<string> Whiteouts,
    IReadOnlyList<string> OpaqueDirectories,
    IReadOnlyList<string> Warnings);
