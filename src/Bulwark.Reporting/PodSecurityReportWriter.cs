using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Scanning;

namespace Bulwark.Reporting;

/// <summary>Output of <c>bulwark pss</c>: one verdict per object, in upstream's wording (text) or as JSON.</summary>
public static class PodSecurityReportWriter
{
    public static readonly string[] Formats = ["text", "json"];

    public static void Write(PodSecurityScanResult result, string format, Stream output)
    {
        if (format == "json")
        {
            WriteJson(result, output);
        }
        else
        {
            WriteText(result, output);
        }
    }

    private static void WriteText(PodSecurityScanResult result, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        foreach (var verdict in result.Verdicts)
        {
            var subject = $"{verdict.File}:{verdict.Line}: {verdict.Object.Kind} {Name(verdict)}";
            writer.WriteLine(verdict.Allowed
                ? $"{subject}: allowed by PodSecurity \"{result.Policy}\""
                : $"{subject}: violates PodSecurity \"{result.Policy}\": {PodSecurityEvaluator.Describe(verdict.Violations)}");
        }

        foreach (var error in result.Errors)
        {
            writer.WriteLine($"{error}: error");
        }

        var denied = result.Verdicts.Count(v => !v.Allowed);
        writer.WriteLine($"{result.Verdicts.Count - denied} allowed, {denied} denied at {result.Policy}; {result.Errors.Count} input error{(result.Errors.Count == 1 ? string.Empty : "s")}");
    }

    private static string Name(PodSecurityVerdict verdict) =>
        verdict.Object.Namespace is { Length: > 0 } ns ? $"{ns}/{verdict.Object.Name}" : verdict.Object.Name ?? string.Empty;

    private static void WriteJson(PodSecurityScanResult result, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("level", result.Policy.LevelName);
        json.WriteString("version", result.Policy.VersionName);
        json.WriteStartArray("results");
        foreach (var verdict in result.Verdicts)
        {
            json.WriteStartObject();
            json.WriteString("file", verdict.File);
            json.WriteNumber("document", verdict.Document);
            json.WriteNumber("line", verdict.Line);
            json.WriteString("kind", verdict.Object.Kind);
            if (verdict.Object.Namespace is { } ns)
            {
                json.WriteString("namespace", ns);
            }
            else
            {
                json.WriteNull("namespace");
            }

            json.WriteString("name", verdict.Object.Name);
            json.WriteBoolean("allowed", verdict.Allowed);
            json.WriteStartArray("violations");
            foreach (var violation in verdict.Violations)
            {
                json.WriteStartObject();
                json.WriteString("check", violation.CheckId);
                json.WriteString("reason", violation.Reason);
                json.WriteString("detail", violation.Detail);
                if (violation.Locations.Count > 0)
                {
                    json.WriteNumber("line", violation.Locations[0].Line);
                    json.WriteNumber("column", violation.Locations[0].Column);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        InputErrorJson.WriteErrors(json, result.Errors);
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}
