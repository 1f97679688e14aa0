using Bulwark.Images.Layers;

namespace Bulwark.Images.Merging;

/// <summary>A file of the final image: its entry as the topmost layer that has it wrote it, and that layer's index.</summary>
public sealed record MergedFile(LayerEntry Entry, int LayerIndex);
