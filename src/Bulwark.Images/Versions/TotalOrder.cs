namespace Bulwark.Images.Versions;

/// <summary>
/// How every version scheme turns its order into a total one over any strings, so that sorting or comparing a
/// stranger's string never fails: valid versions by the scheme, strings that are not versions before every version,
/// and among themselves ordinally. Results are -1, 0 or 1.
/// </summary>
internal static class TotalOrder
{
    public delegate bool Parser<T>(string? text, out T value);

    public static int Compare<T>(string a, string b, Parser<T> parse, Func<T, T, int> compare)
    {
        var validA = parse(a, out var va);
        var validB = parse(b, out var vb);
        return (validA, validB) switch
        {
            (true, true) => Math.Sign(compare(va, vb)),
            (false, false) => Math.Sign(string.CompareOrdinal(a, b)),
            (true, false) => 1,
            _ => -1,
        };
    }
}
