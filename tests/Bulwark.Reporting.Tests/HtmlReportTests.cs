using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Reporting.Html;
using Bulwark.Scanning;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Reporting.Tests;

public sealed partial class HtmlReportTests
{
    private static readonly string[] VoidElements = ["meta", "input", "br", "hr", "img", "link", "wbr"];

    [Fact]
    public void Scan_offers_the_html_format()
    {
        Assert.IsType<HtmlReportWriter>(ReportWriters.Find("html"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_shown_finding_is_one_finding_element(bool showSuppressed)
    {
        var result = ReportFixtures.FullScan();
        var html = Render(result, showSuppressed);

        var expected = result.Findings.Count(f => showSuppressed || f.Suppression is null);
        Assert.Equal(expected, FindingElement().Count(html));
        Assert.Equal(showSuppressed ? result.Suppressed.Count() : 0, SuppressedElement().Count(html));
        if (showSuppressed)
        {
            Assert.Contains("Suppressed by config (bulwark.yaml:7): accepted risk", html, StringComparison.Ordinal);
        }

        AssertBalanced(html);
    }

    [Fact]
    public void Findings_are_grouped_by_file_in_source_order_each_with_message_fix_rule_and_help_link()
    {
        var result = ReportFixtures.FullScan();
        var html = Render(result);

        var files = FileHeading().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(result.Findings.Select(f => f.Location.File).Distinct().Select(Encode), files);

        var privileged = result.Findings.First(f => f.Rule.Slug == "privileged-container" && f.Suppression is null);
        Assert.Contains($"href=\"{new ReportOptions { ToolVersion = "1.2.3" }.HelpUri(privileged.Rule)}\">{privileged.Rule.Id} <b>privileged-container</b></a>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"msg\">" + Encode(privileged.Message) + "</p>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"obj\">Deployment shop/web [app]</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"pos\">whole file</span>", html, StringComparison.Ordinal);

        // Within a file, by line: the Deployment's container (line 14) comes before the Pod's (line 30).
        var app = html.IndexOf("Deployment shop/web [app]", StringComparison.Ordinal);
        var pod = html.IndexOf("Pod debug [shell]", StringComparison.Ordinal);
        Assert.True(app >= 0 && pod > app, "findings of a file in line order");
    }

    [Fact]
    public void Summary_counts_and_severity_chart_agree_with_the_findings()
    {
        var result = ReportFixtures.FullScan();
        var html = Render(result, showSuppressed: false);
        var summary = ScanSummary.Of(result);

        Assert.Contains($"<dt>findings</dt><dd>{summary.Findings}</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<dt>warnings</dt><dd>{summary.Warnings}</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<dt>input errors</dt><dd>{summary.Errors}</dd>", html, StringComparison.Ordinal);
        foreach (var severity in Enum.GetValues<Severity>())
        {
            var count = summary.BySeverity[severity];
            Assert.Contains($"<dt>{severity.ToName()}</dt><dd>{count}</dd>", html, StringComparison.Ordinal);
            var bar = Regex.Match(html, $"<g class=\"bar sev-{severity.ToName()}\" data-severity=\"{severity.ToName()}\">.*?<text class=\"value\"[^>]*>(\\d+)</text></g>");
            Assert.True(bar.Success, $"a bar for {severity.ToName()}");
            Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), bar.Groups[1].Value);
        }

        Assert.Equal(result.Active.Select(f => f.Rule.Id).Distinct().Count(), Regex.Count(html, "<tr data-rule=\""));
    }

    [Fact]
    public void Warnings_and_input_errors_are_listed()
    {
        var result = ReportFixtures.FullScan();
        var html = Render(result);

        Assert.Equal(result.Warnings.Count, Regex.Count(html, "<li data-warning>"));
        Assert.Equal(result.Errors.Count, Regex.Count(html, "<li data-error>"));
        Assert.Contains("spec.podSelector: invalid; the policy is ignored", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"where\">manifests/broken.yaml:", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#errors\">Input errors</a>", html, StringComparison.Ordinal);
    }

    /// <summary>No request leaves the page: no external script, style, font or image, and a policy that forbids them and allows only the page's own script and style.</summary>
    [Fact]
    public void The_page_is_self_contained_and_its_policy_allows_exactly_its_own_script_and_style()
    {
        var html = Render(ReportFixtures.FullScan());

        Assert.StartsWith("<!DOCTYPE html>\n", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<(link|img|iframe|object|embed|audio|video|source)\\b", html);
        Assert.DoesNotMatch("\\s(src|srcset|action|formaction|poster)=", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@font-face", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("url\\((?!#)", html);

        var csp = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").Groups[1].Value;
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'none'", csp, StringComparison.Ordinal);
        var scripts = Regex.Matches(html, "<script>(.*?)</script>", RegexOptions.Singleline);
        Assert.Single(scripts);
        Assert.Equal(1, Regex.Count(html, "<script", RegexOptions.IgnoreCase));
        Assert.Contains($"script-src '{Hash(scripts[0].Groups[1].Value)}'", csp, StringComparison.Ordinal);
        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains($"style-src '{Hash(style)}'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_lines_around_each_finding_are_read_from_its_file()
    {
        using var tree = new TempFolder();
        var path = tree.Write("app.yaml", ReportFixtures.AppYaml);
        var result = new ScanEngine().Scan(new ScanOptions { Paths = [path], OnlyRules = ["privileged-container"] });
        var html = Render(result);

        // The first finding (container "app") is at its privileged: true line: the snippet is the two lines before
        // it, the line marked, and the two after. The three findings at three lines give three snippets.
        var lines = File.ReadAllLines(path);
        var line = result.Findings[0].Location.Line;
        Assert.Equal("privileged: true", lines[line - 1].Trim());
        var snippet = Regex.Match(html, "<pre class=\"src\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(
            string.Concat(Enumerable.Range(line - 2, 5).Select(n =>
                (n == line ? "<mark>" : string.Empty) + $"<span class=\"ln\">{n}</span> " + Encode(lines[n - 1]) + (n == line ? "</mark>\n" : "\n"))),
            snippet);
        Assert.Equal(3, Regex.Count(html, "<pre class=\"src\">"));
    }

    [Fact]
    public void A_file_that_cannot_be_read_again_gives_findings_without_source_lines()
    {
        using var tree = new TempFolder();
        var path = tree.Write("app.yaml", ReportFixtures.AppYaml);
        var result = new ScanEngine().Scan(new ScanOptions { Paths = [path], OnlyRules = ["privileged-container"] });
        File.Delete(path);

        var html = Render(result);
        Assert.Equal(result.Findings.Count, FindingElement().Count(html));
        Assert.DoesNotContain("<pre class=\"src\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_lines_are_cut_and_lines_are_counted_at_line_feeds()
    {
        using var tree = new TempFolder();
        var longValue = new string('x', 5000);
        var path = tree.Write("long.yaml", $"# {longValue}\r\napiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n    - name: c\r\n      image: busybox:1.36\r\n      securityContext:\r\n        privileged: true\r\n");
        var html = Render(new ScanEngine().Scan(new ScanOptions { Paths = [path], OnlyRules = ["privileged-container"] }));

        Assert.Contains("<mark><span class=\"ln\">11</span>         privileged: true</mark>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", html, StringComparison.Ordinal);
        Assert.DoesNotContain(longValue, html, StringComparison.Ordinal);
    }

    /// <summary>A manifest is untrusted: names, images, messages, paths and source lines from it are text, never markup.</summary>
    [Fact]
    public void Text_from_the_input_is_never_markup()
    {
        using var tree = new TempFolder();
        HostileInputs.WriteTo(tree.Root);
        var result = new ScanEngine().Scan(new ScanOptions { Paths = [tree.Root] });
        var html = Render(result);

        Assert.Equal(result.Findings.Count, FindingElement().Count(html));
        Assert.DoesNotMatch("<(img|b|i|u|svg)\\s+(src=x|id=\"?injected)", html);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(html, "<script", RegexOptions.IgnoreCase));
        Assert.Equal(1, Regex.Count(html, "</script", RegexOptions.IgnoreCase));
        Assert.Contains("[&lt;b id=injected-container&gt;x&lt;/b&gt;]", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;document.body.dataset.pwned=", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1) id=injected-file&gt;.yaml</span>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;u id=injected-image&gt;", html, StringComparison.Ordinal);
        Assert.Equal(result.Errors.Count, Regex.Count(html, "<li data-error>"));
        Assert.Contains("service &lt;svg onload=alert(4) id=injected-service&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<title>shop/&lt;svg id=injected-workload onload=alert(5)&gt;[Deployment]</title>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;!-- a comment that must stay text --&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"compose\"", html, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"kubernetes\"", html, StringComparison.Ordinal);
        AssertBalanced(html);
    }

    [Fact]
    public void Attribute_values_are_encoded()
    {
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        result.Findings.Add(new Finding
        {
            Rule = ReportFixtures.ExtraRule(id: "BW9\"><b id=attr>'"),
            Severity = Severity.High,
            Message = "quotes \" and ' stay as they are in text",
            Location = new SourceLocation("a.yaml", 1, 1),
        });
        var html = Render(result);

        Assert.Contains("data-rule=\"BW9&quot;&gt;&lt;b id=attr&gt;&#39;\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b id=attr>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"msg\">quotes \" and ' stay as they are in text</p>", html, StringComparison.Ordinal);
        AssertBalanced(html);
    }

    [Fact]
    public void Code_spans_and_control_characters_in_messages()
    {
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        result.Findings.Add(new Finding
        {
            Rule = ReportFixtures.ExtraRule(),
            Severity = Severity.Low,
            Message = "Set `runAsUser: <1000>` here; a lone ` stays\u0001 as it is",
            Remediation = "Use `a` and `b`.",
            Location = new SourceLocation("a.yaml", 1, 1),
        });
        var html = Render(result);

        Assert.Contains("<p class=\"msg\">Set <code>runAsUser: &lt;1000&gt;</code> here; a lone ` stays\ufffd as it is</p>", html, StringComparison.Ordinal);
        Assert.Contains("<span>Fix:</span> Use <code>a</code> and <code>b</code>.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void No_findings_says_so()
    {
        var result = ReportFixtures.Scan(withBroken: false);
        result.Findings.Clear();
        var html = Render(result);

        Assert.Contains("<p class=\"none\">No findings.</p>", html, StringComparison.Ordinal);
        Assert.Equal(0, FindingElement().Count(html));
        AssertBalanced(html);
    }

    [Fact]
    public void Network_policies_draw_the_connectivity_graph()
    {
        using var tree = new TempFolder();
        tree.Write("app.yaml", ClusterManifests.FrontendBackend);
        var html = Render(new ScanEngine().Scan(new ScanOptions { Paths = [tree.Root] }));

        Assert.Contains("<section id=\"network\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#network\">Network</a>", html, StringComparison.Ordinal);
        var graph = Regex.Match(html, "<svg class=\"graph\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.Equal(2, Regex.Count(graph, "data-node>"));
        var edge = Assert.Single(Regex.Matches(graph, "<g class=\"edge\" data-edge><title>(.*?)</title>"));
        Assert.Equal("prod/frontend[Deployment] → prod/backend[Deployment]: TCP 8080", edge.Groups[1].Value);
        Assert.Contains("<tr data-connection><td>prod/frontend[Deployment]</td><td>prod/backend[Deployment]</td><td>TCP 8080</td></tr>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"rbac\">", html, StringComparison.Ordinal);
        AssertBalanced(html);
    }

    [Fact]
    public void Connections_between_distant_columns_run_on_lanes_above_the_groups()
    {
        using var tree = new TempFolder();
        tree.Write("app.yaml", ClusterManifests.ThreeNamespaces);
        var html = Render(new ScanEngine().Scan(new ScanOptions { Paths = [tree.Root] }));

        // Columns a, b, c: a → c skips b, so its path goes up to a lane and down again; a → b is a curve.
        var graph = Regex.Match(html, "<svg class=\"graph\".*?</svg>", RegexOptions.Singleline).Value;
        var edges = Regex.Matches(graph, "<title>([^<]*)</title><path d=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Matches("^M[\\d.]+,[\\d.]+ H[\\d.]+ V[\\d.]+ H[\\d.]+ V[\\d.]+ H[\\d.]+$", edges["a/client[Deployment] → c/server[Deployment]: TCP 80"]);
        Assert.Matches("^M[\\d.]+,[\\d.]+ C", edges["a/client[Deployment] → b/relay[Deployment]: TCP 80"]);

        // The lane runs above every group box.
        var laneY = double.Parse(Regex.Match(edges["a/client[Deployment] → c/server[Deployment]: TCP 80"], " V([\\d.]+) ").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var groupTop = Regex.Matches(graph, "<g class=\"namespace\"><rect x=\"[\\d.]+\" y=\"([\\d.]+)\"")
            .Min(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(laneY < groupTop, $"lane at {laneY} above the groups at {groupTop}");
        Assert.Equal(Render(new ScanEngine().Scan(new ScanOptions { Paths = [tree.Root] })), html);
    }

    [Fact]
    public void Too_many_workloads_are_not_drawn()
    {
        using var tree = new TempFolder();
        var manifests = new StringBuilder(ClusterManifests.DenyAll("big"));
        for (var i = 0; i <= ConnectivitySvgLimit; i++)
        {
            manifests.Append($"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: w{i}, namespace: big}}\nspec:\n  template:\n    metadata: {{labels: {{app: w{i}}}}}\n    spec: {{containers: [{{name: c, image: busybox:1.36}}]}}\n");
        }

        tree.Write("big.yaml", manifests.ToString());
        var html = Render(new ScanEngine().Scan(new ScanOptions { Paths = [tree.Root] }));

        Assert.Contains($"{ConnectivitySvgLimit + 1} workloads are too many to draw here", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg class=\"graph\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Rbac_objects_list_the_escalation_paths()
    {
        using var tree = new TempFolder();
        tree.Write("rbac.yaml", ClusterManifests.NodeProxyMonitor);
        var html = Render(new ScanEngine().Scan(new ScanOptions { Paths = [tree.Root] }));

        Assert.Contains("<section id=\"rbac\">", html, StringComparison.Ordinal);
        var path = Assert.Single(Regex.Matches(html, "<li data-path>(.*?)</li>\n"));
        Assert.StartsWith("<span class=\"subject\">sa:ops/monitor</span> ⇒ <span class=\"goal goal-node-access\">code execution on the nodes</span> (1 step)", path.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("[ClusterRoleBinding monitor-node-proxy → ClusterRole node-proxy]", path.Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"network\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_cluster_objects_there_is_neither_graph_nor_paths()
    {
        var html = Render(ReportFixtures.FullScan());
        Assert.DoesNotContain("<section id=\"network\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"rbac\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"#network\"", html, StringComparison.Ordinal);
    }

    private const int ConnectivitySvgLimit = 150;

    private static string Render(ScanResult result, bool showSuppressed = true) => ReportFixtures.Render(new HtmlReportWriter(), result, showSuppressed);

    private static string Encode(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Every element the writer opens is closed, in order (script and style content is raw text).</summary>
    private static void AssertBalanced(string html)
    {
        var withoutRawText = Regex.Replace(html, "<(script|style)>.*?</\\1>", string.Empty, RegexOptions.Singleline);
        var open = new Stack<string>();
        foreach (Match tag in Tag().Matches(withoutRawText))
        {
            var name = tag.Groups[2].Value.ToLowerInvariant();
            if (tag.Groups[1].Value == "/")
            {
                Assert.True(open.Count > 0 && open.Peek() == name, $"</{name}> closes <{(open.Count > 0 ? open.Peek() : "nothing")}> at {tag.Index}");
                open.Pop();
            }
            else if (tag.Groups[3].Value != "/" && !VoidElements.Contains(name))
            {
                open.Push(name);
            }
        }

        Assert.Empty(open);
        Assert.DoesNotMatch("<(?![a-zA-Z/!])", withoutRawText);
    }

    [GeneratedRegex("<article class=\"[^\"]*\" data-finding ")]
    private static partial Regex FindingElement();

    [GeneratedRegex("<article class=\"finding sev-[a-z]+ suppressed\" data-finding ")]
    private static partial Regex SuppressedElement();

    [GeneratedRegex("<section class=\"group file\"><h3><span class=\"path\">(.*?)</span>")]
    private static partial Regex FileHeading();

    [GeneratedRegex("<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\\s[^>]*?)?(/?)>")]
    private static partial Regex Tag();
}
