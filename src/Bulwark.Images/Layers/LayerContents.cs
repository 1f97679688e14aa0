namespace Bulwark.Images.Layers;

/// <summary>
/// What one layer holds: its entries (whiteout markers taken out), the paths it deletes from lower layers, the
/// directories it makes opaque, what was odd but readable (a link pointing outside the root), and what the
/// analysers found in its files. This is what the layer cache stores per diff_id.
/// </summary>
public sealed record LayerContents(
    ImageLayerInfo Layer,
    IReadOnlyList<LayerEntry> Entries,
    IReadOnlyList<string> Whiteouts,
    IReadOnlyList<string> OpaqueDirectories,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<LayerFileResult> Results);
