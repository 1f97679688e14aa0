namespace Bulwark.Images.Versions;

/// <summary>
/// RPM versions, <c>[epoch:]version[-release]</c>, ordered as rpm orders them: epoch, then <see cref="CompareSegment"/>
/// (rpm's <c>rpmvercmp</c>, rpm 4.15 and later with <c>^</c>) on the version, then on the release.
/// </summary>
/// <remarks>
/// RPM has no version syntax to validate (rpm accepts any non-empty string), so there is no <c>TryParse</c>: every
/// string has a place in the order and <see cref="Compare"/> never throws. The epoch is the leading digits when a
/// <c>:</c> follows them (absent or empty means 0); the release is what follows the last <c>-</c> after it, as in rpm's
/// <c>rpmverParse</c>. When the epochs and versions are equal, a version without a release is older than any with one
/// (even <c>1.0-</c> or <c>1.0-~1</c>), as rpm 4.18's <c>rpm.vercmp</c> has it.
/// </remarks>
public static class RpmVersion
{
    /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, zero when equal, positive when newer.</summary>
    public static int Compare(string? a, string? b)
    {
        var hasReleaseA = Split(a ?? string.Empty, out var epochA, out var versionA, out var releaseA);
        var hasReleaseB = Split(b ?? string.Empty, out var epochB, out var versionB, out var releaseB);
        var result = Rpmvercmp(epochA, epochB);
        if (result == 0)
        {
            result = Rpmvercmp(versionA, versionB);
        }

        if (result != 0 || hasReleaseA != hasReleaseB)
        {
            return result != 0 ? result : hasReleaseA ? 1 : -1;
        }

        return Rpmvercmp(releaseA, releaseB);
    }

    /// <summary>rpm's <c>rpmvercmp</c> on one version or release string, without splitting off an epoch or release.</summary>
    public static int CompareSegment(string? a, string? b) => Rpmvercmp(a ?? string.Empty, b ?? string.Empty);

    /// <summary>Whether there is a release.</summary>
    private static bool Split(string evr, out ReadOnlySpan<char> epoch, out ReadOnlySpan<char> version, out ReadOnlySpan<char> release)
    {
        var text = evr.AsSpan();
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        var hyphen = text[digits..].LastIndexOf('-');
        var versionEnd = hyphen >= 0 ? digits + hyphen : text.Length;
        release = hyphen >= 0 ? text[(versionEnd + 1)..] : [];
        if (digits < text.Length && text[digits] == ':')
        {
            epoch = digits > 0 ? text[..digits] : "0".AsSpan();
            version = text[(digits + 1)..versionEnd];
        }
        else
        {
            epoch = "0";
            version = text[..versionEnd];
        }

        return hyphen >= 0;
    }

    private static int Rpmvercmp(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && IsSeparator(a[i]))
            {
                i++;
            }

            while (j < b.Length && IsSeparator(b[j]))
            {
                j++;
            }

            var endA = i == a.Length;
            var endB = j == b.Length;

            // A tilde sorts before everything, the end of the string included.
            if ((!endA && a[i] == '~') || (!endB && b[j] == '~'))
            {
                if (endA || a[i] != '~')
                {
                    return 1;
                }

                if (endB || b[j] != '~')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            // A caret sorts after the end of the string but before everything else.
            if ((!endA && a[i] == '^') || (!endB && b[j] == '^'))
            {
                if (endA)
                {
                    return -1;
                }

                if (endB)
                {
                    return 1;
                }

                if (a[i] != '^')
                {
                    return 1;
                }

                if (b[j] != '^')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (endA || endB)
            {
                break;
            }

            var numeric = char.IsAsciiDigit(a[i]);
            var startA = i;
            var startB = j;
            while (i < a.Length && (numeric ? char.IsAsciiDigit(a[i]) : char.IsAsciiLetter(a[i])))
            {
                i++;
            }

            while (j < b.Length && (numeric ? char.IsAsciiDigit(b[j]) : char.IsAsciiLetter(b[j])))
            {
                j++;
            }

            // Segments of different kinds: a number is newer than letters.
            if (startB == j)
            {
                return numeric ? 1 : -1;
            }

            var segmentA = a[startA..i];
            var segmentB = b[startB..j];
            if (numeric)
            {
                segmentA = segmentA.TrimStart('0');
                segmentB = segmentB.TrimStart('0');
                if (segmentA.Length != segmentB.Length)
                {
                    return segmentA.Length > segmentB.Length ? 1 : -1;
                }
            }

            var order = segmentA.SequenceCompareTo(segmentB);
            if (order != 0)
            {
                return order < 0 ? -1 : 1;
            }
        }

        var doneA = i >= a.Length;
        var doneB = j >= b.Length;
        return doneA && doneB ? 0 : doneA ? -1 : 1;
    }

    /// <summary>rpm skips everything but ASCII letters, digits, <c>~</c> and <c>^</c> between segments.</summary>
    private static bool IsSeparator(char c) => !char.IsAsciiLetterOrDigit(c) && c is not ('~' or '^');
}
