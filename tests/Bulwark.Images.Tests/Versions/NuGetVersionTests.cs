using Bulwark.Images.Versions;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class NuGetVersionTests
{
    [Theory]
    [InlineData("1.0", "1.0.0.0", 0)]
    [InlineData("1.0.0.1", "1.0.0", 1)]
    [InlineData("13.0.3", "13.0.10", -1)]
    [InlineData("1.0.0-beta", "1.0.0-BETA", 0)]
    [InlineData("1.0.0-alpha", "1.0.0", -1)]
    [InlineData("1.0.0-2", "1.0.0-10", -1)]
    [InlineData("1.0.0-rc.1", "1.0.0-rc", 1)]
    [InlineData("1.0.0+abc", "1.0.0", 0)]
    [InlineData("not a version", "0.0.0", -1)]
    public void Compares(string a, string b, int expected)
    {
        Assert.Equal(expected, NuGetVersion.Compare(a, b));
        Assert.Equal(-expected, NuGetVersion.Compare(b, a));
    }

    [Fact]
    public void Hostile_strings_never_throw_and_order_is_antisymmetric()
    {
        var text = Gen.String[Gen.Char["0123456789.-+vrcbeta "], 0, 30];
        text.Select(text).Sample((a, b) => NuGetVersion.Compare(a, b) == -NuGetVersion.Compare(b, a), iter: 2000);
    }
}
