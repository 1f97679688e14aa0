namespace Bulwark.Rules.Internal;

/// <summary>Lists in finding messages: the first few items, then how many more, so messages stay readable.</summary>
internal static class Listing
{
    public static string Join(IReadOnlyList<string> items, int shown = 3) =>
        items.Count <= shown ? string.Join(", ", items) : string.Join(", ", items.Take(shown)) + $" and {items.Count - shown} more";
}
