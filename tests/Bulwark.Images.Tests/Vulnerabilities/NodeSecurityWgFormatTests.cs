using Bulwark.Images.Tests.Versions;
using Bulwark.Images.Versions;
using Bulwark.Images.Vulnerabilities;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

public sealed class NodeSecurityWgFormatTests(NodeSemver node) : IClassFixture<NodeSemver>
{
    private static readonly NodeSecurityWgFormat Format = new();

    private static string Advisory(int id) => FeedReading.VulnData("nodejs-security-wg-npm", "vuln", "npm", id + ".json");

    private static IEnumerable<string> AdvisoryFiles() =>
        Directory.EnumerateFiles(FeedReading.VulnData("nodejs-security-wg-npm", "vuln", "npm"), "*.json")
            .Where(path => Path.GetFileName(path) != "index.json")
            .Order(StringComparer.Ordinal);

    [SharedDataFact]
    public void ReadsANamedAdvisory()
    {
        var (advisories, invalid) = FeedReading.ReadFile(Format, Advisory(1));

        Assert.Empty(invalid);
        var advisory = Assert.Single(advisories);
        Assert.Equal(
            """
            nodejs-security-wg NSWG-ECO-1 severity=Medium aliases=CVE-2014-7205 cvss=6.5 CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N
              npm bassmaster [NpmExpression Fixed:1.5.2 <=1.5.1]

            """,
            FeedReading.Describe(advisory));
        Assert.Equal("Arbitrary JavaScript Execution", advisory.Summary);
        Assert.Equal("https://www.npmjs.org/package/bassmaster", advisory.Url);
        Assert.Equal(new DateTimeOffset(2014, 9, 27, 0, 0, 0, TimeSpan.Zero), advisory.Published);
        Assert.Equal(new DateTimeOffset(2016, 4, 28, 0, 0, 0, TimeSpan.Zero), advisory.Modified);
    }

    [SharedDataFact]
    public void ReadsAnAdvisoryWithoutAFixOrACve()
    {
        var advisory = Assert.Single(FeedReading.ReadFile(Format, Advisory(410)).Advisories);

        Assert.Equal(
            """
            nodejs-security-wg NSWG-ECO-410 severity=Low cvss=2 CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L
              npm merge-options [NpmExpression <=1.0.0]

            """,
            FeedReading.Describe(advisory));
    }

    [SharedDataFact]
    public void AScoreOfMinusOneIsNoScore()
    {
        // 359.json: "cvss_score": -1 and no vector.
        var advisory = Assert.Single(FeedReading.ReadFile(Format, Advisory(359)).Advisories);

        Assert.Null(advisory.CvssScore);
        Assert.Equal(AdvisorySeverity.Unknown, advisory.Severity);
    }

    [SharedDataFact]
    public void ReadsEveryAdvisoryFileAndReportsTheRangesNpmRangeCannotEvaluate()
    {
        var advisories = new List<Advisory>();
        var invalid = new List<ImportProblem>();
        foreach (var path in AdvisoryFiles())
        {
            var read = FeedReading.ReadFile(Format, path);
            advisories.AddRange(read.Advisories);
            invalid.AddRange(read.Invalid.Select(p => p with { File = Path.GetFileName(p.File) }));
        }

        // NpmRange evaluates every range the WG published (the theory below checks the odd ones, and the
        // differential test all of them, against node-semver).
        Assert.Empty(invalid.Select(p => p.ToString()));
        Assert.Equal(467 - invalid.Count, advisories.Count);
        Assert.Equal(advisories.Count, advisories.Select(a => a.Id).Distinct().Count());
        Assert.All(advisories, a => Assert.Equal(Ecosystems.Npm, Assert.Single(a.Affected).Ecosystem));
    }

    /// <summary>
    /// The odd ranges of the real files, evaluated by the matcher's <see cref="NpmRange"/> as node-semver does:
    /// <c>*</c> and <c>&lt;=99.999.99999</c> cover every release, a bare version only itself, <c>2.0.x || 2.1.x</c> both lines.
    /// </summary>
    [SharedDataTheory]
    [InlineData(507, "*", "0.0.1", true)]
    [InlineData(507, "*", "12.3.4", true)]
    [InlineData(334, "<=99.999.99999", "5.0.0", true)]
    [InlineData(123, "2.1.4", "2.1.4", true)]
    [InlineData(123, "2.1.4", "2.1.5", false)]
    [InlineData(11, "2.0.x || 2.1.x", "2.1.9", true)]
    [InlineData(11, "2.0.x || 2.1.x", "2.2.0", false)]
    [InlineData(16, "<  2.0.5", "2.0.4", true)]
    [InlineData(330, "=3.0.0-rc.1", "3.0.0-rc.1", true)]
    [InlineData(330, "=3.0.0-rc.1", "3.0.0", false)]
    [InlineData(107, "<= 1.0", "1.0.9", true)]
    [InlineData(107, "<= 1.0", "1.1.0", false)]
    public void OddRangesOfTheRealFilesAreKeptAndEvaluate(int id, string range, string version, bool affected)
    {
        var advisory = Assert.Single(FeedReading.ReadFile(Format, Advisory(id)).Advisories);
        var expression = Assert.Single(Assert.Single(advisory.Affected).Ranges).Expression!;

        Assert.Equal(range, expression);
        Assert.Equal(affected, NpmRange.Satisfies(version, expression));
    }

    /// <summary>
    /// Every published range, kept as the advisory's expression, answers as node-semver (npm's own) does for the
    /// versions it names, their neighbours and prereleases of them.
    /// </summary>
    [SkippableFact]
    public void EveryRangeEvaluatesAsNodeSemverDoes()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var questions = new List<(string Version, string Range)>();
        foreach (var path in AdvisoryFiles())
        {
            foreach (var advisory in FeedReading.ReadFile(Format, path).Advisories)
            {
                var range = Assert.Single(Assert.Single(advisory.Affected).Ranges).Expression!;
                foreach (var version in Probes(range))
                {
                    questions.Add((version, range));
                }
            }
        }

        var (_, expected) = node.Ask([], questions);
        var differences = questions.Select((q, i) => (q.Version, q.Range, Expected: expected[i]))
            .Where(q => NpmRange.Satisfies(q.Version, q.Range) != q.Expected)
            .Select(q => $"{q.Version} in \"{q.Range}\": node-semver {q.Expected}")
            .ToList();

        Assert.True(questions.Count > 3000, $"{questions.Count} questions");
        Assert.Empty(differences);
    }

    private static IEnumerable<string> Probes(string range)
    {
        yield return "0.0.0";
        foreach (var word in range.Split([' ', '|', '<', '>', '=', '^', '~'], StringSplitOptions.RemoveEmptyEntries))
        {
            var core = word.Split('-')[0].Split('.').Select(p => int.TryParse(p, out var n) ? n : 0).Concat([0, 0, 0]).Take(3).ToArray();
            yield return $"{core[0]}.{core[1]}.{core[2]}";
            yield return $"{core[0]}.{core[1]}.{core[2] + 1}";
            yield return $"{core[0]}.{core[1] + 1}.0";
            yield return $"{core[0] + 1}.0.0";
            yield return $"{core[0]}.{core[1]}.{core[2]}-beta.1";
            if (core[2] > 0)
            {
                yield return $"{core[0]}.{core[1]}.{core[2] - 1}";
            }
        }
    }

    [Theory]
    [InlineData(null, ">=1.2.3", "<1.2.3")]
    [InlineData(null, "> 1.2.3", "<=1.2.3")]
    [InlineData(null, ">= v2.0.0-beta.1", "<2.0.0-beta.1")]
    [InlineData("", ">=4.0.0", "<4.0.0")]
    [InlineData("<=1.0.0", ">=2.0.0", "<=1.0.0")]
    public void WithoutVulnerableVersionsTheSingleLowerBoundOfTheFixIsInverted(string? vulnerable, string patched, string expected)
    {
        var json = $$"""{"id": 9001, "module_name": "left-pad", "vulnerable_versions": {{(vulnerable is null ? "null" : $"\"{vulnerable}\"")}}, "patched_versions": "{{patched}}"}""";
        var advisory = Assert.Single(FeedReading.ReadText(Format, json, "9001.json").Advisories);

        Assert.Equal(expected, Assert.Single(Assert.Single(advisory.Affected).Ranges).Expression);
    }

    [Theory]
    [InlineData("""{"id": 1, "module_name": "a", "vulnerable_versions": null, "patched_versions": ">=1.0.0 <2.0.0 || >=2.1.0"}""", "NSWG-ECO-1 (a): no vulnerable_versions, and patched_versions \">=1.0.0 <2.0.0 || >=2.1.0\" is not a single lower bound to invert")]
    [InlineData("""{"id": 2, "module_name": "b"}""", "NSWG-ECO-2 (b): neither vulnerable_versions nor patched_versions")]
    [InlineData("""{"id": 3, "module_name": "c", "vulnerable_versions": "not a range"}""", "NSWG-ECO-3 (c): vulnerable_versions \"not a range\" cannot be evaluated: no version satisfies it under node-semver rules (unreadable or empty)")]
    [InlineData("""{"id": 4, "module_name": "d", "vulnerable_versions": ["<1.0.0"]}""", "NSWG-ECO-4 (d): \"vulnerable_versions\" is not a string")]
    [InlineData("""{"id": "5", "module_name": "e", "vulnerable_versions": "<1.0.0"}""", "no numeric \"id\"")]
    [InlineData("""{"id": 6, "module_name": "", "vulnerable_versions": "<1.0.0"}""", "NSWG-ECO-6: no \"module_name\"")]
    public void AdvisoriesThatCannotBeMatchedAreReported(string json, string reason)
    {
        var (advisories, invalid) = FeedReading.ReadText(Format, json, "x.json");

        Assert.Empty(advisories);
        Assert.Equal("x.json: " + reason, Assert.Single(invalid).ToString());
    }

    [Fact]
    public void AVectorWithoutAScoreIsScored()
    {
        const string json = """{"id": 7, "module_name": "f", "vulnerable_versions": "<1.0.0", "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cvss_score": null}""";
        var advisory = Assert.Single(FeedReading.ReadText(Format, json).Advisories);

        Assert.Equal((9.8, AdvisorySeverity.Critical), (advisory.CvssScore!.Value, advisory.Severity));
    }

    [Fact]
    public void AScoreItsOwnVectorContradictsGivesWayToTheVector()
    {
        // As NSWG-ECO-363..368 publish: 9.3 for a vector that scores 7.5.
        const string json = """{"id": 8, "module_name": "f", "vulnerable_versions": "<1.0.0", "patched_versions": ">=1.0.0 || >=0.9.4 <1.0.0", "cvss_vector": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "cvss_score": 9.3}""";
        var advisory = Assert.Single(FeedReading.ReadText(Format, json).Advisories);

        Assert.Equal((7.5, AdvisorySeverity.High), (advisory.CvssScore!.Value, advisory.Severity));
        Assert.Equal(["1.0.0", "0.9.4"], advisory.Affected[0].Ranges[0].Events.Select(e => e.Version));
    }

    [Theory]
    [InlineData("{\"id\": 1, \"module_name\": \"a\"")]
    [InlineData("[]")]
    [InlineData("")]
    public void AFileThatIsNotAnAdvisoryIsInvalid(string text) =>
        Assert.Throws<InvalidDataException>(() => FeedReading.ReadText(Format, text));

    [Fact]
    public void InvalidUtf8IsAnInvalidFile()
    {
        byte[] bytes = [.. "{\"id\": 1, \"module_name\": \"a"u8, 0xFF, .. "\", \"vulnerable_versions\": \"<1.0.0\"}"u8];
        Assert.Throws<InvalidDataException>(() => FeedReading.Read(Format, new MemoryStream(bytes), "1.json"));
    }

    [Fact]
    public void DeepNestingIsAnInvalidFile()
    {
        var deep = "{\"id\": 1, \"module_name\": \"a\", \"author\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
        Assert.Throws<InvalidDataException>(() => FeedReading.ReadText(Format, deep));
    }
}
