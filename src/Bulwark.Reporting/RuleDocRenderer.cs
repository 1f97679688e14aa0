using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;

namespace Bulwark.Reporting;

/// <summary>
/// Renders a rule's declaration as Markdown: the page under docs/rules/ and <c>bulwark rules explain</c>.
/// Docs are generated only from here, so they cannot drift from the rules.
/// </summary>
public static partial class RuleDocRenderer
{
    public static string Render(RuleDescriptor rule)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(rule.Id).Append(": ").Append(rule.Title).Append('\n').Append('\n');
        md.Append("| | |\n|---|---|\n");
        md.Append("| ID | `").Append(rule.Id).Append("` |\n");
        md.Append("| Slug | `").Append(rule.Slug).Append("` |\n");
        md.Append("| Severity | ").Append(rule.Severity.ToName()).Append(" |\n");
        md.Append("| Category | ").Append(rule.Category).Append(" |\n");
        md.Append("| Applies to | ").Append(string.Join(", ", rule.Sources)).Append(" |\n");
        md.Append("| Enabled by default | ").Append(rule.EnabledByDefault ? "yes" : "no").Append(" |\n");
        if (rule.Aliases.Length > 0)
        {
            md.Append("| Aliases | ").Append(string.Join(", ", rule.Aliases.Select(a => $"`{a}`"))).Append(" |\n");
        }

        if (rule.PodSecurityChecks.Length > 0)
        {
            md.Append("| Pod Security Standards checks | ").Append(string.Join(", ", rule.PodSecurityChecks.Select(a => $"`{a}`"))).Append(" |\n");
        }

        md.Append("\n## Why it matters\n\n").Append(Paragraph(rule.Rationale)).Append("\n\n");
        md.Append("## How to fix\n\n").Append(Paragraph(rule.Remediation)).Append("\n\n");

        var index = 0;
        foreach (var example in rule.Examples)
        {
            index++;
            md.Append("## ").Append(example.Kind == ExampleKind.Bad ? "Bad" : "Good").Append(" example (").Append(example.Source).Append(")\n\n");
            md.Append("```").Append(example.Source switch { SourceKind.Dockerfile => "dockerfile", SourceKind.DockerInspect or SourceKind.SeccompProfile => "json", _ => "yaml" }).Append('\n');
            md.Append(StripMarkers(example.Text).TrimEnd()).Append('\n');
            md.Append("```\n\n");
        }

        if (rule.References.Length > 0)
        {
            md.Append("## References\n\n");
            foreach (var reference in rule.References)
            {
                md.Append("- ").Append(reference.Standard).Append(": ");
                md.Append(reference.Url is null ? reference.Control : $"[{reference.Control}]({reference.Url})").Append('\n');
            }

            md.Append('\n');
        }

        md.Append("Suppress with `# bulwark:ignore ").Append(rule.Slug).Append(" <reason>` on the line or the line above, ");
        md.Append("or the annotation `bulwark.dev/ignore: \"").Append(rule.Slug).Append("\"` on the object.\n");
        return md.ToString();
    }

    public static string RenderIndex(IEnumerable<RuleDescriptor> rules)
    {
        var md = new StringBuilder();
        md.Append("# Rules\n\nGenerated from the rule declarations by `bulwark rules docs docs/rules`; do not edit by hand.\n\n");
        md.Append("| ID | Slug | Severity | Category | Title |\n|---|---|---|---|---|\n");
        foreach (var rule in rules)
        {
            md.Append("| [").Append(rule.Id).Append("](").Append(rule.Id).Append(".md) | `").Append(rule.Slug).Append("` | ")
                .Append(rule.Severity.ToName()).Append(" | ").Append(rule.Category).Append(" | ").Append(rule.Title).Append(" |\n");
        }

        return md.ToString();
    }

    /// <summary>Removes <c># expect: ID</c> markers, which are for tests, not readers.</summary>
    public static string StripMarkers(string text) => ExpectMarker().Replace(text, string.Empty);

    private static string Paragraph(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"[ \t]*(#|//)\s*expect:[^\n]*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExpectMarker();
}
