namespace Bulwark.Images.Config;

/// <summary>One <c>history[]</c> entry; <see cref="Index"/> is its position, which findings point at.</summary>
public sealed record ImageHistoryEntry(int Index, string? Created, string? CreatedBy, string? Author, string? Comment, bool EmptyLayer);
