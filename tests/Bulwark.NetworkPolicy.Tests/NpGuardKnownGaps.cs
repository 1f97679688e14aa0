namespace Bulwark.NetworkPolicy.Tests;

/// <summary>
/// np-guard conformance rows Bulwark knowingly does not reproduce yet, each with the reason. A row listed here is
/// still run and must still differ, so the list cannot go stale.
/// </summary>
internal static class NpGuardKnownGaps
{
    public static readonly Dictionary<string, string> Connlist = new(StringComparer.Ordinal)
    {
    };

    public static readonly Dictionary<string, string> Diff = new(StringComparer.Ordinal)
    {
    };

    public static readonly Dictionary<string, string> Explain = new(StringComparer.Ordinal)
    {
    };
}
