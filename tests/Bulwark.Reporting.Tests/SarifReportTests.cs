using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Scanning;
using Bulwark.TestSupport;
using NJsonSchema;
using NJsonSchema.Validation;
using Xunit;

namespace Bulwark.Reporting.Tests;

public sealed class SarifReportTests
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(() =>
        JsonSchema.FromFileAsync(RepositoryPaths.InShared("conformance", "sarif", "sarif-schema-2.1.0.json")));

    private static string Sarif(ScanResult result, bool showSuppressed = true) =>
        ReportFixtures.Render(new SarifReportWriter(), result, showSuppressed);

    private static JsonElement Run(string sarif) => JsonDocument.Parse(sarif).RootElement.GetProperty("runs")[0];

    private static List<JsonElement> Results(string sarif) => [.. Run(sarif).GetProperty("results").EnumerateArray()];

    private static async Task<List<string>> Validate(string json)
    {
        var schema = await Schema.Value;
        var errors = new List<string>();
        Flatten(schema.Validate(json), errors, string.Empty);
        return errors;
    }

    private static void Flatten(IEnumerable<ValidationError> errors, List<string> into, string indent)
    {
        foreach (var error in errors)
        {
            into.Add($"{indent}{error.Kind} at {error.Path} (line {error.LineNumber}:{error.LinePosition})");
            if (error is ChildSchemaValidationError child)
            {
                foreach (var nested in child.Errors.Values)
                {
                    Flatten(nested, into, indent + "  ");
                }
            }
        }
    }

    [SharedDataFact]
    public async Task Report_with_findings_suppressions_errors_and_whole_file_findings_validates_against_the_OASIS_schema()
    {
        var result = ReportFixtures.FullScan();
        Assert.Contains(result.Findings, f => f.Suppression is not null);
        Assert.Contains(result.Findings, f => f.Location.Line == 0);
        Assert.NotEmpty(result.Errors);
        Assert.True(result.Findings.Count(f => f.Suppression is null) >= 3);

        var sarif = Sarif(result);
        var errors = await Validate(sarif);

        Assert.True(errors.Count == 0, "SARIF schema violations:\n" + string.Join('\n', errors) + "\n\n" + sarif);
    }

    [SharedDataFact]
    public async Task Report_of_a_clean_scan_validates_against_the_OASIS_schema()
    {
        var result = ReportFixtures.Scan("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", withBroken: false);
        var sarif = Sarif(result);

        Assert.Empty(await Validate(sarif));
        Assert.True(Run(sarif).GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean());
        Assert.Empty(Results(sarif));
    }

    [SharedDataFact]
    public async Task A_rule_whose_severity_varies_carries_its_default_and_range_and_each_result_its_own_level()
    {
        var result = new ScanEngine().Scan([TestScans.Parse("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: implicit
                  image: app:1.0.0
                - name: explicit
                  image: app:1.0.0
                  securityContext:
                    runAsUser: 0
            """, ReportFixtures.AppFile)], new ScanOptions { Paths = [], OnlyRules = ["runs-as-root"] });
        var sarif = Sarif(result);
        Assert.Empty(await Validate(sarif));

        var rule = Assert.Single(Run(sarif).GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray());
        Assert.Equal("warning", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        var properties = rule.GetProperty("properties");
        Assert.Equal("5.5", properties.GetProperty("security-severity").GetString());
        Assert.Equal("medium", properties.GetProperty("defaultSeverity").GetString());
        Assert.Equal("low", properties.GetProperty("minimumSeverity").GetString());
        Assert.Equal("high", properties.GetProperty("maximumSeverity").GetString());
        Assert.Contains("**Severity:** medium by default, low to high. Medium when nothing sets a user", rule.GetProperty("help").GetProperty("markdown").GetString()!, StringComparison.Ordinal);

        Assert.Equal(["warning", "error"], Results(sarif).Select(r => r.GetProperty("level").GetString()));
    }

    [SharedDataTheory]
    [InlineData("\"startLine\": \\d+", "\"startLine\": 0")]
    [InlineData("\"startLine\":", "\"firstLine\":")]
    [InlineData("\"level\": \"error\"", "\"level\": \"critical\"")]
    [InlineData("\"version\": \"2\\.1\\.0\"", "\"version\": \"2.0.0\"")]
    [InlineData("\"ruleIndex\": \\d+", "\"ruleIndex\": -2")]
    public async Task Schema_check_rejects_invalid_SARIF(string pattern, string replacement)
    {
        // Guards the validation above: the schema really loaded and really checks.
        var sarif = Sarif(ReportFixtures.FullScan());
        var broken = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1)).Replace(sarif, replacement, 1);
        Assert.NotEqual(sarif, broken);

        Assert.NotEmpty(await Validate(broken));
    }

    [Fact]
    public void Report_has_no_empty_objects_and_no_snippets()
    {
        // The OASIS schema lets an empty snippet through, but the spec (§3.3.2) and GitHub do not; so no
        // snippets, and no empty objects anywhere.
        var sarif = Sarif(ReportFixtures.FullScan());
        var empty = new List<string>();
        Walk(JsonDocument.Parse(sarif).RootElement, "$");

        Assert.True(empty.Count == 0, "empty objects at: " + string.Join(", ", empty));
        Assert.DoesNotContain("\"snippet\"", sarif, StringComparison.Ordinal);

        void Walk(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                if (!element.EnumerateObject().Any())
                {
                    empty.Add(path);
                }

                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path + "." + property.Name);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]");
                }
            }
        }
    }

    [Fact]
    public void Run_describes_the_tool_and_every_rule_once()
    {
        var result = ReportFixtures.FullScan();
        var run = Run(Sarif(result));
        var root = JsonDocument.Parse(Sarif(result)).RootElement;
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());

        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("bulwark", driver.GetProperty("name").GetString());
        Assert.Equal("1.2.3", driver.GetProperty("version").GetString());
        Assert.Equal("1.2.3", driver.GetProperty("semanticVersion").GetString());
        Assert.Equal(ToolInfo.RepositoryUrl, driver.GetProperty("informationUri").GetString());
        Assert.StartsWith("https://", ToolInfo.RepositoryUrl, StringComparison.Ordinal);

        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        var ids = rules.Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal([.. result.Rules.Select(r => r.Id), "BW9901"], ids);

        var privileged = rules[0];
        Assert.Equal("PrivilegedContainer", privileged.GetProperty("name").GetString());
        Assert.Equal("Container runs privileged", privileged.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.DoesNotContain("\n", privileged.GetProperty("fullDescription").GetProperty("text").GetString()!, StringComparison.Ordinal);
        Assert.Equal("error", privileged.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.Equal("9.5", privileged.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal(["security", "Privileges", "privileged-container"], privileged.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        // The page as it was at the version the report names, in the repository, so the link never shows a later rule.
        Assert.Equal(ToolInfo.RepositoryUrl + "/blob/v1.2.3/docs/rules/BW1001.md", privileged.GetProperty("helpUri").GetString());
        Assert.Equal("critical", privileged.GetProperty("properties").GetProperty("minimumSeverity").GetString());
        Assert.Equal("critical", privileged.GetProperty("properties").GetProperty("maximumSeverity").GetString());
        Assert.DoesNotContain("**Severity:**", privileged.GetProperty("help").GetProperty("markdown").GetString()!, StringComparison.Ordinal);
        var markdown = privileged.GetProperty("help").GetProperty("markdown").GetString()!;
        Assert.StartsWith("**Why:** A privileged container", markdown, StringComparison.Ordinal);
        Assert.Contains("**Fix:** Remove `privileged: true`", markdown, StringComparison.Ordinal);

        var extra = rules[1];
        Assert.Equal("TestWholeFileRule", extra.GetProperty("name").GetString());
        Assert.Equal("Some problems belong to a file rather than to one line of it.", extra.GetProperty("fullDescription").GetProperty("text").GetString());
        Assert.Equal("Fix the file.", extra.GetProperty("help").GetProperty("text").GetString());
    }

    [Fact]
    public void Rule_index_points_at_the_result_rule()
    {
        var results = Results(Sarif(ReportFixtures.FullScan()));
        var rules = Run(Sarif(ReportFixtures.FullScan())).GetProperty("tool").GetProperty("driver").GetProperty("rules");

        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "BW9901");
        Assert.All(results, r => Assert.Equal(r.GetProperty("ruleId").GetString(), rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData(Severity.Critical, "error", "9.5")]
    [InlineData(Severity.High, "error", "8.0")]
    [InlineData(Severity.Medium, "warning", "5.5")]
    [InlineData(Severity.Low, "note", "3.0")]
    [InlineData(Severity.Info, "note", "1.0")]
    public void Levels_and_security_severity_follow_severity(Severity severity, string level, string securitySeverity)
    {
        var rule = ReportFixtures.ExtraRule(severity: severity);
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        result.Findings.Add(new Finding { Rule = rule, Severity = severity, Message = "m", Location = new SourceLocation("a.yaml", 1, 1) });
        var sarif = Sarif(result);

        var reported = Assert.Single(Results(sarif));
        Assert.Equal(level, reported.GetProperty("level").GetString());
        Assert.Equal(severity.ToName(), reported.GetProperty("properties").GetProperty("severity").GetString());
        var descriptor = Run(sarif).GetProperty("tool").GetProperty("driver").GetProperty("rules")[reported.GetProperty("ruleIndex").GetInt32()];
        Assert.Equal(level, descriptor.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.Equal(securitySeverity, descriptor.GetProperty("properties").GetProperty("security-severity").GetString());
    }

    [Fact]
    public void Regions_are_the_findings_one_based_lines_and_whole_file_findings_have_none()
    {
        var result = ReportFixtures.FullScan();
        var shown = result.Findings;
        var results = Results(Sarif(result));
        Assert.Equal(shown.Count, results.Count);

        for (var i = 0; i < shown.Count; i++)
        {
            var physical = results[i].GetProperty("locations")[0].GetProperty("physicalLocation");
            if (shown[i].Location.Line == 0)
            {
                Assert.False(physical.TryGetProperty("region", out _));
            }
            else
            {
                var region = physical.GetProperty("region");
                Assert.Equal(shown[i].Location.Line, region.GetProperty("startLine").GetInt32());
                Assert.Equal(shown[i].Location.Column, region.GetProperty("startColumn").GetInt32());
                Assert.True(region.GetProperty("startLine").GetInt32() >= 1);
            }
        }

        // "privileged: true" of container "app" starts at line 13, column 13 of the fixture.
        var app = results.Single(r => r.GetProperty("properties").TryGetProperty("container", out var c) && c.GetString() == "app");
        var appRegion = app.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal(13, appRegion.GetProperty("startLine").GetInt32());
        Assert.Equal(13, appRegion.GetProperty("startColumn").GetInt32());
    }

    [Fact]
    public void Results_carry_message_with_fix_logical_location_and_properties()
    {
        var app = Results(Sarif(ReportFixtures.FullScan())).First(r => r.GetProperty("properties").TryGetProperty("container", out var c) && c.GetString() == "app");

        Assert.Equal("Container \"app\" runs privileged. Fix: Remove `securityContext.privileged: true`; grant the one capability or device the workload really needs instead.",
            app.GetProperty("message").GetProperty("text").GetString());
        var logical = app.GetProperty("locations")[0].GetProperty("logicalLocations")[0];
        Assert.Equal("Deployment/shop/web/app", logical.GetProperty("fullyQualifiedName").GetString());
        Assert.Equal("object", logical.GetProperty("kind").GetString());
        var properties = app.GetProperty("properties");
        Assert.Equal("critical", properties.GetProperty("severity").GetString());
        Assert.Equal("Deployment shop/web", properties.GetProperty("object").GetString());
        Assert.Equal(0, properties.GetProperty("document").GetInt32());
        Assert.False(app.TryGetProperty("suppressions", out _));
    }

    [Fact]
    public void Artifact_uris_are_relative_to_the_base_directory_and_escaped()
    {
        var sarif = Sarif(ReportFixtures.FullScan());
        var uris = Results(sarif).Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation")).ToList();

        var app = uris.First(u => u.GetProperty("uri").GetString() == "manifests/app.yaml");
        Assert.Equal("%SRCROOT%", app.GetProperty("uriBaseId").GetString());
        var escaped = uris.Single(u => u.GetProperty("uri").GetString()!.StartsWith("dir", StringComparison.Ordinal));
        Assert.Equal("dir%20with%20space/%C3%BCn%C3%AFcode%20%231.yaml", escaped.GetProperty("uri").GetString());
        var absoluteUnderBase = uris.Single(u => u.GetProperty("uri").GetString()!.EndsWith("other.yaml", StringComparison.Ordinal));
        Assert.Equal("abs/other.yaml", absoluteUnderBase.GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", absoluteUnderBase.GetProperty("uriBaseId").GetString());

        var root = Run(sarif).GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString()!;
        Assert.StartsWith("file:///", root, StringComparison.Ordinal);
        Assert.EndsWith("/bulwark-report-tests/", root, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_outside_the_base_directory_become_absolute_file_uris()
    {
        var outside = Path.GetFullPath(Path.Combine(ReportFixtures.BaseDirectory, "..", "elsewhere", "a b.yaml"));

        var uri = ArtifactUri.From(outside, ReportFixtures.BaseDirectory);
        Assert.False(uri.IsRelative);
        Assert.StartsWith("file:///", uri.Uri, StringComparison.Ordinal);
        Assert.EndsWith("/elsewhere/a%20b.yaml", uri.Uri, StringComparison.Ordinal);
        Assert.True(Uri.TryCreate(uri.Uri, UriKind.Absolute, out var parsed));
        Assert.Equal(outside, parsed.LocalPath);

        Assert.False(ArtifactUri.From("../up.yaml", ReportFixtures.BaseDirectory).IsRelative);
        Assert.Equal(new ArtifactUri("stdin", false), ArtifactUri.From("<stdin>", ReportFixtures.BaseDirectory));
        Assert.Equal(new ArtifactUri("a/b.yaml", true), ArtifactUri.From("./a//b.yaml", ReportFixtures.BaseDirectory));
    }

    [Fact]
    public void Fingerprints_survive_line_moves_and_differ_between_findings()
    {
        static List<string> Fingerprints(string yaml) =>
            [.. Results(Sarif(ReportFixtures.Scan(yaml, withBroken: false))).Select(r => r.GetProperty("partialFingerprints").GetProperty("bulwark/v1").GetString()!)];

        var before = Fingerprints(ReportFixtures.AppYaml);
        var moved = Fingerprints("# a comment\n\n# pushes every line down\n" + ReportFixtures.AppYaml.Replace("          image: nginx:1.27\n", "          image: nginx:1.27\n          imagePullPolicy: Always\n", StringComparison.Ordinal));
        var renamed = Fingerprints(ReportFixtures.AppYaml.Replace("name: app", "name: api", StringComparison.Ordinal));

        Assert.Equal(3, before.Count);
        Assert.Equal(before.Count, before.Distinct().Count());
        Assert.Equal(before, moved);
        Assert.NotEqual(before[0], renamed[0]);
        Assert.Equal(before[1..], renamed[1..]);
        Assert.All(before, f => Assert.Matches("^[0-9a-f]{32}:1$", f));

        static List<int> Lines(string yaml) =>
            [.. Results(Sarif(ReportFixtures.Scan(yaml, withBroken: false))).Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32())];
        Assert.Equal(Lines(ReportFixtures.AppYaml).Select(l => l + 3), Lines("\n\n\n" + ReportFixtures.AppYaml));
    }

    [Fact]
    public void Identical_findings_get_distinct_fingerprints()
    {
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        for (var line = 1; line <= 2; line++)
        {
            result.Findings.Add(new Finding { Rule = result.Rules[0], Severity = Severity.High, Message = "same", Location = new SourceLocation("a.yaml", line, 1) });
        }

        var fingerprints = Results(Sarif(result)).Select(r => r.GetProperty("partialFingerprints").GetProperty("bulwark/v1").GetString()!).ToList();
        Assert.Equal(fingerprints[0][..^1] + "2", fingerprints[1]);
    }

    [Fact]
    public void Suppressed_findings_appear_only_with_show_suppressed()
    {
        var result = ReportFixtures.FullScan();
        var suppressed = result.Findings.Count(f => f.Suppression is not null);
        Assert.Equal(2, suppressed);

        var hidden = Results(Sarif(result, showSuppressed: false));
        Assert.Equal(result.Findings.Count - suppressed, hidden.Count);
        Assert.All(hidden, r => Assert.False(r.TryGetProperty("suppressions", out _)));
        Assert.DoesNotContain(hidden, r => r.GetProperty("properties").TryGetProperty("container", out var c) && c.GetString() == "sidecar");

        var shown = Results(Sarif(result, showSuppressed: true));
        Assert.Equal(result.Findings.Count, shown.Count);
        var inline = shown.Single(r => r.GetProperty("properties").TryGetProperty("container", out var c) && c.GetString() == "sidecar").GetProperty("suppressions")[0];
        Assert.Equal("inSource", inline.GetProperty("kind").GetString());
        Assert.Equal("debugging the node until the fix ships", inline.GetProperty("justification").GetString());
        var external = shown.Single(r => r.GetProperty("properties").TryGetProperty("container", out var c) && c.GetString() == "c").GetProperty("suppressions")[0];
        Assert.Equal("external", external.GetProperty("kind").GetString());
        Assert.Equal("accepted risk", external.GetProperty("justification").GetString());
    }

    [Fact]
    public void Input_errors_become_tool_execution_notifications()
    {
        var result = ReportFixtures.FullScan();
        var error = Assert.Single(result.Errors);
        var invocation = Run(Sarif(result)).GetProperty("invocations")[0];

        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        var notification = Assert.Single(invocation.GetProperty("toolExecutionNotifications").EnumerateArray(), n => n.GetProperty("level").GetString() == "error");
        Assert.Equal(error.Message, notification.GetProperty("message").GetProperty("text").GetString());
        var physical = notification.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("manifests/broken.yaml", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(error.Line, physical.GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public void Input_warnings_become_warning_notifications_and_leave_the_run_successful()
    {
        var result = ReportFixtures.FullScan();
        result.Errors.Clear();
        var invocation = Run(Sarif(result)).GetProperty("invocations")[0];

        Assert.True(invocation.GetProperty("executionSuccessful").GetBoolean());
        var notifications = invocation.GetProperty("toolExecutionNotifications").EnumerateArray().ToList();
        Assert.Equal(result.Warnings.Count, notifications.Count);
        Assert.All(notifications, n => Assert.Equal("warning", n.GetProperty("level").GetString()));
        Assert.Equal("NetworkPolicy shop/bad: spec.podSelector: invalid; the policy is ignored", notifications[0].GetProperty("message").GetProperty("text").GetString());
        var physical = notifications[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal(ReportFixtures.AppFile, physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(3, physical.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.False(notifications[1].TryGetProperty("locations", out _));
    }

    [Fact]
    public void Writers_are_registered_in_order()
    {
        Assert.Equal(["table", "json", "sarif", "junit", "html"], ReportWriters.All.Select(w => w.Format));
        Assert.IsType<SarifReportWriter>(ReportWriters.Find("SARIF"));
        Assert.IsType<JUnitReportWriter>(ReportWriters.Find("junit"));
    }
}
