namespace Bulwark.Images.Layers;

/// <summary>
/// One file of a layer, as the image sees it: <see cref="Path"/> is relative to the image root, normalised
/// (<c>usr/bin/env</c>; no leading slash, no <c>.</c> or <c>..</c>). <see cref="LinkTarget"/> is the symbolic link's
/// target as written, or a hard link's normalised path. Owner ids are null where the source does not carry them
/// (a <c>dir:</c> root filesystem).
/// </summary>
public sealed record LayerEntry(
    string Path,
    LayerEntryKind Kind,
    long Size,
    UnixFileMode Mode,
    int? Uid,
    int? Gid,
    string? LinkTarget,
    DateTimeOffset ModificationTime);
