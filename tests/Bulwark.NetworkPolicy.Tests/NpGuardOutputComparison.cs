using System.Text;

namespace Bulwark.NetworkPolicy.Tests;

/// <summary>Compares an output with np-guard's golden file: same lines in any order (per format, what "same" means).</summary>
internal static class NpGuardOutputComparison
{
    public static bool Equivalent(string format, string expected, string actual, out string difference)
    {
        var e = Normalize(format, expected);
        var a = Normalize(format, actual);
        var missing = e.Except(a, StringComparer.Ordinal).ToList();
        var extra = a.Except(e, StringComparer.Ordinal).ToList();
        var countsDiffer = e.Count != a.Count;
        if (missing.Count == 0 && extra.Count == 0 && !countsDiffer)
        {
            difference = string.Empty;
            return true;
        }

        var text = new StringBuilder();
        text.Append("missing (in np-guard's output, not ours):\n");
        foreach (var line in missing.Take(40))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        text.Append("extra (ours only):\n");
        foreach (var line in extra.Take(40))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        if (countsDiffer)
        {
            text.Append("line counts: expected ").Append(e.Count).Append(", actual ").Append(a.Count).Append('\n');
        }

        difference = text.ToString();
        return false;
    }

    private static List<string> Normalize(string format, string text)
    {
        var lines = NpGuardData.SortedLines(text);
        if (format == "json")
        {
            // One connection per object: compare objects, whatever the indentation.
            var objects = new List<string>();
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                objects.Add(string.Join("|", item.EnumerateObject().Select(p => p.Name + "=" + p.Value)));
            }

            objects.Sort(StringComparer.Ordinal);
            return objects;
        }

        return lines;
    }
}
