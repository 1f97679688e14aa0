using Bulwark.Images.Versions;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class MavenVersionTests
{
    private static string[] Lines(string file) =>
        [.. File.ReadAllLines(RepositoryPaths.InShared("conformance", "versions", "maven", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))];

    public static TheoryData<string, int> AscendingPositions()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in new[] { "qualifier-ascending.txt", "number-ascending.txt" })
        {
            for (var i = 0; i < Lines(file).Length; i++)
            {
                data.Add(file, i);
            }
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(AscendingPositions))]
    public void Ascending_lists_are_strictly_ascending(string file, int position)
    {
        var list = Lines(file);
        for (var other = 0; other < list.Length; other++)
        {
            Assert.Equal(Math.Sign(position.CompareTo(other)), MavenVersion.Compare(list[position], list[other]));
        }
    }

    public static TheoryData<string, string, string> Pairs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var fields in Lines("pairs.tsv").Select(l => l.Split('\t')))
        {
            data.Add(fields[0], fields[1], fields[2]);
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(Pairs))]
    public void Pairs_compare_as_stated(string a, string op, string b)
    {
        var expected = op switch { "<" => -1, ">" => 1, _ => 0 };
        Assert.Equal(expected, MavenVersion.Compare(a, b));
        Assert.Equal(-expected, MavenVersion.Compare(b, a));
    }

    [Fact]
    public void Hostile_strings_never_throw_and_order_is_antisymmetric()
    {
        var text = Gen.String[Gen.Char["0123456789.-abmrcspg "], 0, 30];
        text.Select(text).Sample((a, b) => MavenVersion.Compare(a, b) == -MavenVersion.Compare(b, a), iter: 2000);
        Assert.Equal(1, MavenVersion.Compare(string.Concat(Enumerable.Repeat("1-", 100_000)), "1"));
    }
}
