using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Reporting;
using Bulwark.Scanning;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rules.Tests;

public sealed partial class RuleCatalogTests
{
    [Fact]
    public void Every_rule_class_in_the_rules_assembly_is_in_the_catalog()
    {
        var types = typeof(BuiltInRules).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRule).IsAssignableFrom(t))
            .ToList();
        Assert.NotEmpty(types);
        Assert.Equal(types.Count, BuiltInRules.All.Length);
        Assert.All(types, t => Assert.Contains(BuiltInRules.All, r => r.GetType() == t));
    }

    [Fact]
    public void Ids_slugs_and_aliases_are_unique_and_well_formed()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in RuleCatalog.Descriptors)
        {
            Assert.Matches(IdPattern(), rule.Id);
            Assert.Matches(SlugPattern(), rule.Slug);
            Assert.True(names.Add(rule.Id), $"duplicate name {rule.Id}");
            Assert.True(names.Add(rule.Slug), $"duplicate name {rule.Slug}");
            foreach (var alias in rule.Aliases)
            {
                Assert.True(names.Add(alias), $"duplicate name {alias}");
            }
        }
    }

    [Fact]
    public void Descriptors_are_complete()
    {
        foreach (var rule in RuleCatalog.Descriptors)
        {
            Assert.False(rule.Title.EndsWith('.'), $"{rule.Id}: title ends with a period");
            Assert.True(rule.Remediation.TrimEnd().EndsWith('.'), $"{rule.Id}: remediation must end with a period");
            Assert.False(string.IsNullOrWhiteSpace(rule.Rationale), $"{rule.Id}: no rationale");
            Assert.NotEmpty(rule.Sources);
            Assert.NotEmpty(rule.References);
            // A built image has no text form an example could be written in: the image overloads are tested on real
            // images (Bulwark.Images.Tests: ImageCommandTests, HistoryDockerfileTests, DebianImageTests); an SBOM's
            // findings need a vulnerability database, and are tested with one (Bulwark.Images.Tests: SbomCommandTests).
            foreach (var source in rule.Sources.Where(s => s is not (SourceKind.Image or SourceKind.Sbom)))
            {
                Assert.True(rule.Examples.Any(e => e.Source == source && e.Kind == ExampleKind.Bad), $"{rule.Id}: no bad {source} example");
                Assert.True(rule.Examples.Any(e => e.Source == source && e.Kind == ExampleKind.Good), $"{rule.Id}: no good {source} example");
            }

            foreach (var bad in rule.Examples.Where(e => e.Kind == ExampleKind.Bad))
            {
                Assert.NotEmpty(TestScans.ExpectedMarkers(bad.Text));
            }
        }
    }

    [Fact]
    public void The_rules_that_judge_images_say_so()
    {
        foreach (var rule in BuiltInRules.All)
        {
            var judgesImages = rule.TargetTypes.Contains(typeof(Parsing.Images.ContainerImage));
            Assert.True(judgesImages == rule.Descriptor.Sources.Contains(SourceKind.Image),
                $"{rule.Descriptor.Id}: {(judgesImages ? "judges images but does not list them" : "lists images but does not judge them")}");
        }
    }

    [Fact]
    public void Severity_ranges_hold_the_default_and_say_what_moves_it()
    {
        foreach (var rule in RuleCatalog.Descriptors)
        {
            Assert.True(rule.MinimumSeverity <= rule.Severity && rule.Severity <= rule.MaximumSeverity,
                $"{rule.Id}: default {rule.Severity.ToName()} outside its range {SeverityNames.RangeName(rule.MinimumSeverity, rule.MaximumSeverity)}");
            if (rule.SeverityVaries)
            {
                Assert.False(string.IsNullOrWhiteSpace(rule.SeverityNote), $"{rule.Id}: a severity range needs a SeverityNote saying what moves it");
                Assert.EndsWith(".", rule.SeverityNote!.TrimEnd(), StringComparison.Ordinal);
            }
            else
            {
                Assert.True(rule.SeverityNote is null, $"{rule.Id}: a SeverityNote on a rule whose severity never moves");
            }

            Assert.True((rule.RequiresOption is null) == (rule.FiresWhen is null), $"{rule.Id}: RequiresOption and FiresWhen go together");
        }
    }

    /// <summary>
    /// The declared ranges against real inputs: every finding of the shared real-world corpora, every rule on (and the
    /// Pod Security checks at restricted), is within its rule's range. Examples show a rule's cases; the corpora show
    /// the cases nobody thought to write an example for.
    /// </summary>
    [SharedDataFact]
    public void Every_finding_on_the_real_world_corpora_is_within_its_rules_severity_range()
    {
        var paths = new[] { "compose", "dockerfiles", "kubernetes" }.Select(c => RepositoryPaths.InShared("corpus", c, "real-world")).ToList();
        Assert.True(PodSecurityPolicy.TryParse("restricted", out var restricted, out _));
        var result = new ScanEngine().Scan(new ScanOptions
        {
            Paths = paths,
            OnlyRules = [.. RuleCatalog.Descriptors.Select(d => d.Id)],
            PodSecurity = restricted,
        });

        Assert.True(result.Findings.Count > 10_000, $"only {result.Findings.Count} findings: are the corpora there?");
        var outside = result.Findings
            .Where(f => !f.Rule.AllowsSeverity(f.Severity))
            .GroupBy(f => (f.Rule.Id, f.Severity))
            .Select(g => $"{g.Key.Id} {g.Key.Severity.ToName()} ×{g.Count()} (declared {SeverityNames.RangeName(g.First().Rule.MinimumSeverity, g.First().Rule.MaximumSeverity)}; e.g. {g.First().Location})")
            .ToList();
        Assert.True(outside.Count == 0, "findings outside their rule's severity range: " + string.Join("; ", outside));
    }

    [Fact]
    public void Generated_rule_docs_are_up_to_date()
    {
        var dir = RepositoryPaths.InRepo("docs", "rules");
        var stale = new List<string>();
        foreach (var rule in RuleCatalog.Descriptors)
        {
            var path = Path.Combine(dir, rule.Id + ".md");
            if (!File.Exists(path) || File.ReadAllText(path) != Reporting.RuleDocRenderer.Render(rule, RuleCatalog.Descriptors))
            {
                stale.Add(rule.Id);
            }
        }

        var index = Path.Combine(dir, "README.md");
        if (!File.Exists(index) || File.ReadAllText(index) != Reporting.RuleDocRenderer.RenderIndex(RuleCatalog.Descriptors))
        {
            stale.Add("README.md");
        }

        var extra = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "BW*.md").Select(Path.GetFileNameWithoutExtension).Where(id => RuleCatalog.Find(id!) is null).ToList()
            : [];
        stale.AddRange(extra.Select(e => e + " (no such rule)"));
        Assert.True(stale.Count == 0, "docs/rules is stale; run `dotnet run --project src/Bulwark.Cli -- rules docs docs/rules`: " + string.Join(", ", stale));
    }

    [Fact]
    public void Help_links_lead_to_each_rules_page_in_the_repository_at_the_version()
    {
        var tag = ToolInfo.RepositoryUrl + "/blob/v1.2.3/";
        foreach (var rule in RuleCatalog.Descriptors)
        {
            var link = RuleHelpLinks.For(rule, RuleHelpLinks.BaseUrl("1.2.3"));
            Assert.StartsWith(tag, link, StringComparison.Ordinal);
            Assert.True(File.Exists(RepositoryPaths.InRepo(link[tag.Length..].Split('/'))), $"{rule.Id}: {link} names no file of the repository");
        }
    }

    [GeneratedRegex("^BW[1-9][0-9]{3}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
