using System.Text;
using Bulwark.Images.Versions;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class RpmVersionTests
{
    public static TheoryData<int, string, string, int> RpmvercmpVectors() => Vectors("rpmvercmp.tsv");

    public static TheoryData<int, string, string, int> EvrVectors() => Vectors("go-rpm-version-cases.tsv");

    private static TheoryData<int, string, string, int> Vectors(string file)
    {
        var data = new TheoryData<int, string, string, int>();
        foreach (var (line, text) in VersionOrder.Lines("rpm", file))
        {
            var fields = text.Split('\t');
            data.Add(line, fields[0], fields[1], VersionOrder.Sign(fields[2].Trim()));
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(RpmvercmpVectors))]
    public void ComparesSegmentsAsRpmsTestsSay(int line, string a, string b, int expected)
    {
        Assert.True(expected == RpmVersion.CompareSegment(a, b), $"line {line}: {a} vs {b}");
        Assert.Equal(-expected, RpmVersion.CompareSegment(b, a));
    }

    /// <summary>
    /// The six vectors where go-rpm-version splits the release at the first <c>-</c> and rpm at the last
    /// (PROVENANCE.md): rpm 4.18's <c>rpm.vercmp</c> answers, which Bulwark follows.
    /// </summary>
    private static readonly Dictionary<(string, string), int> RpmDisagrees = new()
    {
        [("1.2.3a", "1-2-3-4")] = 1,
        [("1.2.3b", "1-2-3-4")] = 1,
        [("1.2.3.4", "1-2-3-4")] = 1,
        [("1-2-3-4", "1.2.3.4")] = -1,
        [("1-2-3-4", "1.2.3a")] = -1,
        [("1-2-3-4", "1.2.3b")] = -1,
    };

    [SharedDataTheory]
    [MemberData(nameof(EvrVectors))]
    public void OrdersEvrsAsGoRpmVersionSays(int line, string a, string b, int expected)
    {
        expected = RpmDisagrees.GetValueOrDefault((a, b), expected);
        Assert.True(expected == RpmVersion.Compare(a, b), $"line {line}: {a} vs {b}: got {RpmVersion.Compare(a, b)}");
        Assert.Equal(-expected, RpmVersion.Compare(b, a));
    }

    [Theory]
    [InlineData("1.0^", "1.0", 1)]
    [InlineData("1.0^git1", "1.0.1", -1)]
    [InlineData("1.0~rc1^git1", "1.0", -1)]
    [InlineData("1:1.0-1", "2.0-1", 1)]
    [InlineData("1.0-1", "1.0-1.el9", -1)]
    [InlineData("1.0", "1.0-1", -1)]
    [InlineData("1.0", "1.0-~1", -1)]
    [InlineData("1.0-", "1.0", 1)]
    [InlineData("2.0", "2_0", 0)]
    [InlineData("1.12345678901234567890123456789012345678901", "1.12345678901234567890123456789012345678902", -1)]
    public void OrdersEpochCaretTildeAndLongNumbers(string a, string b, int expected) =>
        Assert.Equal(expected, RpmVersion.Compare(a, b));

    [Fact]
    public void OrdersEveryStringConsistently()
    {
        VersionOrder.AssertTotalOnHostile(RpmVersion.Compare);
        VersionOrder.AssertTransitive(RpmVersion.Compare, Versions(Gen.Bool));
        VersionOrder.AssertTransitive(RpmVersion.Compare, VersionOrder.Hostile);
    }

    /// <summary>Pieces where rpm's orders differ: ~ and ^, letters against digits, separators, zeros, long runs.</summary>
    private static readonly Gen<string> Piece = VersionOrder.OneOf(
        "0", "1", "2", "9", "10", "010", "a", "b", "z", "A", "Z", ".", "_", "+", "~", "^", "~~", "12345678901234567890123456789012345678901");

    private static Gen<string> Versions(Gen<bool> withRelease) => Gen.Select(
        VersionOrder.OneOf(string.Empty, "0:", "1:", "2:"),
        VersionOrder.OneOf("0", "1", "2", "10"),
        Piece.Array[0, 4],
        withRelease,
        Piece.Array[1, 3],
        (epoch, lead, version, hasRelease, release) =>
            epoch + lead + string.Concat(version) + (hasRelease ? "-" + string.Concat(release) : string.Empty));

    private static readonly Gen<(string, string)> Pairs = Gen.Select(Versions(Gen.Bool), Versions(Gen.Bool), Piece, Gen.Int[0, 3],
        (a, b, piece, kind) => kind switch
        {
            0 => (a, b),
            1 => (a, a + piece),
            2 => (a, a + "-" + piece),
            _ => (a, a),
        });

    [SkippableFact]
    public void AgreesWithRpmOnGeneratedVersions()
    {
        ImageTools.Require(ImageTools.Missing("rpm"));
        Pairs.Array[1200].Sample(pairs =>
        {
            // One rpm process per few hundred comparisons: rpm's Lua prints rpm.vercmp for each pair.
            var verdicts = new List<string>();
            foreach (var chunk in pairs.Chunk(400))
            {
                var script = new StringBuilder("%{lua:");
                foreach (var (a, b) in chunk)
                {
                    script.Append("print(rpm.vercmp(\"").Append(a).Append("\", \"").Append(b).Append("\")) print(\"\\n\") ");
                }

                verdicts.AddRange(ImageTools.Run("rpm", "--eval", script.Append('}').ToString())
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }

            Assert.Equal(pairs.Length, verdicts.Count);
            for (var i = 0; i < pairs.Length; i++)
            {
                var (a, b) = pairs[i];
                Assert.True(VersionOrder.Sign(verdicts[i]) == RpmVersion.Compare(a, b), $"{a} vs {b}: rpm says {verdicts[i]}, Bulwark {RpmVersion.Compare(a, b)}");
            }
        }, iter: 1, threads: 1);
    }
}
