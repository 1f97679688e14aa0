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

    public void Write(ScanResult result, ReportOptions options, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", ToolInfo.Name);
        json.WriteString("version", options.ToolVersion);
        json.WriteEndObject();

        json.WriteStartArray("findings");
        foreach (var finding in result.Findings)
        {
            if (finding.Suppression is null || options.ShowSuppressed)
            {
                WriteFinding(json, finding);
                json.FlushIfLarge();
            }
        }

        json.WriteEndArray();

        InputErrorJson.WriteErrors(json, result.Errors);

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
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteFinding(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.Rule.Id);
        json.WriteString("slug", finding.Rule.Slug);
        json.WriteString("severity", finding.Severity.ToName());
        json.WriteString("title", finding.Rule.Title);
        json.WriteString("message", finding.Message);
        json.WriteString("remediation", finding.EffectiveRemediation);
        json.WriteString("file", finding.Location.File);
        json.WriteNumber("line", finding.Location.Line);
        json.WriteNumber("column", finding.Location.Column);
        json.WriteNumber("document", finding.Document);
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

        json.WriteString("helpUri", finding.Rule.HelpUri);
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
}
