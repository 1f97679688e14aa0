using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Scanning;

namespace Bulwark.Reporting;

/// <summary>
/// SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: one run, rule metadata with
/// <c>security-severity</c>, line-independent fingerprints, suppressions, and input errors as tool
/// execution notifications. Validated against the OASIS schema in the tests.
/// </summary>
public sealed class SarifReportWriter : IReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public const string SourceRoot = "%SRCROOT%";

    /// <summary>The <c>partialFingerprints</c> key; the suffix changes only if the fingerprint's inputs do.</summary>
    public const string FingerprintKey = "bulwark/v1";

    public string Format => "sarif";

    public void Write(ScanResult result, ReportOptions options, Stream output)
    {
        var baseDirectory = Path.GetFullPath(options.BaseDirectory ?? Environment.CurrentDirectory);
        var findings = result.Findings.Where(f => f.Suppression is null || options.ShowSuppressed).ToList();
        var rules = RulesOf(result, findings);
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            ruleIndex.TryAdd(rules[i].Id, i);
        }

        // A vulnerability is a rule of its own in SARIF (BW2013/CVE-…, a hierarchical rule ID), as code scanning
        // expects: its alerts are grouped and rated per vulnerability, with the CVSS score as security-severity.
        var advisories = new List<Finding>();
        foreach (var finding in findings)
        {
            if (finding.Vulnerability is not null && ruleIndex.TryAdd(AdvisoryRuleId(finding), rules.Count + advisories.Count))
            {
                advisories.Add(finding);
            }
        }

        var uris = new Dictionary<string, ArtifactUri>(StringComparer.Ordinal);
        ArtifactUri UriOf(string file)
        {
            if (!uris.TryGetValue(file, out var uri))
            {
                uri = ArtifactUri.From(file, baseDirectory);
                uris.Add(file, uri);
            }

            return uri;
        }

        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        WriteTool(json, rules, advisories, options);
        WriteInvocation(json, result.Errors, result.Warnings, UriOf);

        json.WriteStartArray("results");
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            var ruleId = finding.Vulnerability is null ? finding.Rule.Id : AdvisoryRuleId(finding);
            WriteResult(json, finding, ruleId, ruleIndex[ruleId], UriOf(finding.Location.File), occurrences);
            json.FlushIfLarge();
        }

        json.WriteEndArray();

        json.WriteString("columnKind", "utf16CodeUnits");
        if (uris.Values.Any(u => u.IsRelative))
        {
            json.WriteStartObject("originalUriBaseIds");
            json.WriteStartObject(SourceRoot);
            json.WriteString("uri", ArtifactUri.DirectoryUri(baseDirectory));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>GitHub code scanning's CVSS-like score: ≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, &gt; 0 low.</summary>
    public static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "3.0",
        _ => "1.0",
    };

    /// <summary>The slug as a SARIF rule name: <c>privileged-container</c> → <c>PrivilegedContainer</c>.</summary>
    public static string RuleName(string slug)
    {
        var name = new StringBuilder(slug.Length);
        foreach (var part in slug.Split(['-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            name.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
        }

        return name.ToString();
    }

    /// <summary>
    /// A hash of what identifies a finding apart from where it sits in the file (rule, file, object,
    /// container, message), so an alert survives lines being added above it.
    /// </summary>
    public static string Fingerprint(Finding finding, string artifactUri)
    {
        var identity = string.Join('\0', finding.Rule.Id, artifactUri, ObjectName(finding) ?? string.Empty, finding.Container ?? string.Empty, finding.Message);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(identity), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The object a finding is about as <c>Kind/namespace/name</c> (namespace left out when there is none).</summary>
    public static string? ObjectName(Finding finding)
    {
        if (finding.Object is not { } obj)
        {
            return null;
        }

        var name = new StringBuilder(obj.Kind);
        if (obj.Namespace is { Length: > 0 } ns)
        {
            name.Append('/').Append(ns);
        }

        if (obj.Name is { Length: > 0 } objectName)
        {
            name.Append('/').Append(objectName);
        }

        return name.ToString();
    }

    private static List<RuleDescriptor> RulesOf(ScanResult result, List<Finding> findings)
    {
        var rules = new List<RuleDescriptor>(result.Rules.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in result.Rules.Concat(findings.Select(f => f.Rule)))
        {
            if (seen.Add(rule.Id))
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private static string AdvisoryRuleId(Finding finding) => finding.Rule.Id + "/" + finding.Vulnerability!.Id;

    private static void WriteTool(Utf8JsonWriter json, List<RuleDescriptor> rules, List<Finding> advisories, ReportOptions options)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", ToolInfo.Name);
        json.WriteString("version", options.ToolVersion);
        json.WriteString("semanticVersion", options.ToolVersion);
        json.WriteString("informationUri", ToolInfo.RepositoryUrl);
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            WriteRule(json, rule, options);
        }

        foreach (var finding in advisories)
        {
            WriteAdvisoryRule(json, finding, options);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, RuleDescriptor rule, ReportOptions options)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteString("name", RuleName(rule.Slug));
        WriteMessage(json, "shortDescription", rule.Title);
        WriteMessage(json, "fullDescription", OneLine(rule.Rationale));

        json.WriteStartObject("help");
        json.WriteString("text", OneLine(rule.Remediation));
        var markdown = new StringBuilder();
        markdown.Append("**Why:** ").Append(OneLine(rule.Rationale)).Append("\n\n**Fix:** ").Append(OneLine(rule.Remediation));
        if (rule.SeverityVaries)
        {
            markdown.Append("\n\n**Severity:** ").Append(rule.Severity.ToName()).Append(" by default, ")
                .Append(rule.MinimumSeverity.ToName()).Append(" to ").Append(rule.MaximumSeverity.ToName()).Append(". ")
                .Append(OneLine(rule.SeverityNote ?? string.Empty));
        }

        if (rule.References.Length > 0)
        {
            markdown.Append("\n\n**References:**\n");
            foreach (var reference in rule.References)
            {
                markdown.Append("\n- ").Append(reference.Standard).Append(": ")
                    .Append(reference.Url is null ? reference.Control : $"[{reference.Control}]({reference.Url})");
            }
        }

        json.WriteString("markdown", markdown.ToString());
        json.WriteEndObject();
        json.WriteString("helpUri", options.HelpUri(rule));

        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(rule.Severity));
        json.WriteEndObject();

        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        // GitHub code scanning reads security-severity only on rules tagged "security".
        json.WriteStringValue("security");
        json.WriteStringValue(rule.Category);
        json.WriteStringValue(rule.Slug);
        json.WriteEndArray();
        json.WriteString("security-severity", SecuritySeverity(rule.Severity));
        // Each result carries its own level; these say what the rule's results can be, as the rule page does.
        json.WriteString("defaultSeverity", rule.Severity.ToName());
        json.WriteString("minimumSeverity", rule.MinimumSeverity.ToName());
        json.WriteString("maximumSeverity", rule.MaximumSeverity.ToName());
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteAdvisoryRule(Utf8JsonWriter json, Finding finding, ReportOptions options)
    {
        var v = finding.Vulnerability!;
        var rule = finding.Rule;
        json.WriteStartObject();
        json.WriteString("id", AdvisoryRuleId(finding));
        json.WriteString("name", RuleName(rule.Slug));
        WriteMessage(json, "shortDescription", v.Title is { Length: > 0 } title ? $"{v.Id}: {OneLine(title)}" : v.Id);
        WriteMessage(json, "fullDescription", $"{v.Id}{(v.Aliases.Count > 0 ? " (" + string.Join(", ", v.Aliases) + ")" : string.Empty)}, from {v.Source}. {OneLine(rule.Rationale)}");
        json.WriteStartObject("help");
        json.WriteString("text", OneLine(finding.EffectiveRemediation));
        var markdown = new StringBuilder();
        markdown.Append("**").Append(v.Id).Append("** (").Append(v.SeverityName);
        if (v.CvssVector is { } vector)
        {
            markdown.Append(", `").Append(vector).Append('`');
        }

        markdown.Append(")\n\n**Fix:** ").Append(OneLine(rule.Remediation));
        if (v.Url is { } url)
        {
            markdown.Append("\n\n**Advisory:** [").Append(v.Id).Append("](").Append(url).Append(')');
        }

        json.WriteString("markdown", markdown.ToString());
        json.WriteEndObject();
        json.WriteString("helpUri", v.Url ?? options.HelpUri(rule));
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(finding.Severity));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue("vulnerability");
        json.WriteStringValue(rule.Slug);
        json.WriteEndArray();
        json.WriteString("security-severity", Images.VulnerabilityJson.SecuritySeverity(v, finding.Severity));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter json, List<InputError> errors, List<InputWarning> warnings, Func<string, ArtifactUri> uriOf)
    {
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", errors.Count == 0);
        if (errors.Count > 0 || warnings.Count > 0)
        {
            json.WriteStartArray("toolExecutionNotifications");
            foreach (var error in errors)
            {
                json.WriteStartObject();
                json.WriteString("level", "error");
                WriteMessage(json, "message", error.Message);
                json.WriteStartArray("locations");
                WriteLocation(json, uriOf(error.File), error.Line, error.Column);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            foreach (var warning in warnings)
            {
                json.WriteStartObject();
                json.WriteString("level", "warning");
                WriteMessage(json, "message", warning.Subject + ": " + warning.Message);
                if (!string.IsNullOrEmpty(warning.Location.File))
                {
                    json.WriteStartArray("locations");
                    WriteLocation(json, uriOf(warning.Location.File), warning.Location.Line, warning.Location.Column);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteResult(Utf8JsonWriter json, Finding finding, string ruleId, int ruleIndex, ArtifactUri uri, Dictionary<string, int> occurrences)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", ruleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(finding.Severity));
        WriteMessage(json, "message", finding.Message + " Fix: " + OneLine(finding.EffectiveRemediation));

        json.WriteStartArray("locations");
        WriteLocation(json, uri, finding.Location.Line, finding.Location.Column, finding);
        json.WriteEndArray();

        // Identical findings in one object (same rule, message, container) would share a hash; the
        // occurrence number keeps their fingerprints distinct, as CodeQL's own fingerprints do.
        var hash = Fingerprint(finding, uri.Uri);
        occurrences[hash] = occurrences.GetValueOrDefault(hash) + 1;
        json.WriteStartObject("partialFingerprints");
        json.WriteString(FingerprintKey, hash + ":" + occurrences[hash].ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();

        if (finding.Suppression is { } suppression)
        {
            json.WriteStartArray("suppressions");
            json.WriteStartObject();
            json.WriteString("kind", suppression.Kind is "inline" or "annotation" ? "inSource" : "external");
            json.WriteString("status", "accepted");
            if (suppression.Reason is { Length: > 0 } reason)
            {
                json.WriteString("justification", reason);
            }

            json.WriteStartObject("properties");
            json.WriteString("bulwarkKind", suppression.Kind);
            json.WriteString("source", suppression.Source);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartObject("properties");
        json.WriteString("severity", finding.Severity.ToName());
        if (finding.Object is { } obj)
        {
            json.WriteString("object", obj.Display);
        }

        if (finding.Container is { } container)
        {
            json.WriteString("container", container);
        }

        json.WriteNumber("document", finding.Document);
        if (finding.AlsoViolates.Count > 0)
        {
            json.WriteStartArray("alsoViolates");
            foreach (var control in finding.AlsoViolates)
            {
                json.WriteStringValue(control);
            }

            json.WriteEndArray();
        }

        if (finding.Vulnerability is { } vulnerability)
        {
            json.WriteString("security-severity", Images.VulnerabilityJson.SecuritySeverity(vulnerability, finding.Severity));
            Images.VulnerabilityJson.Write(json, vulnerability);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter json, ArtifactUri uri, int line, int column, Finding? finding = null)
    {
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", uri.Uri);
        if (uri.IsRelative)
        {
            json.WriteString("uriBaseId", SourceRoot);
        }

        json.WriteEndObject();

        // SARIF regions are 1-based; line 0 means "the whole file", which is said by leaving the region out.
        if (line > 0)
        {
            json.WriteStartObject("region");
            json.WriteNumber("startLine", line);
            if (column > 0)
            {
                json.WriteNumber("startColumn", column);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();

        if (finding is not null && ObjectName(finding) is { } objectName)
        {
            var fullName = finding.Container is { } container ? objectName + "/" + container : objectName;
            json.WriteStartArray("logicalLocations");
            json.WriteStartObject();
            json.WriteString("name", finding.Container ?? finding.Object!.Name ?? finding.Object.Kind);
            json.WriteString("fullyQualifiedName", fullName);
            json.WriteString("kind", "object");
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
