using System.Globalization;
using System.Text;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>Go's <c>strconv.Quote</c>, which BuildKit's AST dump uses for every string.</summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        Append(sb, s);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            int rune = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                rune = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                rune = 0xFFFD;
            }

            AppendRune(sb, rune);
        }

        sb.Append('"');
    }

    private static void AppendRune(StringBuilder sb, int rune)
    {
        switch (rune)
        {
            case '"':
                sb.Append("\\\"");
                return;
            case '\\':
                sb.Append("\\\\");
                return;
            case '\a':
                sb.Append("\\a");
                return;
            case '\b':
                sb.Append("\\b");
                return;
            case '\f':
                sb.Append("\\f");
                return;
            case '\n':
                sb.Append("\\n");
                return;
            case '\r':
                sb.Append("\\r");
                return;
            case '\t':
                sb.Append("\\t");
                return;
            case '\v':
                sb.Append("\\v");
                return;
        }

        if (IsPrint(rune))
        {
            sb.Append(char.ConvertFromUtf32(rune));
        }
        else if (rune < ' ' || rune == 0x7F)
        {
            sb.Append("\\x").Append(rune.ToString("x2", CultureInfo.InvariantCulture));
        }
        else if (rune < 0x10000)
        {
            sb.Append("\\u").Append(rune.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(rune.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(int rune)
    {
        if (rune == ' ')
        {
            return true;
        }

        if (rune < 0x20 || rune == 0x7F)
        {
            return false;
        }

        var category = Rune.GetUnicodeCategory(new Rune(rune));
        return category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }
}
