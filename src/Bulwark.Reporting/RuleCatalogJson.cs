using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;

namespace Bulwark.Reporting;

/// <summary>The rule catalog as JSON (<c>bulwark rules list --format json</c>).</summary>
public static class RuleCatalogJson
{
    public static void Write(IEnumerable<RuleDescriptor> rules, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("slug", rule.Slug);
            json.WriteString("title", rule.Title);
            json.WriteString("severity", rule.Severity.ToName());
            json.WriteString("minimumSeverity", rule.MinimumSeverity.ToName());
            json.WriteString("maximumSeverity", rule.MaximumSeverity.ToName());
            if (rule.SeverityNote is { } note)
            {
                json.WriteString("severityNote", note);
            }
            json.WriteString("category", rule.Category);
            json.WriteBoolean("enabledByDefault", rule.EnabledByDefault);
            if (rule.RequiresOption is { } option)
            {
                json.WriteString("requiresOption", option);
            }
            json.WriteStartArray("sources");
            foreach (var source in rule.Sources)
            {
                json.WriteStringValue(source.ToString());
            }

            json.WriteEndArray();
            json.WriteString("helpUri", RuleHelpLinks.For(rule, RuleHelpLinks.BaseUrl(ToolInfo.Version)));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}
