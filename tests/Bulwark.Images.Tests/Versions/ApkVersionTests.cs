using Bulwark.Images.Versions;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class ApkVersionTests
{
    public static TheoryData<int, string, string, int> ApkToolsVectors()
    {
        var data = new TheoryData<int, string, string, int>();
        foreach (var (line, text) in VersionOrder.Lines("apk", "version.data"))
        {
            var fields = text.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            data.Add(line, fields[0], fields[2], VersionOrder.Sign(fields[1]));
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(ApkToolsVectors))]
    public void OrdersAsApkToolsVectorsSay(int line, string a, string b, int expected)
    {
        Assert.True(expected == ApkVersion.Compare(a, b), $"line {line}: {a} vs {b}: got {ApkVersion.Compare(a, b)}");
        Assert.Equal(-expected, ApkVersion.Compare(b, a));
    }

    [Theory]
    [InlineData("1.2.3", true)]
    [InlineData("1.2.3a", true)]
    [InlineData("1.2.3_rc1_p2-r10", true)]
    [InlineData("2024.01.01_git20240101-r0", true)]
    [InlineData("1.0bc", false)]
    [InlineData("1.0-r1.2", false)]
    [InlineData("1.0_foo", false)]
    [InlineData("1.0A", false)]
    [InlineData("", false)]
    public void ValidatesAsApkDoes(string version, bool valid) => Assert.Equal(valid, ApkVersion.IsValid(version));

    [Theory]
    [InlineData("1.1_alpha1", "1.1", -1)]
    [InlineData("1.0_alpha1", "1.0", 1)]
    [InlineData("1.0_p1", "1.0", 1)]
    [InlineData("1.0_rc1", "1.0_beta2", 1)]
    [InlineData("1.0-r1", "1.0", 1)]
    [InlineData("1.0a", "1.0_p1", 1)]
    [InlineData("1.12345678901234567890123456789012345678901", "1.12345678901234567890123456789012345678902", -1)]
    public void OrdersSuffixesRevisionsAndLongNumbers(string a, string b, int expected) =>
        Assert.Equal(expected, ApkVersion.Compare(a, b));

    private static readonly Gen<string> Piece = VersionOrder.OneOf(
        "0", "1", "2", "9", "10", "01", "00", ".", ".0", ".1", "a", "z", "_alpha", "_rc", "_p", "_git", "-r", "-r1", "12345678901234567890123456789012345678901");

    private static readonly Gen<string> Versions = Gen.Select(VersionOrder.OneOf("0", "1", "2", "10"), Piece.Array[0, 5], (lead, pieces) => lead + string.Concat(pieces));

    [Fact]
    public void OrdersEveryStringConsistently()
    {
        VersionOrder.AssertTotalOnHostile(ApkVersion.Compare);
        VersionOrder.AssertTransitive(ApkVersion.Compare, Versions.Where(ApkVersion.IsValid));
    }
}
