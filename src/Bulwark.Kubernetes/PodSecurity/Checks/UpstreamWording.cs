using System.Globalization;
using System.Text;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// The small text helpers upstream uses to build forbidden details, reproduced so that our messages match
/// the warnings <c>kubectl</c> prints character for character.
/// </summary>
internal static class UpstreamWording
{
    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary><c>"a", "b"</c>; the items are not escaped, exactly as upstream does it.</summary>
    public static string JoinQuote(IReadOnlyCollection<string> items) =>
        items.Count == 0 ? string.Empty : "\"" + string.Join("\", \"", items) + "\"";

    /// <summary>"container" or "containers" followed by the quoted names.</summary>
    public static string Containers(IReadOnlyCollection<string> names) =>
        Pluralize("container", "containers", names.Count) + " " + JoinQuote(names);

    /// <summary>Distinct values in Go's string order (byte order of UTF-8), like a Go string set's sorted list.</summary>
    public static List<string> SortedSet(IEnumerable<string> values)
    {
        var list = new List<string>(new HashSet<string>(values, StringComparer.Ordinal));
        list.Sort(GoStringOrder.Instance);
        return list;
    }

    public static List<string> Sorted(IEnumerable<string> values)
    {
        var list = new List<string>(values);
        list.Sort(GoStringOrder.Instance);
        return list;
    }

    /// <summary>A Go <c>%q</c> rendering of <paramref name="value"/> (strconv.Quote).</summary>
    public static string GoQuote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (IsGoPrintable(rune))
                    {
                        builder.Append(rune.ToString());
                    }
                    else if (rune.Value < ' ' || rune.Value == 0x7F)
                    {
                        builder.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (rune.Value <= 0xFFFF)
                    {
                        builder.Append("\\u").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append("\\U").Append(rune.Value.ToString("x8", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsGoPrintable(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation
                or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    /// <summary>
    /// Orders strings by Unicode code point, which is the byte order Go's sort.Strings gives UTF-8 text.
    /// Plain UTF-16 ordinal order differs only where surrogate pairs meet U+E000..U+FFFF.
    /// </summary>
    private sealed class GoStringOrder : IComparer<string>
    {
        public static readonly GoStringOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var length = Math.Min(x.Length, y.Length);
            for (var i = 0; i < length; i++)
            {
                if (x[i] != y[i])
                {
                    return Fix(x[i]) - Fix(y[i]);
                }
            }

            return x.Length - y.Length;
        }

        private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
    }
}
