using Bulwark.Images.Versions;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class SemVerTests(NodeSemver node) : IClassFixture<NodeSemver>
{
    private static string[] Lines(string file) =>
        [.. File.ReadAllLines(RepositoryPaths.InShared("conformance", "versions", "semver", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))];

    public static TheoryData<string, string> GreaterPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var fields in Lines("node-semver-comparisons.tsv").Select(l => l.Split('\t')))
        {
            data.Add(fields[0], fields[1]);
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(GreaterPairs))]
    public void Node_semver_comparison_fixture(string greater, string lesser)
    {
        Assert.True(SemVer.Compare(greater, lesser) > 0);
        Assert.True(SemVer.Compare(lesser, greater) < 0);
        Assert.Equal(0, SemVer.Compare(greater, greater));
    }

    public static TheoryData<int> SpecPositions() => [.. Enumerable.Range(0, Lines("semver-spec-precedence.txt").Length)];

    [SharedDataTheory]
    [MemberData(nameof(SpecPositions))]
    public void Spec_precedence_list_is_ascending(int position)
    {
        var list = Lines("semver-spec-precedence.txt");
        for (var other = 0; other < list.Length; other++)
        {
            Assert.Equal(Math.Sign(position.CompareTo(other)), Math.Sign(SemVer.Compare(list[position], list[other])));
        }
    }

    [Theory]
    [InlineData("1.0.0+build.1", "1.0.0+build.2", 0)]
    [InlineData("v1.2.3", "=1.2.3", 0)]
    [InlineData("1.2.3beta", "1.2.3-beta", 0)]
    [InlineData("1.0.0-alpha.01", "1.0.0-alpha.1", 0)]
    [InlineData("1.0.0-2", "1.0.0-10", -1)]
    [InlineData("1.0.0-rc.1", "1.0.0-RC.1", 1)]
    [InlineData("not a version", "0.0.0-0", -1)]
    [InlineData("99999999999999999999.0.0", "1.0.0", -1)]
    public void Compare_edges(string a, string b, int expected) => Assert.Equal(expected, Math.Sign(SemVer.Compare(a, b)));

    [Theory]
    [InlineData("1.2.3", "^1.2.0", true)]
    [InlineData("2.0.0", "^1.2.0", false)]
    [InlineData("1.3.0-beta", "^1.2.0", false)]
    [InlineData("1.2.4-beta", "^1.2.4-alpha", true)]
    [InlineData("0.2.5", "^0.2.3", true)]
    [InlineData("0.3.0", "^0.2.3", false)]
    [InlineData("0.0.4", "^0.0.3", false)]
    [InlineData("1.2.9", "~1.2.3", true)]
    [InlineData("1.3.0", "~1.2", false)]
    [InlineData("1.9.9", "1.x", true)]
    [InlineData("3.0.0", "1.2.3 - 2", false)]
    [InlineData("2.9.9", "1.2.3 - 2", true)]
    [InlineData("1.5.0", "<1.0.0 || >=1.4.0 <1.6.0", true)]
    [InlineData("1.0.0", "> 1.0.0", false)]
    [InlineData("1.0.0", "", true)]
    [InlineData("1.0.0", "not a range", false)]
    [InlineData("not a version", "*", false)]
    [InlineData("1.0.0-3", ">1.0.0-2", true)]
    [InlineData("1.0.0-3", ">1.0.0-2 || *", false)]
    [InlineData("1.2.3", "1.x.3", false)]
    [InlineData("1.2.3", "~1.x.3", true)]
    [InlineData("2.3.0", "<=2", true)]
    public void Satisfies_examples(string version, string range, bool expected) => Assert.Equal(expected, NpmRange.Satisfies(version, range));

    [Fact]
    public void Hostile_strings_never_throw()
    {
        Gen.String[Gen.Char["0123456789.-+vx*^~<>=| abc"], 0, 40].Select(Gen.String[Gen.Char["0123456789.-+vx*^~<>=| abc"], 0, 40])
            .Sample((a, b) =>
            {
                var c = SemVer.Compare(a, b);
                _ = NpmRange.Satisfies(a, b);
                return Math.Sign(c) == -Math.Sign(SemVer.Compare(b, a));
            }, iter: 2000);
    }

    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    private static readonly Gen<string> Identifier = Pick("alpha", "beta", "rc", "0", "1", "2", "11", "a1", "x-y");

    private static readonly Gen<string> Version =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3], Identifier.Array[1, 3], Gen.Int[0, 5])
            .Select((M, m, p, pre, extra) => $"{M}.{m}.{p}" + (extra < 2 ? "-" + string.Join('.', pre) : "") + (extra == 0 ? "+b.1" : ""));

    private static readonly Gen<string> Part = Gen.Frequency((4, Gen.Int[0, 3].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), (1, Pick("x", "X", "*")));

    private static readonly Gen<string> Partial =
        Gen.Select(Part, Part, Part, Gen.Int[0, 3], Identifier, Gen.Int[0, 6]).Select((M, m, p, length, pre, v) =>
            (v == 0 ? "v" : "") + (length switch { 0 => M, 1 => $"{M}.{m}", _ => $"{M}.{m}.{p}" })
            + (length == 3 && p.All(char.IsAsciiDigit) && pre.Length > 0 && v > 2 ? "-" + pre : ""));

    private static readonly Gen<string> Comparator =
        Gen.Select(Pick("", "", "=", "<", ">", "<=", ">=", "~", "^", "~>"), Gen.Int[0, 5], Partial)
            .Select((op, space, version) => op + (space == 0 && op.Length > 0 ? " " : "") + version);

    private static readonly Gen<string> Set = Gen.Frequency(
        (1, Gen.Select(Partial, Partial).Select((a, b) => $"{a} - {b}")),
        (4, Comparator.Array[1, 2].Select(c => string.Join(' ', c))));

    private static readonly Gen<string> Range = Set.Array[1, 2].Select(s => string.Join(" || ", s));

    [SkippableFact]
    public void Compare_and_satisfies_agree_with_node_semver()
    {
        var compare = Gen.Select(Version, Version).Array[3000].Single();
        var satisfies = Gen.Select(Version, Range).Array[6000].Single();
        var (expectedOrder, expectedMatch) = node.Ask(compare, satisfies);

        var wrongOrder = compare.Where((c, i) => Math.Sign(SemVer.Compare(c.Item1, c.Item2)) != expectedOrder[i]).Take(10).ToList();
        var wrongMatch = satisfies.Where((s, i) => NpmRange.Satisfies(s.Item1, s.Item2) != expectedMatch[i]).Take(10).ToList();
        Console.WriteLine($"node-semver differential: {compare.Length} comparisons, {satisfies.Length} ranges ({expectedMatch.Count(m => m)} satisfied)");
        Assert.True(wrongOrder.Count == 0, "order differs from node-semver: " + string.Join("; ", wrongOrder));
        Assert.True(wrongMatch.Count == 0, "satisfies differs from node-semver: " + string.Join("; ", wrongMatch));
        Assert.True(expectedMatch.Count(m => m) > satisfies.Length / 10, "too few generated cases match to test anything");
    }
}
