using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core.Findings;
using Xunit;

namespace Bulwark.Reporting.Tests;

public sealed class JsonReportTests
{
    /// <summary>
    /// A report of thousands of findings (serialized in chunks on several threads) has every finding once, in scan
    /// order, and exactly the bytes of a single writer: re-indenting the parsed report gives the same text.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Large_report_is_complete_ordered_and_formatted_as_one_writer_would(bool showSuppressed)
    {
        var result = ReportFixtures.FullScan();
        var rules = Enumerable.Range(0, 7).Select(i => ReportFixtures.ExtraRule($"BW99{i:00}", (Severity)(i % 5))).ToList();
        for (var i = 0; i < 3000; i++)
        {
            result.Findings.Add(new Finding
            {
                Rule = rules[i % rules.Count],
                Severity = (Severity)(i % 5),
                Message = $"Finding {i}: \"quoted\", ünïcode, tab\tand <html> & a newline\n({new string('x', i % 300)})",
                Remediation = i % 11 == 0 ? $"Special fix {i}." : null,
                Location = new SourceLocation($"dir {i / 500}/file-{i / 37}.yaml", (i % 400) + 1, (i % 7) + 1),
                Document = i % 3,
                Object = i % 13 == 0 ? null : new ObjectReference(i % 2 == 0 ? "v1" : null, "Pod", i % 4 == 0 ? null : "ns", $"pod-{i}"),
                Container = i % 5 == 0 ? null : "app",
                AlsoViolates = i % 17 == 0 ? ["privileged"] : [],
                Suppression = i % 29 == 0 ? new Suppression("inline", $"file-{i}.yaml:{i}", null) : null,
            });
        }

        var text = ReportFixtures.Render(new JsonReportWriter(), result, showSuppressed);

        using var parsed = JsonDocument.Parse(text);
        var expected = result.Findings.Where(f => showSuppressed || f.Suppression is null).Select(f => f.Message).ToList();
        var written = parsed.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("message").GetString() ?? string.Empty).ToList();
        Assert.Equal(expected, written);

        using var canonical = new MemoryStream();
        using (var writer = new Utf8JsonWriter(canonical, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            parsed.WriteTo(writer);
        }

        Assert.Equal(Encoding.UTF8.GetString(canonical.ToArray()) + "\n", text);
    }

    [Fact]
    public void Empty_report_has_an_empty_findings_array()
    {
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        using var parsed = JsonDocument.Parse(ReportFixtures.Render(new JsonReportWriter(), result));
        Assert.Equal(0, parsed.RootElement.GetProperty("findings").GetArrayLength());
    }

    [Theory]
    [InlineData(null, "https://")]
    [InlineData("https://docs.example.com/bulwark/rules", "https://docs.example.com/bulwark/rules/BW1001.md")]
    [InlineData("https://docs.example.com/bulwark/rules/", "https://docs.example.com/bulwark/rules/BW1001.md")]
    [InlineData("https://wiki.example.com/security/{slug}.html?id={id}", "https://wiki.example.com/security/privileged-container.html?id=BW1001")]
    public void Help_links_go_to_the_repository_at_the_version_or_under_the_configured_base(string? helpBaseUrl, string expectedStart)
    {
        var result = ReportFixtures.Scan(withBroken: false);
        using var stream = new MemoryStream();
        new JsonReportWriter().Write(result, new ReportOptions { ToolVersion = "2.0.1", HelpBaseUrl = helpBaseUrl }, stream);
        using var parsed = JsonDocument.Parse(stream.ToArray());
        var links = parsed.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("helpUri").GetString()!).Distinct().ToList();
        var link = Assert.Single(links);
        Assert.StartsWith(expectedStart, link, StringComparison.Ordinal);
        if (helpBaseUrl is null)
        {
            Assert.Equal(ToolInfo.RepositoryUrl + "/blob/v2.0.1/docs/rules/BW1001.md", link);
        }
    }
}
