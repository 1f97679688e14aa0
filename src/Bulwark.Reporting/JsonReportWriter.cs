using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Scanning;

namespace Bulwark.Reporting;

/// <summary>
/// The documented, versioned JSON report (docs/json-report.md). <c>schemaVersion</c> changes only when a
/// field changes meaning or disappears; new fields may be added within a version.
/// </summary>
public sealed class JsonReportWriter : IReportWriter
{
    public const int SchemaVersion = 1;

    public string Format => "json";

    public void Write(ScanResult result, ReportOptions options, Stream output) => WriteWith(result, options, output, sections: null);

    /// <summary>The report with <paramref name="sections"/> writing more top-level properties after <c>tool</c> (<c>images</c>).</summary>
    public static void WriteWith(ScanResult result, ReportOptions options, Stream output, Action<Utf8JsonWriter>? sections)
    {
        var writerOptions = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var json = new Utf8JsonWriter(output, writerOptions);
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", ToolInfo.Name);
        json.WriteString("version", options.ToolVersion);
        json.WriteEndObject();
        sections?.Invoke(json);

        json.WriteStartArray("findings");
        List<Finding> shown = [.. result.Findings.Where(f => f.Suppression is null || options.ShowSuppressed)];
        json.WriteItemsInParallel(shown, writerOptions, () => new EncodedTexts(options), WriteFinding);
        json.WriteEndArray();

        InputErrorJson.WriteErrors(json, result.Errors);
        InputErrorJson.WriteWarnings(json, result.Warnings);

        var summary = ScanSummary.Of(result);
        json.WriteStartObject("summary");
        json.WriteNumber("files", summary.Files);
        json.WriteNumber("documents", summary.Documents);
        json.WriteNumber("objects", summary.Objects);
        json.WriteNumber("findings", summary.Findings);
        json.WriteStartObject("bySeverity");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            json.WriteNumber(severity.ToName(), summary.BySeverity[severity]);
        }

        json.WriteEndObject();
        json.WriteNumber("suppressed", summary.Suppressed);
        json.WriteNumber("errors", summary.Errors);
        json.WriteNumber("warnings", summary.Warnings);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteFinding(Utf8JsonWriter json, Finding finding, EncodedTexts encoded)
    {
        // A report repeats each rule's texts and each file's path thousands of times; they are encoded once.
        var rule = encoded.Of(finding.Rule);
        json.WriteStartObject();
        json.WriteString(Names.RuleId, rule.Id);
        json.WriteString(Names.Slug, rule.Slug);
        json.WriteString(Names.Severity, EncodedTexts.Severity(finding.Severity));
        json.WriteString(Names.Title, rule.Title);
        json.WriteString(Names.Message, finding.Message);
        if (finding.Remediation is null)
        {
            json.WriteString(Names.Remediation, rule.Remediation);
        }
        else
        {
            json.WriteString(Names.Remediation, finding.Remediation);
        }

        json.WriteString(Names.File, encoded.File(finding.Location.File));
        json.WriteNumber(Names.Line, finding.Location.Line);
        json.WriteNumber(Names.Column, finding.Location.Column);
        json.WriteNumber(Names.Document, finding.Document);
        if (finding.Object is { } obj)
        {
            json.WriteStartObject("object");
            WriteNullable(json, "apiVersion", obj.ApiVersion);
            json.WriteString("kind", obj.Kind);
            WriteNullable(json, "namespace", obj.Namespace);
            WriteNullable(json, "name", obj.Name);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("object");
        }

        WriteNullable(json, "container", finding.Container);
        if (finding.AlsoViolates.Count > 0)
        {
            json.WriteStartArray("alsoViolates");
            foreach (var control in finding.AlsoViolates)
            {
                json.WriteStringValue(control);
            }

            json.WriteEndArray();
        }

        json.WriteString(Names.HelpUri, rule.HelpUri);
        if (finding.Vulnerability is { } vulnerability)
        {
            Images.VulnerabilityJson.Write(json, vulnerability);
        }

        if (finding.Suppression is { } suppression)
        {
            json.WriteStartObject("suppression");
            json.WriteString("kind", suppression.Kind);
            json.WriteString("source", suppression.Source);
            WriteNullable(json, "reason", suppression.Reason);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static class Names
    {
        public static readonly JsonEncodedText RuleId = JsonEncodedText.Encode("ruleId");
        public static readonly JsonEncodedText Slug = JsonEncodedText.Encode("slug");
        public static readonly JsonEncodedText Severity = JsonEncodedText.Encode("severity");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
        public static readonly JsonEncodedText Remediation = JsonEncodedText.Encode("remediation");
        public static readonly JsonEncodedText File = JsonEncodedText.Encode("file");
        public static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
        public static readonly JsonEncodedText Column = JsonEncodedText.Encode("column");
        public static readonly JsonEncodedText Document = JsonEncodedText.Encode("document");
        public static readonly JsonEncodedText HelpUri = JsonEncodedText.Encode("helpUri");
    }
}
