using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>The HTML report as a browser shows it: Debian's chromium renders it headless.</summary>
public sealed partial class HtmlReportBrowserTests
{
    private const int Width = 1280;
    private const int Height = 2400;

    [SkippableFact]
    public void The_examples_report_renders_and_its_page_holds_every_finding_of_the_json_report()
    {
        using var browser = HeadlessChromium.Start();
        using var tree = new TempTree();
        var examples = RepositoryPaths.InRepo("examples");
        var expected = JsonFindings(examples);
        var report = tree.PathOf("report.html");

        var run = CliRunner.Run("scan", examples, "--format", "html", "-o", report);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);

        var png = browser.Screenshot(report, Width, Height);
        Assert.True(png.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG file");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        // A blank page of this size compresses to a few kilobytes; text, boxes and the chart make it far larger.
        Assert.True(png.Length > 50_000, $"the screenshot is {png.Length} bytes: the page looks empty");

        var dom = browser.DumpDom(report);
        Assert.Equal(expected, FindingElement().Count(dom));

        // The script ran: it showed the filters and counted the findings.
        Assert.Matches("<form id=\"filters\">", dom);
        Assert.Contains($"<output id=\"shown\" aria-live=\"polite\">{expected} findings</output>", dom, StringComparison.Ordinal);

        // The examples have network policies and RBAC objects: the graph and the paths section are there.
        Assert.Contains("<section id=\"network\">", dom, StringComparison.Ordinal);
        Assert.Matches("<g class=\"edge[^\"]*\" data-edge=\"\">", dom);
        Assert.Contains("<section id=\"rbac\">", dom, StringComparison.Ordinal);
    }

    /// <summary>Filters given in the address apply when the page opens: only the findings they match show, grouped by rule.</summary>
    [SkippableFact]
    public void Filters_in_the_address_show_only_the_matching_findings()
    {
        using var browser = HeadlessChromium.Start();
        using var tree = new TempTree();
        var examples = RepositoryPaths.InRepo("examples");
        using var json = JsonDocument.Parse(CliRunner.Run("scan", examples, "--format", "json").Out);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        var report = tree.PathOf("report.html");
        Assert.Equal(1, CliRunner.Run("scan", examples, "--format", "html", "-o", report).ExitCode);

        var critical = findings.Count(f => f.GetProperty("severity").GetString() == "critical");
        var dom = browser.DumpDom(report, "#filter?severity=critical&group=rule");
        Assert.Equal(findings.Count, FindingElement().Count(dom));
        Assert.Equal(critical, ShownFindingElement().Count(dom));
        Assert.Contains($"{critical} of {findings.Count} findings shown</output>", dom, StringComparison.Ordinal);
        Assert.Contains("<div id=\"by-file\" hidden=\"\">", dom, StringComparison.Ordinal);
        Assert.Contains("<div id=\"by-rule\">", dom, StringComparison.Ordinal);

        // Grouped by rule, each finding carries its file along.
        Assert.Equal(findings.Count, Regex.Count(dom, "<div class=\"ctx\"><div class=\"where\">"));

        // Compose services' findings of one rule: the source kind is the object's.
        var composeRoot = findings.Count(f => f.GetProperty("slug").GetString() == "runs-as-root"
            && f.GetProperty("object").ValueKind == JsonValueKind.Object && f.GetProperty("object").GetProperty("kind").GetString() == "service");
        Assert.True(composeRoot > 0, "the examples have a Compose service running as root");
        dom = browser.DumpDom(report, "#filter?rule=BW1005&kind=compose");
        Assert.Equal(composeRoot, ShownFindingElement().Count(dom));
        Assert.Contains("<div id=\"by-rule\" hidden=\"\">", dom, StringComparison.Ordinal);
    }

    /// <summary>Names, values, comments and a file name that are markup end up as text in the browser's DOM: no element of theirs, no script of theirs.</summary>
    [SkippableFact]
    public void Markup_in_the_input_creates_no_element_in_the_browser()
    {
        using var browser = HeadlessChromium.Start();
        using var tree = new TempTree();
        var inputs = Directory.CreateDirectory(tree.PathOf("inputs")).FullName;
        HostileInputs.WriteTo(inputs);
        var expected = JsonFindings(inputs);
        var report = tree.PathOf("report.html");

        var run = CliRunner.Run("scan", inputs, "--format", "html", "--output", report);
        Assert.Equal(2, run.ExitCode);

        var dom = browser.DumpDom(report);
        Assert.Equal(expected, FindingElement().Count(dom));
        Assert.DoesNotMatch("<[a-zA-Z]+[^>]*\\sid=\"?injected", dom);
        Assert.DoesNotContain("data-pwned", dom, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(dom, "<script", RegexOptions.IgnoreCase));
        Assert.Contains("&lt;b id=injected-container&gt;", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;svg onload=alert(4) id=injected-service&gt;", dom, StringComparison.Ordinal);
        Assert.Contains($"<title>Bulwark report: {expected} findings</title>", dom, StringComparison.Ordinal);
        Assert.Contains($"{expected} findings</output>", dom, StringComparison.Ordinal);
    }

    private static int JsonFindings(string path)
    {
        var run = CliRunner.Run("scan", path, "--format", "json");
        using var json = JsonDocument.Parse(run.Out);
        var count = json.RootElement.GetProperty("findings").GetArrayLength();
        Assert.True(count > 0, "the scan finds something");
        return count;
    }

    /// <summary>A finding element as the browser serializes it (the attribute without a value becomes <c>data-finding=""</c>).</summary>
    [GeneratedRegex("<article [^>]*\\bdata-finding=\"\"")]
    private static partial Regex FindingElement();

    /// <summary>A finding element the filters left shown (the script hides the others with <c>hidden</c>).</summary>
    [GeneratedRegex("<article (?![^>]*\\shidden=\"\")[^>]*\\bdata-finding=\"\"")]
    private static partial Regex ShownFindingElement();
}
