namespace Bulwark.Images.Versions;

/// <summary>
/// Debian package versions, <c>[epoch:]upstream[-revision]</c>, ordered as dpkg orders them (Debian Policy 5.6.12,
/// dpkg's <c>verrevcmp</c>).
/// </summary>
/// <remarks>
/// <see cref="Compare"/> accepts any string and never throws: versions dpkg would reject still get the order dpkg
/// gives them after splitting (apt compares such versions too, and advisories contain a few). A prefix before the first
/// <c>:</c> counts as an epoch only when it is all digits; otherwise the string has epoch 0. <see cref="TryParse"/> is
/// dpkg's own validation, for callers that want to reject what dpkg rejects.
/// </remarks>
public static class DpkgVersion
{
    /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, zero when dpkg deems them equal, positive when newer.</summary>
    public static int Compare(string? a, string? b)
    {
        Split((a ?? string.Empty).Trim(), out var epochA, out var upstreamA, out var revisionA);
        Split((b ?? string.Empty).Trim(), out var epochB, out var upstreamB, out var revisionB);
        var result = CompareNumbers(epochA, epochB);
        if (result == 0)
        {
            result = CompareFragment(upstreamA, upstreamB);
        }

        if (result == 0)
        {
            result = CompareFragment(revisionA, revisionB);
        }

        return Math.Sign(result);
    }

    /// <summary>
    /// Splits and validates a version as dpkg's <c>parseversion</c> does, surrounding white space ignored. False for
    /// what dpkg rejects with an error (empty, embedded space, bad or too large epoch, empty upstream) and for what it
    /// warns about (upstream not starting with a digit, characters outside <c>[A-Za-z0-9.+~-:]</c> in the upstream
    /// version or <c>[A-Za-z0-9.+~]</c> in the revision).
    /// </summary>
    public static bool TryParse(string? text, out int epoch, out string upstream, out string revision)
    {
        epoch = 0;
        upstream = string.Empty;
        revision = string.Empty;
        var version = (text ?? string.Empty).Trim();
        if (version.Length == 0 || version.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var rest = version.AsSpan();
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var epochText = rest[..colon];
            if (epochText.Length == 0 || !IsAllDigits(epochText) || !int.TryParse(epochText, out epoch) || colon == version.Length - 1)
            {
                epoch = 0;
                return false;
            }

            rest = rest[(colon + 1)..];
        }

        var hyphen = rest.LastIndexOf('-');
        var upstreamSpan = hyphen >= 0 ? rest[..hyphen] : rest;
        var revisionSpan = hyphen >= 0 ? rest[(hyphen + 1)..] : [];
        if (upstreamSpan.Length == 0 || !char.IsAsciiDigit(upstreamSpan[0]))
        {
            epoch = 0;
            return false;
        }

        foreach (var c in upstreamSpan)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '+' or '~' or ':'))
            {
                epoch = 0;
                return false;
            }
        }

        foreach (var c in revisionSpan)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~'))
            {
                epoch = 0;
                return false;
            }
        }

        upstream = upstreamSpan.ToString();
        revision = revisionSpan.ToString();
        return true;
    }

    private static void Split(string version, out ReadOnlySpan<char> epoch, out ReadOnlySpan<char> upstream, out ReadOnlySpan<char> revision)
    {
        var rest = version.AsSpan();
        epoch = [];
        var colon = rest.IndexOf(':');
        if (colon > 0 && IsAllDigits(rest[..colon]))
        {
            epoch = rest[..colon];
            rest = rest[(colon + 1)..];
        }

        var hyphen = rest.LastIndexOf('-');
        upstream = hyphen >= 0 ? rest[..hyphen] : rest;
        revision = hyphen >= 0 ? rest[(hyphen + 1)..] : [];
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Digit strings by value, of any length (versions carry 40-digit dates and hashes): no overflow.</summary>
    private static int CompareNumbers(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }

    /// <summary>dpkg's <c>verrevcmp</c>: alternating non-digit runs (by <see cref="Order"/>) and digit runs (by value).</summary>
    private static int CompareFragment(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var orderA = i < a.Length ? Order(a[i]) : 0;
                var orderB = j < b.Length ? Order(b[j]) : 0;
                if (orderA != orderB)
                {
                    return orderA - orderB;
                }

                // Equal orders mean both are the same non-digit character, so neither index is at its end here.
                i++;
                j++;
            }

            var startA = i;
            while (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                i++;
            }

            var startB = j;
            while (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                j++;
            }

            var numbers = CompareNumbers(a[startA..i], b[startB..j]);
            if (numbers != 0)
            {
                return numbers;
            }
        }

        return 0;
    }

    /// <summary>
    /// The weight of a character in a non-digit run (a digit there weighs as the end of the run): <c>~</c> before the end of the string, the end before letters, letters before
    /// everything else. Characters dpkg never sees (non-ASCII) weigh as "everything else", so the order stays total.
    /// </summary>
    private static int Order(char c) => c switch
    {
        '~' => -1,
        _ when char.IsAsciiDigit(c) => 0,
        _ when char.IsAsciiLetter(c) => c,
        _ => c + 256,
    };
}
