using System.Globalization;
using System.Xml.Linq;
using Bulwark.Core.Findings;
using Bulwark.Scanning;
using Xunit;

namespace Bulwark.Reporting.Tests;

public sealed class JUnitReportTests
{
    private static XDocument JUnit(ScanResult result, bool showSuppressed = true) =>
        XDocument.Parse(ReportFixtures.Render(new JUnitReportWriter(), result, showSuppressed));

    private static int Count(XElement element, string attribute) => int.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    private static void AssertCountsAgree(XDocument xml)
    {
        var root = xml.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("bulwark", root.Attribute("name")!.Value);
        var suites = root.Elements("testsuite").ToList();
        foreach (var suite in suites)
        {
            var cases = suite.Elements("testcase").ToList();
            Assert.Equal(cases.Count, Count(suite, "tests"));
            Assert.Equal(cases.Count(c => c.Element("failure") is not null), Count(suite, "failures"));
            Assert.Equal(cases.Count(c => c.Element("error") is not null), Count(suite, "errors"));
            Assert.Equal(cases.Count(c => c.Element("skipped") is not null), Count(suite, "skipped"));
        }

        foreach (var attribute in new[] { "tests", "failures", "errors", "skipped" })
        {
            Assert.Equal(suites.Sum(s => Count(s, attribute)), Count(root, attribute));
        }

        Assert.Equal(root.Descendants("testcase").Count(), Count(root, "tests"));
    }

    [Fact]
    public void Report_parses_and_counts_agree_with_the_test_cases()
    {
        var result = ReportFixtures.FullScan();
        var xml = JUnit(result);

        AssertCountsAgree(xml);
        var root = xml.Root!;
        Assert.Equal(result.Findings.Count(f => f.Suppression is null), Count(root, "failures"));
        Assert.Equal(result.Errors.Count, Count(root, "errors"));
        Assert.Equal(2, Count(root, "skipped"));
    }

    [Fact]
    public void One_suite_per_file_with_a_case_per_finding()
    {
        var xml = JUnit(ReportFixtures.FullScan());
        var suites = xml.Root!.Elements("testsuite").ToDictionary(s => s.Attribute("name")!.Value);

        Assert.Equal([ReportFixtures.AppFile, ReportFixtures.BrokenFile, ReportFixtures.WholeFile, Path.Combine(ReportFixtures.BaseDirectory, "abs", "other.yaml")], suites.Keys);
        var app = suites[ReportFixtures.AppFile].Elements("testcase").ToList();
        Assert.All(app, c => Assert.Equal(ReportFixtures.AppFile, c.Attribute("classname")!.Value));
        Assert.Equal(
            ["BW1001 privileged-container Deployment shop/web [app] 13:13", "BW1001 privileged-container Deployment shop/web [sidecar] 18:13", "BW1001 privileged-container Pod debug [shell] 29:9"],
            app.Select(c => c.Attribute("name")!.Value));

        var failure = app[0].Element("failure")!;
        Assert.Equal("critical", failure.Attribute("type")!.Value);
        Assert.Equal("Container \"app\" runs privileged.", failure.Attribute("message")!.Value);
        Assert.Contains("at manifests/app.yaml:13:13 (Deployment shop/web, container app)", failure.Value, StringComparison.Ordinal);
        Assert.Contains("fix: Remove `securityContext.privileged: true`", failure.Value, StringComparison.Ordinal);

        var wholeFile = Assert.Single(suites[ReportFixtures.WholeFile].Elements("testcase"));
        Assert.Equal("BW9901 test-whole-file_rule", wholeFile.Attribute("name")!.Value);
        Assert.Equal("medium", wholeFile.Element("failure")!.Attribute("type")!.Value);
    }

    [Fact]
    public void Input_warnings_go_to_their_file_suite_system_err()
    {
        var xml = JUnit(ReportFixtures.FullScan());
        var suites = xml.Root!.Elements("testsuite").ToDictionary(s => s.Attribute("name")!.Value);

        var err = Assert.Single(suites[ReportFixtures.AppFile].Elements("system-err"));
        Assert.Equal($"warning: {ReportFixtures.AppFile}:3:9: NetworkPolicy shop/bad: spec.podSelector: invalid; the policy is ignored", err.Value);
        Assert.Empty(suites[ReportFixtures.BrokenFile].Elements("system-err"));
    }

    [Fact]
    public void Input_errors_become_error_cases_and_clean_files_one_passing_case()
    {
        var result = ReportFixtures.Scan("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        var xml = JUnit(result);
        AssertCountsAgree(xml);
        var suites = xml.Root!.Elements("testsuite").ToDictionary(s => s.Attribute("name")!.Value);

        var clean = Assert.Single(suites[ReportFixtures.AppFile].Elements("testcase"));
        Assert.Equal(JUnitReportWriter.CleanFileCase, clean.Attribute("name")!.Value);
        Assert.False(clean.HasElements);

        var read = Assert.Single(suites[ReportFixtures.BrokenFile].Elements("testcase"));
        Assert.Equal("read " + ReportFixtures.BrokenFile, read.Attribute("name")!.Value);
        var error = read.Element("error")!;
        Assert.Equal(Assert.Single(result.Errors).Message, error.Attribute("message")!.Value);
        Assert.StartsWith(ReportFixtures.BrokenFile + ":", error.Value, StringComparison.Ordinal);
        Assert.Equal(1, Count(xml.Root!, "errors"));
        Assert.Equal(0, Count(xml.Root!, "failures"));
    }

    [Fact]
    public void Suppressed_findings_are_skipped_cases_only_with_show_suppressed()
    {
        var result = ReportFixtures.FullScan();

        var hidden = JUnit(result, showSuppressed: false);
        AssertCountsAgree(hidden);
        Assert.Empty(hidden.Descendants("skipped"));
        Assert.DoesNotContain(hidden.Descendants("testcase"), c => c.Attribute("name")!.Value.Contains("[sidecar]", StringComparison.Ordinal));

        // A scanned file whose only finding is suppressed is clean when suppressed findings are hidden.
        var onlySuppressed = ReportFixtures.Scan("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug
            spec:
              containers:
                - name: shell
                  image: busybox:1.36
                  securityContext:
                    privileged: true # bulwark:ignore privileged-container lab only
            """, withBroken: false);
        var clean = Assert.Single(JUnit(onlySuppressed, showSuppressed: false).Descendants("testcase"));
        Assert.Equal(JUnitReportWriter.CleanFileCase, clean.Attribute("name")!.Value);
        var skipped = Assert.Single(JUnit(onlySuppressed, showSuppressed: true).Descendants("testcase"));
        Assert.Equal("suppressed: lab only", skipped.Element("skipped")!.Attribute("message")!.Value);

        var shown = JUnit(result, showSuppressed: true);
        AssertCountsAgree(shown);
        Assert.Equal(
            ["suppressed: debugging the node until the fix ships", "suppressed: accepted risk"],
            shown.Descendants("skipped").Select(s => s.Attribute("message")!.Value));
    }

    [Fact]
    public void Special_characters_are_escaped_and_survive_a_round_trip()
    {
        const string Message = "Value <script>&amp; \"double\" 'single' ]]> Grüße €😀 done";
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        result.Findings.Add(new Finding
        {
            Rule = ReportFixtures.ExtraRule(),
            Severity = Severity.High,
            Message = Message,
            Location = new SourceLocation("dir/<odd> & \"name\".yaml", 2, 3),
            Object = new ObjectReference("v1", "Pod", "ns<&>", "näme"),
            Container = "c'\"",
            Remediation = "Use <this> & \"that\".",
        });

        var text = ReportFixtures.Render(new JUnitReportWriter(), result, showSuppressed: true);
        var xml = XDocument.Parse(text);

        AssertCountsAgree(xml);
        var testcase = xml.Descendants("testcase").Single(c => c.Element("failure") is not null);
        Assert.Equal("dir/<odd> & \"name\".yaml", testcase.Attribute("classname")!.Value);
        Assert.Equal("BW9901 test-whole-file_rule Pod ns<&>/näme [c'\"] 2:3", testcase.Attribute("name")!.Value);
        var failure = testcase.Element("failure")!;
        Assert.Equal(Message, failure.Attribute("message")!.Value);
        Assert.Contains(Message, failure.Value, StringComparison.Ordinal);
        Assert.Contains("fix: Use <this> & \"that\".", failure.Value, StringComparison.Ordinal);
        Assert.Contains("Grüße €😀", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Characters_XML_cannot_carry_are_replaced_not_fatal()
    {
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        result.Findings.Add(new Finding
        {
            Rule = ReportFixtures.ExtraRule(),
            Severity = Severity.Low,
            Message = "bell\u0007 nul\0 lone\uD800 pair😀",
            Location = new SourceLocation("a.yaml", 1, 1),
        });

        var xml = JUnit(result);

        Assert.Equal("bell\uFFFD nul\uFFFD lone\uFFFD pair😀", xml.Descendants("failure").Single().Attribute("message")!.Value);
        Assert.Equal("plain", JUnitReportWriter.XmlSafe("plain"));
    }
}
