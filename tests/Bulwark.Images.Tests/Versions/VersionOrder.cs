using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Versions;

/// <summary>What every version comparer must do besides matching its scheme: order consistently and survive any string.</summary>
internal static class VersionOrder
{
    /// <summary>Strings no package manager would write: controls, separators in runs, non-ASCII, long digit runs.</summary>
    public static readonly Gen<string> Hostile = Gen.OneOf(
        Gen.String,
        Gen.Char["0123456789.:-~^+_abzAZ\u00e9\u0000 r"].Array[0, 24].Select(chars => new string(chars)),
        Gen.Char['0', '9'].Array[30, 60].Select(chars => new string(chars)));

    /// <summary>One of <paramref name="choices"/>, equally likely.</summary>
    public static Gen<string> OneOf(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    /// <summary>Never throws; antisymmetric; a version equals itself.</summary>
    public static void AssertTotalOnHostile(Func<string, string, int> compare) =>
        Gen.Select(Hostile, Hostile).Sample((a, b) =>
        {
            Assert.Equal(0, compare(a, a));
            Assert.Equal(Math.Sign(compare(a, b)), -Math.Sign(compare(b, a)));
        }, iter: 2000);

    /// <summary>Antisymmetric and transitive on versions of the scheme, where near-equal triples are common.</summary>
    public static void AssertTransitive(Func<string, string, int> compare, Gen<string> versions) =>
        Gen.Select(versions, versions, versions).Sample((a, b, c) =>
        {
            Assert.Equal(Math.Sign(compare(a, b)), -Math.Sign(compare(b, a)));
            if (compare(a, b) <= 0 && compare(b, c) <= 0)
            {
                Assert.True(compare(a, c) <= 0, $"{a} <= {b} <= {c} but not {a} <= {c}");
            }
        }, iter: 5000);

    /// <summary>The lines of a shared vector file without blank lines and <c>#</c> comment lines, numbered from 1.</summary>
    public static IEnumerable<(int Line, string Text)> Lines(params string[] path) =>
        File.ReadLines(RepositoryPaths.InShared(["conformance", "versions", .. path]))
            .Select((text, index) => (Line: index + 1, Text: text))
            .Where(line => line.Text.Trim().Length > 0 && !line.Text.TrimStart().StartsWith('#'));

    /// <summary>A comparison result as a sign, for vectors written as -1/0/1 or as &lt;/=/&gt;.</summary>
    public static int Sign(string expected) => expected switch
    {
        "<" => -1,
        "=" => 0,
        ">" => 1,
        _ => Math.Sign(int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
