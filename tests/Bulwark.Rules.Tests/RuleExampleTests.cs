using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rules.Tests;

/// <summary>Every rule's own examples: bad ones give exactly the marked findings, good ones none.</summary>
public sealed class RuleExampleTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var rule in BuiltInRules.All)
        {
            for (var i = 0; i < rule.Descriptor.Examples.Length; i++)
            {
                data.Add(rule.Descriptor.Id, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_gives_exactly_the_marked_findings(string ruleId, int index)
    {
        var rule = BuiltInRules.All.Single(r => r.Descriptor.Id == ruleId);
        var example = rule.Descriptor.Examples[index];
        // In a Dockerfile a trailing "# …" is not a comment (FROM x # expect: … would be FROM with three
        // arguments), so the markers are removed before parsing; the lines stay where they are.
        var text = example.Source == SourceKind.Dockerfile ? Reporting.RuleDocRenderer.StripMarkers(example.Text) : example.Text;
        var findings = TestScans.Run(rule, text, ExampleFileName(example));

        var expected = TestScans.ExpectedMarkers(example.Text).Where(m => m.Id == ruleId).Select(m => m.Line).Order().ToList();
        var actual = findings.Select(f => f.Location.Line).Order().ToList();
        if (example.Kind == ExampleKind.Good)
        {
            Assert.Empty(findings);
        }
        else
        {
            Assert.Equal(expected, actual);
        }

        Assert.All(findings, f =>
        {
            Assert.Same(rule.Descriptor, f.Rule);
            Assert.True(f.Rule.AllowsSeverity(f.Severity),
                $"{ruleId} reports {f.Severity.ToName()} at line {f.Location.Line}, outside its declared range {SeverityNames.RangeName(f.Rule.MinimumSeverity, f.Rule.MaximumSeverity)}");
            Assert.True(f.Location.Column > 0);
            Assert.NotNull(f.Object);
        });
    }

    private static string ExampleFileName(RuleExample example) => example.Source switch
    {
        SourceKind.Dockerfile => "Dockerfile",
        SourceKind.Compose => "compose.yaml",
        SourceKind.DockerInspect => "inspect.json",
        SourceKind.SeccompProfile => "seccomp.json",
        _ => "example.yaml",
    };
}
