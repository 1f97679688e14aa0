namespace Bulwark.Core.Text;

/// <summary>"Did you mean …?" for a mistyped name: the closest candidate by edit distance.</summary>
public static class Suggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="word"/> within <paramref name="maxDistance"/> edits (case-insensitive),
    /// the first in <paramref name="candidates"/>' order on a tie; null when none is that close.
    /// </summary>
    public static string? Closest(string word, IEnumerable<string> candidates, int maxDistance = 2)
    {
        var lower = word.ToLowerInvariant();
        string? best = null;
        var bestDistance = maxDistance + 1;
        foreach (var candidate in candidates)
        {
            var distance = Levenshtein(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>" (did you mean X?)", or empty when nothing is close: ready to append to a message.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates, int maxDistance = 2) =>
        Closest(word, candidates, maxDistance) is { } best ? $" (did you mean {best}?)" : string.Empty;

    /// <summary>Edit distance; words longer than 64 characters are never close (bounds the work on hostile input).</summary>
    public static int Levenshtein(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
