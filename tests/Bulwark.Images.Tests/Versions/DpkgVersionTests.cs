using System.Text.Json;
using Bulwark.Images.Versions;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class DpkgVersionTests
{
    public static TheoryData<int, string, string, int> AptVectors()
    {
        var data = new TheoryData<int, string, string, int>();
        foreach (var (line, text) in VersionOrder.Lines("dpkg", "apt-versions.lst"))
        {
            var fields = text.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            data.Add(line, fields[0], fields[1], VersionOrder.Sign(fields[2]));
        }

        return data;
    }

    public static TheoryData<string, string, int?, string?, string?> ParseCases()
    {
        var data = new TheoryData<string, string, int?, string?, string?>();
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InShared("conformance", "versions", "dpkg", "dpkg-parse-cases.json")));
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            string? Text(string name) => item.GetProperty(name).ValueKind == JsonValueKind.Null ? null : item.GetProperty(name).GetString();
            var epoch = item.GetProperty("epoch");
            data.Add(item.GetProperty("input").GetString()!, Text("expect")!, epoch.ValueKind == JsonValueKind.Null ? null : epoch.GetInt32(), Text("upstream"), Text("revision"));
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(AptVectors))]
    public void OrdersAsAptsVectorsSay(int line, string a, string b, int expected)
    {
        Assert.True(expected == Math.Sign(DpkgVersion.Compare(a, b)), $"line {line}: {a} vs {b}");
        Assert.Equal(-expected, Math.Sign(DpkgVersion.Compare(b, a)));
    }

    [SharedDataTheory]
    [MemberData(nameof(ParseCases))]
    public void ParsesAsDpkgDoes(string input, string expect, int? epoch, string? upstream, string? revision)
    {
        var parsed = DpkgVersion.TryParse(input, out var gotEpoch, out var gotUpstream, out var gotRevision);
        Assert.Equal(expect == "ok", parsed);
        if (parsed)
        {
            Assert.Equal((epoch, upstream, revision), (gotEpoch, gotUpstream, gotRevision));
        }
    }

    [Theory]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("1:0.1", "99", 1)]
    [InlineData("1.0a", "1.0+", -1)]
    [InlineData("1.0", "1.0-0", 0)]
    [InlineData("1.20240101000000000000000000000000000001", "1.20240101000000000000000000000000000002", -1)]
    [InlineData("99999999999999999999999999999:1", "99999999999999999999999999998:2", 1)]
    [InlineData("0001.0", "1.0", 0)]
    public void OrdersNumbersOfAnyLengthAndTheTilde(string a, string b, int expected) =>
        Assert.Equal(expected, DpkgVersion.Compare(a, b));

    [Fact]
    public void OrdersEveryStringConsistently()
    {
        VersionOrder.AssertTotalOnHostile(DpkgVersion.Compare);
        VersionOrder.AssertTransitive(DpkgVersion.Compare, Versions);
        VersionOrder.AssertTransitive(DpkgVersion.Compare, VersionOrder.Hostile);
    }

    /// <summary>Valid dpkg versions (dpkg --compare-versions rejects an empty revision, which its parser test accepts) built from the pieces where orders differ: ~, letters, symbols, zeros, long runs.</summary>
    private static readonly Gen<string> Piece = VersionOrder.OneOf(
        "0", "1", "2", "9", "10", "010", "a", "b", "z", "A", "Z", ".", "+", "~", "~~", "12345678901234567890123456789012345678901");

    private static readonly Gen<string> Versions = Gen.Select(
        VersionOrder.OneOf(string.Empty, "0:", "1:", "2:"),
        VersionOrder.OneOf("0", "1", "2", "10"),
        Piece.Array[0, 4],
        Gen.Bool,
        Piece.Array[1, 3],
        (epoch, lead, upstream, hasRevision, revision) =>
            epoch + lead + string.Concat(upstream) + (hasRevision ? "-" + string.Concat(revision) : string.Empty));

    private static readonly Gen<(string, string)> Pairs = Gen.Select(Versions, Versions, Piece, Gen.Int[0, 2],
        (a, b, piece, kind) => kind switch
        {
            0 => (a, b),
            1 => (a, a + piece),
            _ => (a, a),
        });

    [SkippableFact]
    public void AgreesWithDpkgOnGeneratedVersions()
    {
        ImageTools.Require(ImageTools.Missing("dpkg"));
        Pairs.Array[300].Sample(pairs =>
        {
            foreach (var (a, b) in pairs)
            {
                Assert.True(DpkgVersion.TryParse(a, out _, out _, out _) && DpkgVersion.TryParse(b, out _, out _, out _), $"{a} or {b} is no valid version");
            }

            using var folder = new TempFolder();
            var list = Path.Combine(folder.Path, "pairs");
            File.WriteAllLines(list, pairs.Select(pair => pair.Item1 + " " + pair.Item2));

            // dpkg compares one pair per process: one shell runs them all, so there is one process start from here.
            var output = ImageTools.Run("sh", "-c", """
                while read -r a b; do
                  dpkg --compare-versions "$a" lt "$b"; lt=$?
                  if [ $lt -eq 0 ]; then echo -1
                  elif [ $lt -ne 1 ]; then echo "error $lt"
                  elif dpkg --compare-versions "$a" eq "$b"; then echo 0
                  else echo 1; fi
                done < "$1"
                """, "sh", list);
            var verdicts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(pairs.Length, verdicts.Length);
            for (var i = 0; i < pairs.Length; i++)
            {
                var (a, b) = pairs[i];
                Assert.False(verdicts[i].StartsWith("error", StringComparison.Ordinal), $"dpkg rejected {a} or {b}");
                Assert.True(VersionOrder.Sign(verdicts[i]) == DpkgVersion.Compare(a, b), $"{a} vs {b}: dpkg says {verdicts[i]}, Bulwark {DpkgVersion.Compare(a, b)}");
            }
        }, iter: 1, threads: 1);
    }
}
