using Bulwark.Images.Versions;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class GoVersionTests
{
    [Theory]
    [InlineData("v1.2.3", "v1.2.4", -1)]
    [InlineData("v1.2", "v1.2.0", 0)]
    [InlineData("v2", "v2.0.0", 0)]
    [InlineData("v2.0.0+incompatible", "v2.0.0", 0)]
    [InlineData("v0.0.0-20200101000000-abcdef123456", "v0.0.1", -1)]
    [InlineData("v1.2.4-0.20200101000000-abcdef123456", "v1.2.3", 1)]
    [InlineData("v1.2.4-0.20200101000000-abcdef123456", "v1.2.4", -1)]
    [InlineData("v1.2.4-0.20200101000000-abcdef123456", "v1.2.4-0.20210101000000-000000000000", -1)]
    [InlineData("go1.21.3", "1.21.3", 0)]
    [InlineData("go1.21.3", "1.21.10", -1)]
    [InlineData("go1.22rc1", "1.22.0-rc.1", 0)]
    [InlineData("go1.22rc1", "go1.22.0", -1)]
    [InlineData("go1.22beta1", "go1.22rc1", -1)]
    [InlineData("go1.20", "1.20.0", 0)]
    [InlineData("not a version", "v0.0.0", -1)]
    [InlineData("v1.02.3", "v0.0.1", -1)]
    public void Compares(string a, string b, int expected)
    {
        Assert.Equal(expected, GoVersion.Compare(a, b));
        Assert.Equal(-expected, GoVersion.Compare(b, a));
    }

    [Fact]
    public void Hostile_strings_never_throw_and_order_is_antisymmetric()
    {
        var text = Gen.String[Gen.Char["0123456789.-+vgorcbeta"], 0, 30];
        text.Select(text).Sample((a, b) => GoVersion.Compare(a, b) == -GoVersion.Compare(b, a), iter: 2000);
    }
}
