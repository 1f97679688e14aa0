using Bulwark.Images.Versions;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

public sealed class RubyGemsVersionTests
{
    [Theory]
    [InlineData("1.0", "1", 0)]
    [InlineData("1.0.0", "1.0", 0)]
    [InlineData("1.0.a", "1.0", -1)] // letters make a prerelease
    [InlineData("1.0.a10", "1.0.a9", 1)]
    [InlineData("1.0.b1", "1.0.a2", 1)]
    [InlineData("1.0-rc1", "1.0.pre.rc1", 0)] // a hyphen is ".pre."
    [InlineData("2.7.1", "2.7.0.1", 1)]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("0001.2", "1.2", 0)]
    [InlineData("1.2.3.beta", "1.2.3", -1)]
    [InlineData("", "0", 0)]
    public void Orders_as_gem_version_does(string a, string b, int expected)
    {
        Assert.Equal(expected, RubyGemsVersion.Compare(a, b));
        Assert.Equal(-expected, RubyGemsVersion.Compare(b, a));
    }

    [Theory]
    [InlineData("1.2.3", true)]
    [InlineData(" 1.2 ", true)]
    [InlineData("1.0-rc.1", true)]
    [InlineData("v1.0", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2_3", false)]
    public void Accepts_what_gem_version_accepts(string version, bool valid) => Assert.Equal(valid, RubyGemsVersion.IsValid(version));

    /// <summary>Generated versions from the pieces where orders differ, compared by Ruby's own Gem::Version.</summary>
    [SkippableFact]
    public void Agrees_with_rubygems_on_generated_versions()
    {
        ImageTools.Require(ImageTools.Missing("ruby"), "ruby");
        var pieces = VersionOrder.OneOf("0", "1", "2", "10", "01", "a", "b", "pre", "rc", "beta", "a1", "b2");
        var version = Gen.Select(Gen.Int[1, 3], pieces.Array[0, 3], Gen.Bool, (major, rest, hyphen) =>
            major.ToString(System.Globalization.CultureInfo.InvariantCulture) + string.Concat(rest.Select((p, i) => (hyphen && i == rest.Length - 1 ? "-" : ".") + p)));
        Gen.Select(version, version).Array[300].Sample(pairs =>
        {
            using var folder = new TempFolder();
            File.WriteAllLines(folder["pairs.txt"], pairs.Select(p => p.Item1 + " " + p.Item2));
            var answers = ImageTools.Run("ruby", "-e", "ARGF.each_line { |l| a, b = l.split; puts(Gem::Version.new(a) <=> Gem::Version.new(b)) }", folder["pairs.txt"])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(pairs.Length, answers.Length);
            for (var i = 0; i < pairs.Length; i++)
            {
                var (a, b) = pairs[i];
                Assert.True(int.Parse(answers[i], System.Globalization.CultureInfo.InvariantCulture) == RubyGemsVersion.Compare(a, b), $"{a} vs {b}: RubyGems says {answers[i]}, Bulwark {RubyGemsVersion.Compare(a, b)}");
            }
        }, iter: 4);
    }

    [Fact]
    public void Never_throws_and_is_antisymmetric() =>
        Gen.Select(Gen.String, Gen.String).Sample((a, b) => RubyGemsVersion.Compare(a, b) == -RubyGemsVersion.Compare(b, a));
}
