using System.Text;
using Bulwark.Images.Vulnerabilities;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

public sealed class OsvFormatTests
{
    private static (List<Advisory> Advisories, List<ImportProblem> Invalid) Read(OsvFormat format, string text, string file = "record")
    {
        var invalid = new List<ImportProblem>();
        var advisories = format.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), file, invalid).ToList();
        return (advisories, invalid);
    }

    [Fact]
    public void Yaml_keeps_unquoted_timestamps_and_versions_as_text()
    {
        const string yaml = """
            id: PYSEC-2099-1
            modified: 2024-09-17 19:15:00+00:00
            published: 2024-09-17T10:00:00Z
            aliases:
            - CVE-2099-0001
            - GHSA-aaaa-bbbb-cccc
            details: |-
              Example-Lib before 1.10 lets a remote attacker read files. Later text is not part of the summary.
            affected:
            - package:
                ecosystem: PyPI
                name: Example_Lib
              ranges:
              - type: ECOSYSTEM
                events:
                - introduced: "0"
                - fixed: 1.10
              versions:
              - 1.0
              - "1.9"
            references:
            - type: WEB
              url: https://example.com/web
            - type: ADVISORY
              url: https://example.com/advisory
            """;

        var (advisories, invalid) = Read(OsvFormat.Yaml, yaml);

        Assert.Empty(invalid);
        var advisory = Assert.Single(advisories);
        Assert.Equal(("PYSEC-2099-1", "osv"), (advisory.Id, advisory.Source));
        Assert.Equal(new DateTimeOffset(2024, 9, 17, 19, 15, 0, TimeSpan.Zero), advisory.Modified);
        Assert.Equal(new DateTimeOffset(2024, 9, 17, 10, 0, 0, TimeSpan.Zero), advisory.Published);
        Assert.Equal(["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"], advisory.Aliases);
        Assert.Equal("Example-Lib before 1.10 lets a remote attacker read files.", advisory.Summary);
        Assert.Equal("https://example.com/advisory", advisory.Url);
        var package = Assert.Single(advisory.Affected);
        Assert.Equal(("PyPI", "example-lib"), (package.Ecosystem, package.Name));
        Assert.Equal([new RangeEvent(RangeEventKind.Introduced, "0"), new RangeEvent(RangeEventKind.Fixed, "1.10")], Assert.Single(package.Ranges).Events);
        Assert.Equal(["1.0", "1.9"], package.Versions);
    }

    [Fact]
    public void Json_maps_severity_aliases_upstream_and_drops_git_ranges()
    {
        const string json = """
            {
              "schema_version": "1.6.0",
              "id": "DEBIAN-CVE-2099-2",
              "modified": "2024-03-01T00:00:00Z",
              "upstream": ["CVE-2099-0002"],
              "summary": "Overflow in\nthe parser",
              "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
                           {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
              "affected": [
                {"package": {"ecosystem": "Debian:12", "name": "libexample"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1.2-3"}]},
                            {"type": "GIT", "repo": "https://example.com/x.git", "events": [{"introduced": "abc"}, {"fixed": "def"}]}]},
                {"ranges": [{"type": "GIT", "repo": "https://example.com/x.git", "events": [{"introduced": "0"}, {"fixed": "def"}]}]}
              ],
              "references": [{"type": "FIX", "url": "https://example.com/fix"}, {"type": "WEB", "url": "https://example.com/web"}],
              "database_specific": {"severity": "MODERATE"}
            }
            """;

        var (advisories, invalid) = Read(OsvFormat.Json, json);

        Assert.Empty(invalid);
        var advisory = Assert.Single(advisories);
        Assert.Equal(["CVE-2099-0002"], advisory.Aliases);
        Assert.Equal("Overflow in the parser", advisory.Summary);
        Assert.Equal("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", advisory.CvssVector);
        Assert.Equal(AdvisorySeverity.Medium, advisory.Severity); // the feed's own word wins over the score's band
        Assert.Equal(9.8, advisory.CvssScore);
        Assert.Equal("https://example.com/web", advisory.Url);
        var package = Assert.Single(advisory.Affected);
        Assert.Equal(("Debian:bookworm", "libexample"), (package.Ecosystem, package.Name));
        var range = Assert.Single(package.Ranges);
        Assert.Equal(RangeKind.Ecosystem, range.Kind);
        Assert.Equal(RangeEventKind.LastAffected, range.Events[1].Kind);
    }

    [Theory]
    [InlineData("""{"modified": "2024-01-01T00:00:00Z", "affected": []}""", 1, "record has no id")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z"}""", 1, "X-1: no affected packages")]
    [InlineData("""
        {"id": "X-2",
         "affected": [{"package": {"ecosystem": "npm", "name": "a"},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"patched": "1.0.0"}]}]}]}
        """, 3, "X-2: affected[0].ranges[0]: unknown event \"patched\"")]
    [InlineData("""
        {"id": "X-3",
         "affected": [{"package": {"ecosystem": "npm", "name": "a"},
                       "ranges": [{"type": "SEMVER", "events": [{"fixed": "1.0.0"}]}]}]}
        """, 3, "X-3: affected[0].ranges[0] has no introduced event")]
    [InlineData("""
        {"id": "X-4",
         "affected": [{"package": {"ecosystem": "npm", "name": "a"},
                       "ranges": [{"type": "CALVER", "events": [{"introduced": "0"}]}]}]}
        """, 3, "X-4: affected[0].ranges[0]: unknown range type \"CALVER\"")]
    [InlineData("""
        {"id": "X-5",
         "affected": [{"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
        """, 2, "X-5: affected[0] has no package")]
    [InlineData("""
        {"id": "X-6",
         "affected": [{"package": {"ecosystem": "npm", "name": "a"},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.0.0"}]}]}]}
        """, 3, "X-6: affected[0].ranges[0]: an interval is introduced and fixed at the same version 1.0.0")]
    public void Invalid_records_are_reported_with_their_line_and_reason(string json, int line, string reason)
    {
        var (advisories, invalid) = Read(OsvFormat.Json, json, "feed.json");

        Assert.Empty(advisories);
        Assert.Equal(new ImportProblem("feed.json", line, reason), Assert.Single(invalid));
    }

    [Fact]
    public void A_list_keeps_its_valid_records_and_reports_the_others()
    {
        const string json = """
            [
              {"id": "GO-1", "affected": [{"package": {"ecosystem": "Go", "name": "example.com/a"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]},
              {"id": "GO-2"},
              {"id": "GO-3", "withdrawn": "2024-05-01T00:00:00Z"}
            ]
            """;

        var (advisories, invalid) = Read(OsvFormat.Json, json, "list.json");

        Assert.Equal(["GO-1", "GO-3"], advisories.Select(a => a.Id));
        Assert.NotNull(advisories[1].Withdrawn);
        Assert.Equal(new ImportProblem("list.json", 3, "GO-2: no affected packages"), Assert.Single(invalid));
    }

    [Fact]
    public void A_file_that_is_not_json_cannot_be_read_as_a_whole()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(OsvFormat.Json, """{"id": "GO-1", "affected": [ """));
        Assert.StartsWith("line 1:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GO-2020-0001.json", """{"schema_version":"1.3.1","id":"GO-2020-0001",""", true)]
    [InlineData("record.json", """  {"affected": [], "modified": "2024-01-01T00:00:00Z" """, true)]
    [InlineData("1.json", """{ "id": 1, "created_at": "2015-10-17", "module_name": "x" }""", false)]
    [InlineData("schema.json", """{ "$schema": "x", "$id": "https://x", "properties": { "id": { "type": "string" } } }""", false)]
    [InlineData("record.txt", """{"id": "GO-1"}""", false)]
    public void Json_is_recognised_by_a_string_id_or_modified(string name, string head, bool expected)
    {
        Assert.Equal(expected, OsvFormat.Json.Recognizes(name, Encoding.UTF8.GetBytes(head)));
    }

    [Theory]
    [InlineData("PYSEC-1.yaml", "id: PYSEC-1\nmodified: 2024-01-01T00:00:00Z\n", true)]
    [InlineData("PYSEC-1.yml", "details: x\nid: PYSEC-1\naffected:\n", true)]
    [InlineData("CVE-2009-3009.yml", "---\ngem: actionpack\ncve: 2009-3009\nurl: x\n", false)]
    [InlineData("main.yaml", "distroversion: v3.10\nreponame: main\npackages:\n", false)]
    public void Yaml_is_recognised_by_its_top_level_keys(string name, string head, bool expected)
    {
        Assert.Equal(expected, OsvFormat.Yaml.Recognizes(name, Encoding.UTF8.GetBytes(head)));
    }
}
