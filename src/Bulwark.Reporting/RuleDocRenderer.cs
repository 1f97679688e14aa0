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
    /// <summary>The page of <paramref name="rule"/>; <paramref name="catalog"/> (every rule) links it to the rules it relates to.</summary>
    public static string Render(RuleDescriptor rule, IReadOnlyList<RuleDescriptor> catalog)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(catalog);
        var md = new StringBuilder();
        md.Append("# ").Append(rule.Id).Append(": ").Append(rule.Title).Append('\n').Append('\n');
        md.Append("| | |\n|---|---|\n");
        md.Append("| ID | `").Append(rule.Id).Append("` |\n");
        md.Append("| Slug | `").Append(rule.Slug).Append("` |\n");
        md.Append("| Severity | ").Append(SeverityCell(rule)).Append(" |\n");
        md.Append("| Category | ").Append(rule.Category).Append(" |\n");
        md.Append("| Applies to | ").Append(string.Join(", ", rule.Sources)).Append(" |\n");
        md.Append("| Enabled by default | ").Append(rule.EnabledByDefault ? "yes" : "no");
        if (rule.RequiresOption is { } option)
        {
            md.Append(", but fires only with `").Append(option).Append("` (see [When it fires](#when-it-fires))");
        }

        md.Append(" |\n");
        if (rule.Aliases.Length > 0)
        {
            md.Append("| Aliases | ").Append(string.Join(", ", rule.Aliases.Select(a => $"`{a}`"))).Append(" |\n");
        }

        if (rule.PodSecurityChecks.Length > 0)
        {
            md.Append("| Pod Security Standards checks | ").Append(string.Join(", ", rule.PodSecurityChecks.Select(c => $"`{c}`{CheckRuleLink(rule, c, catalog)}"))).Append(" |\n");
        }

        if (rule.FiresWhen is { } firesWhen)
        {
            md.Append("\n## When it fires\n\n").Append(Paragraph(firesWhen)).Append('\n');
            var covering = CoveringRules(rule, catalog);
            if (covering.Count > 0)
            {
                md.Append("\nThe checklist rules that report this problem first: ")
                    .Append(string.Join(", ", covering.Select(r => $"[{r.Id}]({r.Id}.md) `{r.Slug}`"))).Append(".\n");
            }
        }

        if (rule.SeverityVaries)
        {
            md.Append("\n## Severity\n\nDefault **").Append(rule.Severity.ToName()).Append("**; a finding can be anything from **")
                .Append(rule.MinimumSeverity.ToName()).Append("** to **").Append(rule.MaximumSeverity.ToName()).Append("**. ")
                .Append(Paragraph(rule.SeverityNote ?? string.Empty)).Append('\n');
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
        md.Append("""
            **Severity** is the default: a finding's severity when nothing in the input raises or lowers it. Where the
            context can (a read-only mount, a role no one is bound to, a user namespace), the range follows, and the rule's
            page says what moves it. `--fail-on` and `--severity` compare each finding's own severity, so with
            `--fail-on high` a rule whose range reaches high can fail a scan whatever its default. A `rules.severity` entry
            in `.bulwark.yaml` replaces the severity of every finding of a rule.

            The Pod Security Standards checks (`BW90xx`) fire only when a level is chosen (`--pss LEVEL`, or
            `podSecurity:` in `.bulwark.yaml`), and only for problems no checklist rule already reports.


            """);
        md.Append("| ID | Slug | Severity | Range | Category | Title |\n|---|---|---|---|---|---|\n");
        foreach (var rule in rules)
        {
            md.Append("| [").Append(rule.Id).Append("](").Append(rule.Id).Append(".md) | `").Append(rule.Slug).Append("` | ")
                .Append(rule.Severity.ToName()).Append(" | ").Append(rule.SeverityVaries ? SeverityNames.RangeName(rule.MinimumSeverity, rule.MaximumSeverity) : string.Empty)
                .Append(" | ").Append(rule.Category).Append(" | ").Append(rule.Title);
            if (rule.RequiresOption is { } option)
            {
                md.Append(" (only with `").Append(option).Append("`)");
            }
            else if (!rule.EnabledByDefault)
            {
                md.Append(" (off by default)");
            }

            md.Append(" |\n");
        }

        return md.ToString();
    }

    /// <summary><c>medium</c>, or <c>medium (low–high)</c> when the context moves it.</summary>
    public static string SeverityCell(RuleDescriptor rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.SeverityVaries
            ? $"{rule.Severity.ToName()} by default; {SeverityNames.RangeName(rule.MinimumSeverity, rule.MaximumSeverity)} (see [Severity](#severity))"
            : rule.Severity.ToName();
    }

    /// <summary>The rules that always run and report <paramref name="rule"/>'s Pod Security checks before it does.</summary>
    private static List<RuleDescriptor> CoveringRules(RuleDescriptor rule, IReadOnlyList<RuleDescriptor> catalog) =>
        [.. catalog.Where(r => r.RequiresOption is null && r.PodSecurityChecks.Intersect(rule.PodSecurityChecks, StringComparer.Ordinal).Any())];

    /// <summary>From a checklist rule's page, a link to the rule of the Pod Security check it also reports.</summary>
    private static string CheckRuleLink(RuleDescriptor rule, string check, IReadOnlyList<RuleDescriptor> catalog)
    {
        if (rule.RequiresOption is not null)
        {
            return string.Empty;
        }

        var checkRule = catalog.FirstOrDefault(r => r.RequiresOption is not null && r.PodSecurityChecks.Contains(check, StringComparer.Ordinal));
        return checkRule is null ? string.Empty : $" ([{checkRule.Id}]({checkRule.Id}.md))";
    }

    /// <summary>Removes <c># expect: ID</c> markers, which are for tests, not readers.</summary>
    public static string StripMarkers(string text) => ExpectMarker().Replace(text, string.Empty);

    private static string Paragraph(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"[ \t]*(#|//)\s*expect:[^\n]*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExpectMarker();
}
