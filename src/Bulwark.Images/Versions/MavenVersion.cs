namespace Bulwark.Images.Versions;

/// <summary>
/// Maven's <c>ComparableVersion</c> order as Trivy (through go-mvn-version) has it — Maven 3.8's, with MNG-6964 but
/// without 3.9's MNG-7559 changes, so "2-1" &lt; "2.0.a" and "1-sp" &gt; "1" as the shared vectors pin: the
/// version splits at <c>.</c>, at <c>-</c> (which opens a nested list) and where digits meet letters (which does too);
/// numbers outrank words; the known words rank alpha &lt; beta &lt; milestone &lt; rc = cr &lt; snapshot &lt; "" = ga =
/// final = release &lt; sp &lt; any other word (those lexically); trailing zeros and empty words do not count. Every
/// string is a version, so there is no <c>TryParse</c>.
/// </summary>
public static class MavenVersion
{
    /// <summary>Only this much of a version is read: each <c>-</c> nests a level, and the comparison recurses on them.</summary>
    private const int MaxLength = 1024;

    private static readonly string[] Qualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

    private const int ReleaseRank = 5;

    private abstract record Item
    {
        public abstract bool IsNull { get; }
    }

    private sealed record NumberItem(string Digits) : Item
    {
        public override bool IsNull => Digits == "0";
    }

    private sealed record WordItem(string Word) : Item
    {
        public override bool IsNull => Rank(Word) == (ReleaseRank, string.Empty);
    }

    private sealed record ListItem(List<Item> Items) : Item
    {
        public override bool IsNull => Items.Count == 0;
    }

    public static int Compare(string a, string b) => Math.Sign(Compare(Parse(a ?? string.Empty), Parse(b ?? string.Empty)));

    private static ListItem Parse(string text)
    {
        var version = (text.Length > MaxLength ? text[..MaxLength] : text).ToLowerInvariant();
        var root = new ListItem([]);
        var list = root;
        var lists = new List<ListItem> { root };
        var isDigit = false;
        var start = 0;

        void Nest()
        {
            var inner = new ListItem([]);
            list.Items.Add(inner);
            list = inner;
            lists.Add(inner);
        }

        for (var i = 0; i < version.Length; i++)
        {
            var c = version[i];
            if (c is '.' or '-')
            {
                list.Items.Add(i == start ? new NumberItem("0") : Read(isDigit, version[start..i], followedByDigit: false));
                start = i + 1;
                if (c == '-')
                {
                    Nest();
                }
            }
            else if (char.IsAsciiDigit(c))
            {
                if (!isDigit && i > start)
                {
                    list.Items.Add(Read(false, version[start..i], followedByDigit: true));
                    start = i;
                    Nest();
                }

                isDigit = true;
            }
            else
            {
                if (isDigit && i > start)
                {
                    list.Items.Add(Read(true, version[start..i], followedByDigit: false));
                    start = i;
                    Nest();
                }

                isDigit = false;
            }
        }

        if (version.Length > start)
        {
            list.Items.Add(Read(isDigit, version[start..], followedByDigit: false));
        }

        // Innermost first, as Maven normalises: trailing null items go, and a list emptied so becomes null itself.
        for (var i = lists.Count - 1; i >= 0; i--)
        {
            Normalize(lists[i]);
        }

        return root;
    }

    private static Item Read(bool digits, string text, bool followedByDigit)
    {
        if (digits)
        {
            var trimmed = text.TrimStart('0');
            return new NumberItem(trimmed.Length == 0 ? "0" : trimmed);
        }

        // "a1", "b2", "m3" abbreviate alpha, beta and milestone only when a number follows.
        var word = followedByDigit && text.Length == 1
            ? text switch { "a" => "alpha", "b" => "beta", "m" => "milestone", _ => text }
            : text;
        return new WordItem(word switch { "ga" or "final" or "release" => string.Empty, "cr" => "rc", _ => word });
    }

    private static void Normalize(ListItem list)
    {
        for (var i = list.Items.Count - 1; i >= 0; i--)
        {
            if (list.Items[i].IsNull)
            {
                list.Items.RemoveAt(i);
            }
            else if (list.Items[i] is not ListItem)
            {
                break;
            }
        }
    }

    private static (int Rank, string Word) Rank(string word)
    {
        var index = Array.IndexOf(Qualifiers, word);
        return index >= 0 ? (index, string.Empty) : (Qualifiers.Length, word);
    }

    private static int CompareRanks((int Rank, string Word) a, (int Rank, string Word) b) =>
        a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : string.CompareOrdinal(a.Word, b.Word);

    /// <summary>Maven's <c>Item.compareTo</c>; a null <paramref name="b"/> stands for a missing item.</summary>
    private static int Compare(Item a, Item? b) => a switch
    {
        NumberItem n => b switch
        {
            null => n.IsNull ? 0 : 1,
            NumberItem m => Pep440Version.CompareNumbers(n.Digits, m.Digits),
            _ => 1,
        },
        WordItem w => b switch
        {
            null => CompareRanks(Rank(w.Word), (ReleaseRank, string.Empty)),
            WordItem v => CompareRanks(Rank(w.Word), Rank(v.Word)),
            _ => -1,
        },
        ListItem l => b switch
        {
            // Every item against nothing, not just the first (MNG-6964): 1-0.3 > 1.
            null => l.Items.Select(i => Compare(i, null)).FirstOrDefault(c => c != 0),
            NumberItem => -1,
            WordItem => 1,
            ListItem m => CompareLists(l, m),
            _ => 0,
        },
        _ => 0,
    };

    private static int CompareLists(ListItem a, ListItem b)
    {
        for (var i = 0; i < Math.Max(a.Items.Count, b.Items.Count); i++)
        {
            var result = i >= a.Items.Count ? -Compare(b.Items[i], null)
                : Compare(a.Items[i], i < b.Items.Count ? b.Items[i] : null);
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }
}
