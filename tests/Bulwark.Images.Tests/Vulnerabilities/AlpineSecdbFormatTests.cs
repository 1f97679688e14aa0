using Bulwark.Images.Vulnerabilities;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

public sealed class AlpineSecdbFormatTests
{
    private static readonly AlpineSecdbFormat Format = new();

    private static string Secdb(string branch, string repo) => FeedReading.VulnData("alpine-secdb", branch, repo + ".yaml");

    [SharedDataFact]
    public void NamesTheOriginPackageNotTheBinaryOnes()
    {
        var (advisories, _) = FeedReading.ReadFile(Format, Secdb("v3.11", "main"));

        Assert.Equal(
            "alpine-secdb CVE-2019-1551 severity=Unknown\n  Alpine:v3.11 openssl [Ecosystem Introduced:0 Fixed:1.1.1d-r3]\n",
            FeedReading.Describe(advisories.Single(a => a.Id == "CVE-2019-1551")));

        // libcrypto1.1 and libssl1.1 are openssl's binary packages; the secdb knows only origins.
        Assert.DoesNotContain(advisories.SelectMany(a => a.Affected), p => p.Name.StartsWith("libcrypto", StringComparison.Ordinal) || p.Name.StartsWith("libssl", StringComparison.Ordinal));
    }

    [SharedDataFact]
    public void SplitsEntriesNamingSeveralVulnerabilitiesAndKeepsTheOtherIdsAsAliases()
    {
        var (advisories, _) = FeedReading.ReadFile(Format, Secdb("v3.7", "main"));

        // "CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI": three CVEs, one Xen advisory, and a name.
        foreach (var cve in new[] { "CVE-2017-5753", "CVE-2017-5715", "CVE-2017-5754" })
        {
            Assert.Equal(
                $"alpine-secdb {cve} severity=Unknown aliases=XSA-254\n  Alpine:v3.7 xen [Ecosystem Introduced:0 Fixed:4.9.1-r3]\n",
                FeedReading.Describe(advisories.Single(a => a.Id == cve)));
        }

        // An entry with only a Xen id is that id's advisory.
        Assert.Equal(
            "alpine-secdb XSA-246 severity=Unknown\n  Alpine:v3.7 xen [Ecosystem Introduced:0 Fixed:4.9.1-r1]\n",
            FeedReading.Describe(advisories.Single(a => a.Id == "XSA-246")));
        Assert.DoesNotContain(advisories, a => a.Id == "XPTI" || a.Aliases.Contains("XPTI"));
    }

    [SharedDataFact]
    public void OddlyWrittenEntriesOfTheRealFilesAreUnderstood()
    {
        var v39 = FeedReading.ReadFile(Format, Secdb("v3.9", "main")).Advisories;
        var v311 = FeedReading.ReadFile(Format, Secdb("v3.11", "main")).Advisories;
        var community = FeedReading.ReadFile(Format, Secdb("v3.11", "community")).Advisories;
        var v310 = FeedReading.ReadFile(Format, Secdb("v3.10", "main")).Advisories;

        // "CVE 2018-16859": a space for the dash.
        Assert.Equal("2.7.3-r0", Fixed(v39, "CVE-2018-16859", "ansible"));

        // "CVE-2017-17434-1" and "-2": two parts of one CVE's fix.
        Assert.Equal("3.1.2-r7", Fixed(v311, "CVE-2017-17434", "rsync"));
        Assert.DoesNotContain(v311, a => a.Id.StartsWith("CVE-2017-17434-", StringComparison.Ordinal));

        // "CVE_2019-2426": an underscore for the dash.
        Assert.Contains(community, a => a.Id == "CVE-2019-2426");

        // "CVE-2018-14879 (tcpdump -V)": a comment after the id.
        Assert.Equal("tcpdump", Assert.Single(v311.Single(a => a.Id == "CVE-2018-14879").Affected).Name);

        // "CVE-????-?????  XSA-295": the CVE was not known yet; the Xen id stands for it.
        Assert.Equal("4.12.1-r0", Fixed(v310, "XSA-295", "xen"));
        Assert.DoesNotContain(v310, a => a.Id.Contains('?', StringComparison.Ordinal));
    }

    /// <summary>
    /// The real files' fixed versions that are not apk versions (a dash where apk has none): a matcher cannot order
    /// them, so they are reported rather than guessed at (is "4.10-1-r1" 4.10.1-r1?).
    /// </summary>
    [SharedDataFact]
    public void FixedVersionsThatAreNotApkVersionsAreReported()
    {
        var problems = Directory.EnumerateFiles(FeedReading.VulnData("alpine-secdb"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(path => FeedReading.ReadFile(Format, path).Invalid)
            .Select(p => $"{Path.GetFileName(Path.GetDirectoryName(p.File))}/{Path.GetFileName(p.File)}:{p.Line}: {p.Reason}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "v3.11/main.yaml:1512: python2: \"2.7.16-33\" is not an apk version",
                "v3.11/main.yaml:2170: xen: \"4.10-1-r1\" is not an apk version",
                "v3.4/main.yaml:369: icu: \"57-1-r2\" is not an apk version",
                "v3.6/main.yaml:1121: py-django: \"1.11-20-r0\" is not an apk version",
                "v3.7/main.yaml:1353: py-django: \"1.11-20-r0\" is not an apk version",
                "v3.8/main.yaml:1399: py-django: \"1.11-20-r0\" is not an apk version",
                "v3.8/main.yaml:2014: xen: \"4.10-1-r1\" is not an apk version",
                "v3.9/main.yaml:1998: xen: \"4.10-1-r1\" is not an apk version",
            ],
            problems);
    }

    [SharedDataFact]
    public void VersionZeroMeansNeverAffected()
    {
        // v3.8 main lists Oracle Berkeley DB CVEs under "0" for db: the advisory is there, with no package to match.
        var (advisories, _) = FeedReading.ReadFile(Format, Secdb("v3.8", "main"));

        var db = advisories.Single(a => a.Id == "CVE-2016-0682");
        Assert.Empty(db.Affected);
    }

    public static TheoryData<string, int, int, int> SampleFiles() => new()
    {
        { "alpine-secdb/v3.3/main.yaml", 458, 461, 0 },
        { "alpine-secdb/v3.3/community.yaml", 0, 0, 0 },
        { "alpine-secdb/v3.4/main.yaml", 665, 668, 1 },
        { "alpine-secdb/v3.4/community.yaml", 14, 14, 0 },
        { "alpine-secdb/v3.5/main.yaml", 801, 823, 0 },
        { "alpine-secdb/v3.5/community.yaml", 98, 101, 0 },
        { "alpine-secdb/v3.6/main.yaml", 867, 890, 1 },
        { "alpine-secdb/v3.6/community.yaml", 195, 214, 0 },
        { "alpine-secdb/v3.7/main.yaml", 1036, 1072, 1 },
        { "alpine-secdb/v3.7/community.yaml", 378, 401, 0 },
        { "alpine-secdb/v3.8/main.yaml", 1085, 1120, 2 },
        { "alpine-secdb/v3.8/community.yaml", 462, 476, 0 },
        { "alpine-secdb/v3.9/main.yaml", 1056, 1098, 1 },
        { "alpine-secdb/v3.9/community.yaml", 575, 593, 0 },
        { "alpine-secdb/v3.10/main.yaml", 1110, 1158, 0 },
        { "alpine-secdb/v3.10/community.yaml", 692, 712, 0 },
        { "alpine-secdb/v3.11/main.yaml", 1120, 1174, 2 },
        { "alpine-secdb/v3.11/community.yaml", 829, 886, 0 },
        { "alpine-secdb-json-samples/311-main.json", 2, 2, 0 },
        { "alpine-secdb-json-samples/311-apache2.json", 2, 2, 0 },
        { "alpine-secdb-json-samples/311-community.json", 0, 0, 0 },
    };

    /// <summary>
    /// Counts from a separate reading of the files (PyYAML with every scalar a string) under the same rules: advisories,
    /// affected packages, and entries left out for a fixed version that is not an apk version.
    /// </summary>
    [SharedDataTheory]
    [MemberData(nameof(SampleFiles))]
    public void ReadsEverySampleFile(string path, int advisories, int affected, int invalid)
    {
        var read = FeedReading.ReadFile(Format, FeedReading.VulnData(path.Split('/')));

        Assert.Equal(invalid, read.Invalid.Count);
        Assert.Equal((advisories, affected), (read.Advisories.Count, read.Advisories.Sum(a => a.Affected.Count)));
        Assert.All(read.Advisories, a => Assert.Equal("alpine-secdb", a.Source));
        Assert.All(read.Advisories.SelectMany(a => a.Affected), p => Assert.StartsWith("Alpine:v3.", p.Ecosystem, StringComparison.Ordinal));
    }

    [SharedDataFact]
    public void JsonAndYamlOfTheSameBranchReadAlike()
    {
        var json = FeedReading.ReadFile(Format, FeedReading.VulnData("alpine-secdb-json-samples", "311-main.json")).Advisories;

        Assert.Equal(
            [
                "alpine-secdb CVE-2018-1333 severity=Unknown\n  Alpine:v3.11 apache2 [Ecosystem Introduced:0 Fixed:2.4.34-r0]\n",
                "alpine-secdb CVE-2018-8011 severity=Unknown\n  Alpine:v3.11 apache2 [Ecosystem Introduced:0 Fixed:2.4.34-r0]\n",
            ],
            json.Select(FeedReading.Describe));
        Assert.Equal(
            json.Select(FeedReading.Describe),
            FeedReading.ReadFile(Format, FeedReading.VulnData("alpine-secdb-json-samples", "311-apache2.json")).Advisories.Select(FeedReading.Describe));
    }

    [Fact]
    public void ReadsWrittenYamlWithVersionsKeptAsText()
    {
        // Plain scalars that YAML 1.1 would turn into numbers or dates stay as written.
        const string yaml = """
            ---
            distroversion: v3.19
            reponame: main
            packages:
              - pkg:
                  name: busybox
                  secfixes:
                    1.36.1-r15:
                      - CVE-2023-42363 CVE-2023-42364
                      - "CVE-2023-42365 "
                    1.10:
                      - CVE-2021-0001
                    0:
                      - CVE-2018-1000500
              - pkg:
                  name: musl
                  secfixes:
                    1.2.4-r1:
                      - CVE-2023-42363
            """;
        var (advisories, invalid) = FeedReading.ReadText(Format, yaml, "main.yaml");

        Assert.Empty(invalid);
        Assert.Equal(
            [
                "alpine-secdb CVE-2023-42363 severity=Unknown\n  Alpine:v3.19 busybox [Ecosystem Introduced:0 Fixed:1.36.1-r15]\n  Alpine:v3.19 musl [Ecosystem Introduced:0 Fixed:1.2.4-r1]\n",
                "alpine-secdb CVE-2023-42364 severity=Unknown\n  Alpine:v3.19 busybox [Ecosystem Introduced:0 Fixed:1.36.1-r15]\n",
                "alpine-secdb CVE-2023-42365 severity=Unknown\n  Alpine:v3.19 busybox [Ecosystem Introduced:0 Fixed:1.36.1-r15]\n",
                "alpine-secdb CVE-2021-0001 severity=Unknown\n  Alpine:v3.19 busybox [Ecosystem Introduced:0 Fixed:1.10]\n",
                "alpine-secdb CVE-2018-1000500 severity=Unknown\n",
            ],
            advisories.Select(FeedReading.Describe));
    }

    [Fact]
    public void ARefixOfTheSamePackageKeepsTheLaterFix()
    {
        const string json = """
            {"distroversion": "v3.20", "reponame": "main", "packages": [
              {"pkg": {"name": "curl", "secfixes": {"8.5.0-r0": ["CVE-2023-46218"], "8.4.0-r0": ["CVE-2023-46218"], "0": ["CVE-2023-46218"]}}}
            ]}
            """;
        var advisory = Assert.Single(FeedReading.ReadText(Format, json).Advisories);

        Assert.Equal("8.5.0-r0", Fixed([advisory], "CVE-2023-46218", "curl"));
    }

    [Fact]
    public void EntriesThatCannotBeUnderstoodAreReportedWithTheirLine()
    {
        const string yaml = """
            distroversion: v3.18
            reponame: community
            packages:
              - pkg:
                  name: ok
                  secfixes:
                    1.0-r0:
                      - CVE-2023-0001
              - pkg:
                  secfixes:
                    1.0-r0:
                      - CVE-2023-0002
              - name: not-under-pkg
              - pkg:
                  name: odd
                  secfixes:
                    not a version:
                      - CVE-2023-0003
                    2.0-r0:
                      - see upstream advisory
                      - [CVE-2023-0004]
                    3.0-r0: {CVE-2023-0005: yes}
              - pkg:
                  name: listless
                  secfixes: [CVE-2023-0006]
            """;
        var (advisories, invalid) = FeedReading.ReadText(Format, yaml, "community.yaml");

        Assert.Equal(
            [
                "community.yaml:10: a package without a name",
                "community.yaml:13: a packages entry without a pkg mapping",
                "community.yaml:17: odd: \"not a version\" is not an apk version",
                "community.yaml:20: odd 2.0-r0: no vulnerability id in \"see upstream advisory\"",
                "community.yaml:21: odd 2.0-r0: an entry that is not text",
                "community.yaml:22: odd 3.0-r0: expected a list of vulnerability ids",
                "community.yaml:25: listless: \"secfixes\" is not a mapping of versions",
            ],
            invalid.Select(p => p.ToString()));
        Assert.Equal("CVE-2023-0001", Assert.Single(advisories).Id);
    }

    [Theory]
    [InlineData("distroversion: v3.18\npackages: [")]
    [InlineData("{\"distroversion\": \"v3.18\", \"packages\": [")]
    [InlineData("reponame: main\npackages: []\n")]
    [InlineData("- distroversion: v3.18\n")]
    [InlineData("")]
    public void AFileThatCannotBeReadAsAWholeIsInvalid(string text) =>
        Assert.Throws<InvalidDataException>(() => FeedReading.ReadText(Format, text, "main.yaml"));

    /// <summary>
    /// A cut JSON file is always detectably cut. A YAML file cut at a line end is still a valid, shorter file: nothing
    /// in the format tells them apart, so a cut download has to be caught where it is fetched (its size or digest).
    /// </summary>
    [SharedDataFact]
    public void EveryCutOfAJsonSampleIsAnInvalidFile()
    {
        var bytes = File.ReadAllBytes(FeedReading.VulnData("alpine-secdb-json-samples", "311-main.json"));
        var end = Array.LastIndexOf(bytes, (byte)'}');
        for (var length = 0; length <= end; length++)
        {
            var cut = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<InvalidDataException>(() => FeedReading.Read(Format, new MemoryStream(cut), "311-main.json"));
        }
    }

    [Fact]
    public void InvalidUtf8IsAnInvalidFile()
    {
        byte[] bytes = [.. "distroversion: v3.18\npackages:\n  - pkg:\n      name: a"u8, 0xC3, 0x28, .. "\n"u8];
        Assert.Throws<InvalidDataException>(() => FeedReading.Read(Format, new MemoryStream(bytes), "main.yaml"));
    }

    [Fact]
    public void AliasBombsAndDeepNestingAreRefused()
    {
        var bomb = "distroversion: v3.18\na: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 12; i++)
        {
            bomb += $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]\n";
        }

        Assert.Throws<InvalidDataException>(() => FeedReading.ReadText(Format, bomb, "bomb.yaml"));

        var deep = "{\"distroversion\": \"v3.18\", \"packages\": " + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.Throws<InvalidDataException>(() => FeedReading.ReadText(Format, deep, "deep.json"));
    }

    [Theory]
    [InlineData("CVE-2019-1234", new[] { "CVE-2019-1234" }, new string[0])]
    [InlineData(" CVE-2016-6263", new[] { "CVE-2016-6263" }, new string[0])]
    [InlineData("CVE-2019-1234 CVE-2019-5678", new[] { "CVE-2019-1234", "CVE-2019-5678" }, new string[0])]
    [InlineData("CVE-2017-8073.patch", new[] { "CVE-2017-8073" }, new string[0])]
    [InlineData("CVE-2017-2616 (+ regression fix)", new[] { "CVE-2017-2616" }, new string[0])]
    [InlineData("CVE-2017-14450 TALOS-2017-0499", new[] { "CVE-2017-14450" }, new[] { "TALOS-2017-0499" })]
    [InlineData("CVE-2016-10134 ZBX-11023", new[] { "CVE-2016-10134" }, new[] { "ZBX-11023" })]
    [InlineData("wnpa-sec-2017-21", new string[0], new[] { "wnpa-sec-2017-21" })]
    [InlineData("CVE-????-?????  XSA-295", new string[0], new[] { "XSA-295" })]
    [InlineData("cve-2020-0001", new[] { "CVE-2020-0001" }, new string[0])]
    [InlineData("XPTI", new string[0], new string[0])]
    [InlineData("(CVE-2020-0002 was a typo)", new string[0], new string[0])]
    public void IdentifiesTheIdsOfAnEntry(string entry, string[] cves, string[] others)
    {
        var (foundCves, foundOthers) = AlpineSecdbFormat.Identifiers(entry);

        Assert.Equal(cves, foundCves);
        Assert.Equal(others, foundOthers);
    }

    private static string Fixed(IEnumerable<Advisory> advisories, string id, string package) =>
        advisories.Single(a => a.Id == id).Affected.Single(p => p.Name == package).Ranges.Single().Events.Single(e => e.Kind == RangeEventKind.Fixed).Version;
}
