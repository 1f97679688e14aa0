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
        var findings = TestScans.Run(rule, example.Text, ExampleFileName(example));

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
