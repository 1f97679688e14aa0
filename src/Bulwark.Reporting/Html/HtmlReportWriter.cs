using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Scanning;

namespace Bulwark.Reporting.Html;

/// <summary>
/// One self-contained HTML page: summary counts with a severity chart, the findings by file (or by rule) with their
/// source lines, message and fix, filters and a search, the connectivity graph and escalation paths when the input
/// has network policies or RBAC, and the warnings and input errors. Nothing is fetched: styles and script are inline,
/// and the page's Content-Security-Policy allows only those two (by hash), so a name that slipped through as markup
/// still could neither run nor reach the network. Without JavaScript every finding is shown. Everything from the
/// input is written as text (<see cref="HtmlOutput"/>); the script is a constant and reads the page, so no input ever
/// sits inside a <c>&lt;script&gt;</c>.
/// </summary>
public sealed class HtmlReportWriter : IReportWriter
{
    public string Format => "html";

    public void Write(ScanResult result, ReportOptions options, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var html = new HtmlOutput(writer) { HelpUri = options.HelpUri };
        var shown = result.Findings.Where(f => f.Suppression is null || options.ShowSuppressed).ToList();
        var summary = ScanSummary.Of(result);
        var rules = RuleCounts(shown);
        var network = result.Cluster is { } withPolicies ? ClusterSections.NetworkOf(withPolicies) : null;
        var rbac = result.Cluster is { } withRbac && ClusterSections.HasRbac(withRbac) ? withRbac : null;

        WriteHead(html, summary, options);
        WriteNavigation(html, network is not null, rbac is not null, result);
        WriteSummary(html, result, summary, rules, options);
        WriteFindings(html, shown, rules);
        if (network is not null)
        {
            ClusterSections.WriteNetwork(html, network);
        }

        if (rbac is not null)
        {
            ClusterSections.WriteRbac(html, rbac);
        }

        WriteWarnings(html, result.Warnings);
        WriteErrors(html, result.Errors);
        WriteSkipped(html, result.Skipped);
        html.Markup("</main>\n<footer>Written by ").Text(ToolInfo.Name).Markup(' ').Text(options.ToolVersion).Markup(".</footer>\n")
            .Markup("<script>").Markup(HtmlAssets.Script).Markup("</script>\n</body>\n</html>\n");
    }

    /// <summary>The kind of input a finding comes from, named by the object it is about (what each source reader names it).</summary>
    public static string SourceKindOf(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Object switch
        {
            null => "file",
            { ApiVersion: not null } => "kubernetes",
            { Kind: "Cluster" } => "kubernetes",
            { Kind: "service" } => "compose",
            { Kind: "Dockerfile" } => "dockerfile",
            { Kind: "container" } => "docker-inspect",
            { Kind: "SeccompProfile" } => "seccomp",
            _ => "other",
        };
    }

    private sealed record RuleCount(RuleDescriptor Rule, int Count, Severity Worst);

    /// <summary>The rules with findings, worst first, then most findings first.</summary>
    private static List<RuleCount> RuleCounts(List<Finding> findings)
    {
        var byId = new Dictionary<string, RuleCount>(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            byId[finding.Rule.Id] = byId.TryGetValue(finding.Rule.Id, out var count)
                ? count with { Count = count.Count + 1, Worst = finding.Severity > count.Worst ? finding.Severity : count.Worst }
                : new RuleCount(finding.Rule, 1, finding.Severity);
        }

        return [.. byId.Values.OrderByDescending(r => r.Worst).ThenByDescending(r => r.Count).ThenBy(r => r.Rule.Id, StringComparer.Ordinal)];
    }

    private static void WriteHead(HtmlOutput html, ScanSummary summary, ReportOptions options)
    {
        html.Markup("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Markup("<meta http-equiv=\"Content-Security-Policy\" content=\"").Markup(HtmlAssets.ContentSecurityPolicy).Markup("\">\n")
            .Markup("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Markup("<meta name=\"generator\"").Attribute("content", ToolInfo.Name + " " + options.ToolVersion).Markup(">\n")
            .Markup("<title>Bulwark report: ").Number(summary.Findings).Markup(summary.Findings == 1 ? " finding" : " findings").Markup("</title>\n")
            .Markup("<style>").Markup(HtmlAssets.Style).Markup("</style>\n</head>\n<body>\n");
    }

    private static void WriteNavigation(HtmlOutput html, bool network, bool rbac, ScanResult result)
    {
        html.Markup("<header><h1>Bulwark scan report</h1><nav><a href=\"#summary\">Summary</a> <a href=\"#findings\">Findings</a>")
            .Markup(network ? " <a href=\"#network\">Network</a>" : string.Empty)
            .Markup(rbac ? " <a href=\"#rbac\">RBAC</a>" : string.Empty)
            .Markup(result.Warnings.Count > 0 ? " <a href=\"#warnings\">Warnings</a>" : string.Empty)
            .Markup(result.Errors.Count > 0 ? " <a href=\"#errors\">Input errors</a>" : string.Empty)
            .Markup("</nav></header>\n<main>\n");
    }

    private static void WriteSummary(HtmlOutput html, ScanResult result, ScanSummary summary, List<RuleCount> rules, ReportOptions options)
    {
        html.Markup("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"summary\"><dl class=\"counts\">");
        Count(html, "findings", summary.Findings, "findings");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            Count(html, severity.ToName(), summary.BySeverity[severity], "sev-" + severity.ToName());
        }

        Count(html, "files", summary.Files, "files");
        Count(html, "documents", summary.Documents, "documents");
        Count(html, "objects", summary.Objects, "objects");
        Count(html, options.ShowSuppressed ? "suppressed (shown)" : "suppressed (hidden)", summary.Suppressed, "suppressed");
        Count(html, "input errors", summary.Errors, summary.Errors > 0 ? "errors bad" : "errors");
        Count(html, "warnings", summary.Warnings, "warnings");
        html.Markup("</dl>\n");
        SeverityChart(html, summary);
        html.Markup("</div>\n");

        if (rules.Count > 0)
        {
            html.Markup("<table id=\"rules\"><caption>Findings by rule</caption><thead><tr><th>Rule</th><th>Title</th><th>Worst</th><th>Findings</th></tr></thead><tbody>\n");
            foreach (var rule in rules)
            {
                html.Markup("<tr").Attribute("data-rule", rule.Rule.Id).Markup("><td>");
                RuleLink(html, rule.Rule);
                html.Markup("</td><td>").Text(rule.Rule.Title).Markup("</td><td><span class=\"sev sev-").Markup(rule.Worst.ToName()).Markup("\">")
                    .Markup(rule.Worst.ToName()).Markup("</span></td><td class=\"num\">").Number(rule.Count).Markup("</td></tr>\n");
            }

            html.Markup("</tbody></table>\n");
        }

        if (result.Files.Count == 0)
        {
            html.Markup("<p class=\"note\">Nothing was scanned.</p>\n");
        }

        html.Markup("</section>\n");
    }

    private static void Count(HtmlOutput html, string label, int value, string @class) =>
        html.Markup("<div class=\"").Markup(@class).Markup("\"><dt>").Markup(label).Markup("</dt><dd>").Number(value).Markup("</dd></div>");

    /// <summary>A bar per severity, as inline SVG (no image to fetch).</summary>
    private static void SeverityChart(HtmlOutput html, ScanSummary summary)
    {
        const int barHeight = 22;
        const int gap = 8;
        const int labelWidth = 70;
        const int barSpace = 300;
        var severities = Enum.GetValues<Severity>().Reverse().ToList();
        var max = Math.Max(1, severities.Max(s => summary.BySeverity[s]));
        var height = severities.Count * (barHeight + gap);
        html.Markup("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Number(labelWidth + barSpace + 70)
            .Markup("\" height=\"").Number(height).Markup("\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">Findings by severity</title>");
        for (var i = 0; i < severities.Count; i++)
        {
            var severity = severities[i];
            var count = summary.BySeverity[severity];
            var y = i * (barHeight + gap);
            var width = count == 0 ? 0 : Math.Max(2, count * (double)barSpace / max);
            html.Markup("<g class=\"bar sev-").Markup(severity.ToName()).Markup("\" data-severity=\"").Markup(severity.ToName()).Markup("\">")
                .Markup("<text class=\"label\" x=\"0\" y=\"").Number(y + 16).Markup("\">").Markup(severity.ToName()).Markup("</text>")
                .Markup("<rect x=\"").Number(labelWidth).Markup("\" y=\"").Number(y).Markup("\" width=\"").Number(width)
                .Markup("\" height=\"").Number(barHeight).Markup("\" rx=\"3\"/>")
                .Markup("<text class=\"value\" x=\"").Number(labelWidth + width + 6).Markup("\" y=\"").Number(y + 16).Markup("\">").Number(count).Markup("</text></g>");
        }

        html.Markup("</svg>\n");
    }

    private static void RuleLink(HtmlOutput html, RuleDescriptor rule)
    {
        var help = html.HelpUri(rule);
        if (HtmlOutput.IsSafeLink(help))
        {
            html.Markup("<a class=\"rule\"").Attribute("href", help).Markup('>');
        }
        else
        {
            html.Markup("<span class=\"rule\">");
        }

        html.Text(rule.Id).Markup(" <b>").Text(rule.Slug).Markup("</b>").Markup(HtmlOutput.IsSafeLink(help) ? "</a>" : "</span>");
    }

    private static void WriteFindings(HtmlOutput html, List<Finding> findings, List<RuleCount> rules)
    {
        html.Markup("<section id=\"findings\"><h2>Findings</h2>\n");
        if (findings.Count == 0)
        {
            html.Markup("<p class=\"none\">No findings.</p></section>\n");
            return;
        }

        WriteFilters(html, findings, rules);
        html.Markup("<noscript><p class=\"note\">Filters, search and grouping by rule need JavaScript; every finding is listed below, by file.</p></noscript>\n")
            .Markup("<div id=\"by-file\">\n");
        foreach (var file in findings.GroupBy(f => f.Location.File, StringComparer.Ordinal))
        {
            // Source order within a file; findings at one line share its snippet.
            var ordered = file.OrderBy(f => f.Location.Line).ThenBy(f => f.Location.Column).ToList();
            var wanted = new HashSet<int>();
            foreach (var line in ordered.Select(f => f.Location.Line).Where(l => l > 0).Distinct())
            {
                for (var l = Math.Max(1, line - SourceSnippets.Context); l <= line + SourceSnippets.Context; l++)
                {
                    wanted.Add(l);
                }
            }

            var lines = SourceSnippets.Read(file.Key, wanted);
            html.Markup("<section class=\"group file\"><h3><span class=\"path\">").Text(file.Key).Markup("</span> <span class=\"count\">")
                .Number(ordered.Count).Markup(ordered.Count == 1 ? " finding" : " findings").Markup("</span></h3>\n");
            var start = 0;
            while (start < ordered.Count)
            {
                var line = ordered[start].Location.Line;
                var end = start;
                while (end < ordered.Count && ordered[end].Location.Line == line)
                {
                    end++;
                }

                html.Markup("<div class=\"loc\">");
                Snippet(html, lines, line);
                for (var i = start; i < end; i++)
                {
                    WriteFinding(html, ordered[i]);
                }

                html.Markup("</div>\n");
                start = end;
            }

            html.Markup("</section>\n");
        }

        html.Markup("</div>\n<div id=\"by-rule\" hidden></div>\n<template id=\"rule-groups\">");
        foreach (var rule in rules)
        {
            html.Markup("<section class=\"group rule\"").Attribute("data-rule", rule.Rule.Id).Markup("><h3>");
            RuleLink(html, rule.Rule);
            html.Markup(" <span class=\"title\">").Text(rule.Rule.Title).Markup("</span> <span class=\"count\">")
                .Number(rule.Count).Markup(rule.Count == 1 ? " finding" : " findings").Markup("</span></h3></section>");
        }

        html.Markup("</template>\n</section>\n");
    }

    private static void WriteFilters(HtmlOutput html, List<Finding> findings, List<RuleCount> rules)
    {
        // Hidden until the script shows it: without JavaScript the controls would do nothing.
        html.Markup("<form id=\"filters\" hidden><fieldset class=\"severities\"><legend>Severity</legend>");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            var count = findings.Count(f => f.Severity == severity);
            if (count > 0)
            {
                html.Markup("<label class=\"sev-").Markup(severity.ToName()).Markup("\"><input type=\"checkbox\" name=\"severity\" value=\"")
                    .Markup(severity.ToName()).Markup("\" checked> ").Markup(severity.ToName()).Markup(" (").Number(count).Markup(")</label> ");
            }
        }

        html.Markup("</fieldset>\n<label>Rule <select name=\"rule\"><option value=\"\">all rules</option>");
        foreach (var rule in rules)
        {
            html.Markup("<option").Attribute("value", rule.Rule.Id).Markup('>').Text(rule.Rule.Id).Markup(' ').Text(rule.Rule.Slug)
                .Markup(" (").Number(rule.Count).Markup(")</option>");
        }

        html.Markup("</select></label>\n<label>Source <select name=\"kind\"><option value=\"\">all sources</option>");
        foreach (var kind in findings.GroupBy(SourceKindOf, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Markup("<option").Attribute("value", kind.Key).Markup('>').Text(kind.Key).Markup(" (").Number(kind.Count()).Markup(")</option>");
        }

        html.Markup("</select></label>\n<label>Search <input type=\"search\" name=\"q\" placeholder=\"file, object, message, fix\" autocomplete=\"off\"></label>\n")
            .Markup("<fieldset class=\"grouping\"><legend>Group by</legend><label><input type=\"radio\" name=\"group\" value=\"file\" checked> file</label> ")
            .Markup("<label><input type=\"radio\" name=\"group\" value=\"rule\"> rule</label></fieldset>\n")
            .Markup("<output id=\"shown\" aria-live=\"polite\"></output></form>\n");
    }

    private static void Snippet(HtmlOutput html, Dictionary<int, string> lines, int line)
    {
        if (line <= 0 || !lines.ContainsKey(line))
        {
            return;
        }

        var last = line + SourceSnippets.Context;
        var width = last.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        html.Markup("<pre class=\"src\">");
        for (var l = Math.Max(1, line - SourceSnippets.Context); l <= last; l++)
        {
            if (!lines.TryGetValue(l, out var text))
            {
                continue;
            }

            var number = l.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width);
            html.Markup(l == line ? "<mark>" : string.Empty).Markup("<span class=\"ln\">").Markup(number).Markup("</span> ").Text(text)
                .Markup(l == line ? "</mark>\n" : "\n");
        }

        html.Markup("</pre>");
    }

    private static void WriteFinding(HtmlOutput html, Finding finding)
    {
        var severity = finding.Severity.ToName();
        html.Markup("<article class=\"finding sev-").Markup(severity).Markup(finding.Suppression is null ? "\"" : " suppressed\"")
            .Markup(" data-finding data-severity=\"").Markup(severity).Markup('"')
            .Attribute("data-rule", finding.Rule.Id).Attribute("data-kind", SourceKindOf(finding))
            .Markup("><div class=\"head\"><span class=\"sev\">").Markup(severity).Markup("</span> ");
        RuleLink(html, finding.Rule);
        if (finding.Object is { } obj)
        {
            html.Markup(" <span class=\"obj\">").Text(obj.Display);
            if (finding.Container is { } container)
            {
                html.Markup(" [").Text(container).Markup(']');
            }

            html.Markup("</span>");
        }

        html.Markup(" <span class=\"pos\">");
        if (finding.Location.Line > 0)
        {
            html.Markup("line ").Number(finding.Location.Line);
            if (finding.Location.Column > 0)
            {
                html.Markup(':').Number(finding.Location.Column);
            }
        }
        else
        {
            html.Markup("whole file");
        }

        html.Markup("</span></div><p class=\"msg\">").TextWithCode(finding.Message).Markup("</p><p class=\"fix\"><span>Fix:</span> ")
            .TextWithCode(finding.EffectiveRemediation).Markup("</p>");
        foreach (var control in finding.AlsoViolates)
        {
            html.Markup("<p class=\"also\">Also: ").Text(control).Markup("</p>");
        }

        if (finding.Suppression is { } suppression)
        {
            html.Markup("<p class=\"suppression\">Suppressed by ").Text(suppression.Kind).Markup(" (").Text(suppression.Source).Markup(')');
            if (suppression.Reason is { Length: > 0 } reason)
            {
                html.Markup(": ").Text(reason);
            }

            html.Markup("</p>");
        }

        html.Markup("</article>\n");
    }

    private static void WriteWarnings(HtmlOutput html, List<InputWarning> warnings)
    {
        if (warnings.Count == 0)
        {
            return;
        }

        html.Markup("<section id=\"warnings\"><h2>Warnings</h2><details").Markup(warnings.Count <= TableReportWriter.MaxWarningsShown ? " open" : string.Empty)
            .Markup("><summary>").Number(warnings.Count).Markup(warnings.Count == 1 ? " part" : " parts")
            .Markup(" of the inputs left out of the analysis or read with a caveat (they do not change the exit code)</summary><ul class=\"warnings\">\n");
        foreach (var warning in warnings)
        {
            html.Markup("<li data-warning>");
            if (!string.IsNullOrEmpty(warning.Location.File))
            {
                html.Markup("<span class=\"where\">").Text(warning.Location.ToString()).Markup("</span> ");
            }

            html.Markup("<span class=\"subject\">").Text(warning.Subject).Markup("</span>: ").Text(warning.Message).Markup("</li>\n");
        }

        html.Markup("</ul></details></section>\n");
    }

    private static void WriteErrors(HtmlOutput html, List<InputError> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        html.Markup("<section id=\"errors\"><h2>Inputs that could not be read</h2><ul class=\"errors\">\n");
        foreach (var error in errors)
        {
            html.Markup("<li data-error><span class=\"where\">").Text(error.File);
            if (error.Line > 0)
            {
                html.Markup(':').Number(error.Line).Markup(':').Number(error.Column);
            }

            html.Markup("</span> ").Text(error.Message).Markup("</li>\n");
        }

        html.Markup("</ul></section>\n");
    }

    private static void WriteSkipped(HtmlOutput html, List<Parsing.Kubernetes.SkippedDocument> skipped)
    {
        if (skipped.Count == 0)
        {
            return;
        }

        html.Markup("<section id=\"skipped\"><h2>Skipped documents</h2><details><summary>").Number(skipped.Count)
            .Markup(skipped.Count == 1 ? " document" : " documents").Markup(" not scanned, and why</summary><ul>\n");
        foreach (var document in skipped)
        {
            html.Markup("<li><span class=\"where\">").Text(document.File).Markup(':').Number(document.Line).Markup("</span> (document ")
                .Number(document.Document).Markup("): ").Text(document.Reason).Markup("</li>\n");
        }

        html.Markup("</ul></details></section>\n");
    }
}
