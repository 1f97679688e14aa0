using System.Text.Json;
using Bulwark.Images.Versions;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class Pep440VersionTests
{
    private static string Shared(string file) => RepositoryPaths.InShared("conformance", "versions", "pep440", file);

    private static string[] Lines(string file) =>
        [.. File.ReadAllLines(Shared(file)).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    private static List<(string Input, string Normalized)> NormalizeCases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Shared("normalize.json")));
        return [.. json.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("input").GetString()!, c.GetProperty("normalized").GetString()!))];
    }

    public static TheoryData<int> SortedPositions() => [.. Enumerable.Range(0, Lines("sorted-ascending.txt").Length)];

    [SharedDataTheory]
    [MemberData(nameof(SortedPositions))]
    public void Sorted_list_is_strictly_ascending(int position)
    {
        var list = Lines("sorted-ascending.txt");
        for (var other = 0; other < list.Length; other++)
        {
            Assert.Equal(Math.Sign(position.CompareTo(other)), Math.Sign(Pep440Version.Compare(list[position], list[other])));
        }
    }

    public static TheoryData<int> NormalizeIndexes() => [.. Enumerable.Range(0, NormalizeCases().Count)];

    [SharedDataTheory]
    [MemberData(nameof(NormalizeIndexes))]
    public void Normalises_as_packaging_does(int index)
    {
        var (input, normalized) = NormalizeCases()[index];
        Assert.Equal(normalized, Pep440Version.Normalize(input));
        Assert.Equal(0, Pep440Version.Compare(input, normalized));
    }

    public static TheoryData<string> Invalid() => [.. Lines("invalid.txt")];

    [SharedDataTheory]
    [MemberData(nameof(Invalid))]
    public void Invalid_versions_do_not_parse(string text)
    {
        Assert.False(Pep440Version.TryParse(text, out _));
        Assert.True(Pep440Version.Compare(text, "0") < 0);
    }

    [Theory]
    [InlineData("1.0", "1.0.0", 0)]
    [InlineData("1!0.1", "2.0", 1)]
    [InlineData("1.0.dev0", "1.0a0", -1)]
    [InlineData("1.0.post1.dev1", "1.0.post1", -1)]
    [InlineData("1.0+abc", "1.0+5", -1)]
    [InlineData("1.0+abc.1", "1.0+abc", 1)]
    [InlineData("1.0", "1.0+local", -1)]
    [InlineData("1.99999999999999999999999", "1.100", 1)]
    public void Compare_edges(string a, string b, int expected) => Assert.Equal(expected, Math.Sign(Pep440Version.Compare(a, b)));

    [Fact]
    public void Hostile_strings_never_throw_and_order_is_antisymmetric()
    {
        var text = Gen.String[Gen.Char["0123456789.-_+!vabcdeprostlv "], 0, 30];
        text.Select(text).Sample((a, b) => Math.Sign(Pep440Version.Compare(a, b)) == -Math.Sign(Pep440Version.Compare(b, a)), iter: 2000);
    }
}
