using System.Globalization;
using System.Text;
using Bulwark.Images.Vulnerabilities;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

public sealed class DebianTrackerFormatTests
{
    private static readonly DebianTrackerFormat Format = new();

    private static string Sample => FeedReading.VulnData("debian-tracker", "tracker-json-sample.json");

    [SharedDataFact]
    public void ReadsTheTrackerSampleOneAdvisoryPerCve()
    {
        var (advisories, invalid) = FeedReading.ReadFile(Format, Sample);

        Assert.Empty(invalid);
        Assert.Equal(["CVE-2007-2383", "CVE-2008-7220", "CVE-2013-4251"], advisories.Select(a => a.Id).Order(StringComparer.Ordinal));
        var resolved = advisories.Single(a => a.Id == "CVE-2008-7220");
        Assert.Equal(
            """
            debian-tracker CVE-2008-7220 severity=High
              Debian:stretch prototypejs [Ecosystem Introduced:0 Fixed:1.6.0.2-1] severity=High
              Debian:jessie prototypejs [Ecosystem Introduced:0 Fixed:1.6.0.2-1] severity=High
              Debian:sid prototypejs [Ecosystem Introduced:0 Fixed:1.6.0.2-1] severity=High
              Debian:bullseye prototypejs [Ecosystem Introduced:0 Fixed:1.6.0.2-1] severity=High
              Debian:buster prototypejs [Ecosystem Introduced:0 Fixed:1.6.0.2-1] severity=High

            """,
            FeedReading.Describe(resolved));
        Assert.StartsWith("Unspecified vulnerability in Prototype JavaScript framework", resolved.Summary, StringComparison.Ordinal);
        Assert.Equal("https://security-tracker.debian.org/tracker/CVE-2008-7220", resolved.Url);

        // fixed_version "0" in every release: never affected anywhere, so nothing to match; "unimportant" is negligible.
        var notAffected = advisories.Single(a => a.Id == "CVE-2007-2383");
        Assert.Empty(notAffected.Affected);
        Assert.Equal(AdvisorySeverity.Negligible, notAffected.Severity);

        // "not yet assigned" is no severity; no description, no summary.
        var unassigned = advisories.Single(a => a.Id == "CVE-2013-4251");
        Assert.Equal(AdvisorySeverity.Unknown, unassigned.Severity);
        Assert.Null(unassigned.Summary);
        Assert.Equal(5, unassigned.Affected.Count);
        Assert.All(unassigned.Affected, p => Assert.Equal(("python-scipy", AdvisorySeverity.Unknown), (p.Name, p.Severity!.Value)));
    }

    private const string Written = """
        {
          "openssl": {
            "CVE-2024-0727": {
              "scope": "local",
              "description": "  Processing a maliciously formatted PKCS12 file may crash OpenSSL  ",
              "releases": {
                "bookworm": {"status": "resolved", "repositories": {"bookworm": "3.0.13-1~deb12u1"}, "fixed_version": "3.0.13-1~deb12u1", "urgency": "low"},
                "trixie": {"status": "open", "repositories": {"trixie": "3.0.11-1"}, "urgency": "medium*"},
                "bullseye": {"status": "undetermined", "repositories": {"bullseye": "1.1.1w-0+deb11u1"}},
                "buster": {"status": "open", "repositories": {"buster": "1.1.1n-0+deb10u3"}, "urgency": "end-of-life"},
                "stretch": {"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": ""},
                "jessie": {"status": "open", "urgency": "low", "nodsa": "Can be fixed later", "nodsa_reason": "postponed"},
                "sid": {"status": "resolved", "repositories": {"sid": "3.1.4-2"}, "fixed_version": "0", "urgency": "unimportant"}
              }
            },
            "TEMP-0000000-1A2B3C": {
              "releases": {
                "sid": {"status": "open", "urgency": "unimportant"}
              }
            }
          },
          "openssl1.0": {
            "CVE-2024-0727": {
              "description": "a later package's description does not replace the first",
              "releases": {
                "stretch": {"status": "resolved", "fixed_version": "1.0.2u-1~deb9u8", "urgency": "high**"}
              }
            }
          }
        }
        """;

    [Fact]
    public void ResolvedOpenUndeterminedAndNotAffectedReleases()
    {
        var (advisories, invalid) = FeedReading.ReadText(Format, Written);

        Assert.Empty(invalid);
        Assert.Equal(2, advisories.Count);
        var cve = advisories.Single(a => a.Id == "CVE-2024-0727");
        Assert.Equal(
            """
            debian-tracker CVE-2024-0727 severity=High
              Debian:bookworm openssl [Ecosystem Introduced:0 Fixed:3.0.13-1~deb12u1] severity=Low
              Debian:trixie openssl [Ecosystem Introduced:0] severity=Medium status=open
              Debian:bullseye openssl [Ecosystem Introduced:0] severity=Unknown status=undetermined
              Debian:buster openssl [Ecosystem Introduced:0] severity=Unknown status=end-of-life
              Debian:stretch openssl [Ecosystem Introduced:0] severity=Low status=no-dsa
              Debian:jessie openssl [Ecosystem Introduced:0] severity=Low status=postponed
              Debian:stretch openssl1.0 [Ecosystem Introduced:0 Fixed:1.0.2u-1~deb9u8] severity=High

            """,
            FeedReading.Describe(cve));
        Assert.Equal("Processing a maliciously formatted PKCS12 file may crash OpenSSL", cve.Summary);
        Assert.Equal(
            """
            debian-tracker TEMP-0000000-1A2B3C severity=Negligible
              Debian:sid openssl [Ecosystem Introduced:0] severity=Negligible status=open

            """,
            FeedReading.Describe(advisories.Single(a => a.Id == "TEMP-0000000-1A2B3C")));
    }

    [Theory]
    [InlineData("low", AdvisorySeverity.Low)]
    [InlineData("low*", AdvisorySeverity.Low)]
    [InlineData("medium**", AdvisorySeverity.Medium)]
    [InlineData("high", AdvisorySeverity.High)]
    [InlineData("unimportant", AdvisorySeverity.Negligible)]
    [InlineData("not yet assigned", AdvisorySeverity.Unknown)]
    [InlineData("end-of-life", AdvisorySeverity.Unknown)]
    [InlineData("", AdvisorySeverity.Unknown)]
    [InlineData("critical?", AdvisorySeverity.Unknown)]
    [InlineData(null, AdvisorySeverity.Unknown)]
    public void UrgencyBecomesSeverity(string? urgency, AdvisorySeverity expected) =>
        Assert.Equal(expected, DebianTrackerFormat.SeverityOf(urgency));

    [Fact]
    public void EntriesOfTheWrongShapeAreReportedWithFileLineAndReasonAndTheRestIsRead()
    {
        const string text = """
            {
              "good": {"CVE-2020-0001": {"releases": {"sid": {"status": "open", "urgency": "low"}}}},
              "list": ["CVE-2020-0002"],
              "mixed": {
                "CVE-2020-0003": "resolved",
                "CVE-2020-0004": {"description": "no releases"},
                "not-an-id": {"releases": {}},
                "CVE-2020-0005": {
                  "description": 42,
                  "releases": {
                    "sid": {"status": 1},
                    "trixie": {"status": "resolved", "fixed_version": 2},
                    "bookworm": {"status": "fixed", "fixed_version": "1.0-1"},
                    "bullseye": {"status": "resolved"},
                    "buster": "open",
                    "stretch": {"status": "resolved", "fixed_version": "1.0-1", "urgency": ["low"]},
                    "jessie": {"status": "resolved", "fixed_version": "0.9-1", "urgency": "medium"}
                  }
                }
              }
            }
            """;
        var (advisories, invalid) = FeedReading.ReadText(Format, text, "bad.json");

        Assert.Equal(
            [
                "bad.json:3: package list: expected an object of CVEs, found an array",
                "bad.json:4: CVE-2020-0003 in mixed: expected an object, found a string",
                "bad.json:4: CVE-2020-0004 in mixed: \"releases\" is missing or not an object",
                "bad.json:4: package mixed: \"not-an-id\" is not a CVE, TEMP, DSA or DLA id",
                "bad.json:4: CVE-2020-0005 in mixed: \"description\" is a number, not a string; left out",
                "bad.json:4: CVE-2020-0005 in mixed, release sid: \"status\" is a number, not a string",
                "bad.json:4: CVE-2020-0005 in mixed, release trixie: \"fixed_version\" is a number, not a string",
                "bad.json:4: CVE-2020-0005 in mixed, release bookworm: unknown status \"fixed\" (expected resolved, open or undetermined)",
                "bad.json:4: CVE-2020-0005 in mixed, release bullseye: resolved without a fixed_version",
                "bad.json:4: CVE-2020-0005 in mixed, release buster: expected an object, found a string",
                "bad.json:4: CVE-2020-0005 in mixed, release stretch: \"urgency\" is an array, not a string",
            ],
            invalid.Select(p => p.ToString()));
        Assert.Equal(["CVE-2020-0001", "CVE-2020-0005"], advisories.Select(a => a.Id));
        Assert.Equal(
            "debian-tracker CVE-2020-0005 severity=Medium\n  Debian:jessie mixed [Ecosystem Introduced:0 Fixed:0.9-1] severity=Medium\n",
            FeedReading.Describe(advisories[1]));
    }

    [SharedDataFact]
    public void EveryCutOfTheSampleIsAnInvalidFileNeverAnotherError()
    {
        var bytes = File.ReadAllBytes(Sample);
        var end = Array.LastIndexOf(bytes, (byte)'}');
        for (var length = 0; length <= end; length++)
        {
            var cut = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<InvalidDataException>(() => FeedReading.Read(Format, new FeedReading.Trickle(cut, 61), "cut.json"));
        }

        Assert.Equal(3, FeedReading.Read(Format, new FeedReading.Trickle(bytes, 61), "whole.json").Advisories.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"debian\"")]
    [InlineData("{\"p\": {}} {\"q\": {}}")]
    [InlineData("{\"p\": {}} trailing")]
    [InlineData("{\"p\": {\"CVE-2020-0001\": {\"releases\": {}},}}")]
    [InlineData("{\"p\" {}}")]
    public void WhatIsNotATrackerObjectIsAnInvalidFile(string text) =>
        Assert.Throws<InvalidDataException>(() => FeedReading.ReadText(Format, text));

    [Fact]
    public void DeepNestingIsAnInvalidFileNotAStackOverflow()
    {
        var deep = "{\"p\": {\"CVE-2020-0001\": {\"releases\": {}, \"scope\": " + new string('[', 100_000) + new string(']', 100_000) + "}}}";
        var ex = Assert.Throws<InvalidDataException>(() => FeedReading.ReadText(Format, deep, "deep.json"));
        Assert.Contains("deep.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void InvalidUtf8IsReportedNeverThrownAsAnotherError(byte[] junk)
    {
        static byte[] With(byte[] junk, string template)
        {
            var at = template.IndexOf('#', StringComparison.Ordinal);
            return [.. Encoding.UTF8.GetBytes(template[..at]), .. junk, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
        }

        // In a package name the file cannot be read on; in a package's text, that package is left out.
        Assert.Throws<InvalidDataException>(() => FeedReading.Read(Format, new MemoryStream(With(junk, "{\"p#\": {}}")), "utf8.json"));
        var (advisories, invalid) = FeedReading.Read(
            Format,
            new MemoryStream(With(junk, "{\"p\": {\"CVE-2020-0001\": {\"description\": \"#\", \"releases\": {}}},\n\"q\": {\"CVE-2020-0002\": {\"releases\": {}}}}")),
            "utf8.json");
        Assert.Equal("CVE-2020-0002", Assert.Single(advisories).Id);
        Assert.Equal("utf8.json:1: package p: text that is not valid UTF-8; the package's entries after it are left out", Assert.Single(invalid).ToString());
    }

    [Fact]
    public void AnEmptyTrackerHasNoAdvisories() =>
        Assert.Empty(FeedReading.ReadText(Format, "\uFEFF{ }").Advisories);

    [Fact]
    public void ReadsALargeTrackerInSmallReadsAsInOne()
    {
        // 2,000 packages of 3 CVEs, and one package (the kernel's, as in the real file) larger than the 1 MiB window.
        var text = new StringBuilder("{\n");
        for (var p = 0; p < 2000; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\"pkg{p}\": {{");
            for (var c = 0; c < 3; c++)
            {
                text.Append(CultureInfo.InvariantCulture, $"\"CVE-2021-{(p * 3) + c:D5}\": {{\"description\": \"d\\u00e9j\\u00e0 {p}\", \"releases\": {{\"bookworm\": {{\"status\": \"resolved\", \"fixed_version\": \"1.{c}-1\", \"urgency\": \"low\"}}, \"sid\": {{\"status\": \"open\", \"urgency\": \"high\"}}}}}},\n");
            }

            // Every package also has the shared CVE, so that grouping across packages is exercised at scale.
            text.Append("\"CVE-2021-99999\": {\"releases\": {\"sid\": {\"status\": \"resolved\", \"fixed_version\": \"2-1\"}}}},\n");
        }

        text.Append("\"linux\": {");
        for (var c = 0; c < 8000; c++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\"CVE-2022-{c:D5}\": {{\"description\": \"{new string('x', 100)}\", \"releases\": {{\"bookworm\": {{\"status\": \"open\", \"urgency\": \"medium\"}}}}}}{(c < 7999 ? "," : string.Empty)}\n");
        }

        text.Append("}\n}\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Assert.True(bytes.Length > 2 << 20);

        var whole = FeedReading.Read(Format, new MemoryStream(bytes), "big.json");
        var trickled = FeedReading.Read(Format, new FeedReading.Trickle(bytes, 4093), "big.json");

        Assert.Empty(whole.Invalid);
        Assert.Equal((2000 * 3) + 1 + 8000, whole.Advisories.Count);
        Assert.Equal(2000, whole.Advisories.Single(a => a.Id == "CVE-2021-99999").Affected.Count);
        Assert.Equal("déjà 1999", whole.Advisories.Single(a => a.Id == "CVE-2021-05999").Summary);
        Assert.Equal(whole.Advisories.Select(FeedReading.Describe), trickled.Advisories.Select(FeedReading.Describe));
    }

    [Fact]
    public void ProblemsCarryTheLineTheirPackageStartsOnAcrossReads()
    {
        var text = new StringBuilder("{\n");
        for (var p = 0; p < 30_000; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\"pkg{p}\": {{\"CVE-2020-{p:D5}\": {{\"releases\": {{}}}}}},\n");
        }

        text.Append("\"broken\": 7\n}\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var (_, invalid) = FeedReading.Read(Format, new FeedReading.Trickle(bytes, 1000), "lines.json");

        Assert.Equal("lines.json:30002: package broken: expected an object of CVEs, found a number", Assert.Single(invalid).ToString());
    }
}
