using Bulwark.Parsing.Documents;
using Bulwark.Rules;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>
/// kube-linter's RBAC and service-account check fixtures (<c>conformance/rbac/kube-linter</c>, read in place) with the
/// report counts and reported kinds of EXPECTED.yaml, for the checks a Bulwark rule has the meaning of.
/// Left out, as Bulwark has no such rule: non-existent-service-account, deprecated-service-account-field.
/// </summary>
public sealed class KubeLinterConformanceTests
{
    private static readonly string[] LeftOut = ["non-existent-service-account", "deprecated-service-account-field"];

    [SharedDataTheory]
    [InlineData("access-to-secrets", "rbac-secrets-access")]
    [InlineData("cluster-admin-role-binding", "rbac-cluster-admin-binding")]
    [InlineData("default-service-account", "default-service-account")]
    [InlineData("wildcard-in-rules", "rbac-wildcard")]
    public void Rule_reports_what_kube_linter_reports(string check, string slug)
    {
        var expected = Expected().Single(e => e.String("check") == check);
        var input = RbacInputs.Conformance("kube-linter", expected.String("input")!);
        var rule = BuiltInRules.All.Single(r => r.Descriptor.Slug == slug);
        var findings = TestScans.Run(rule, File.ReadAllText(input), input);
        Assert.Equal(int.Parse(expected.String("report_count")!, System.Globalization.CultureInfo.InvariantCulture), findings.Count);

        // kube-linter names the reported object's kind first; Bulwark reports a role's grant on the role, not its binding.
        var kinds = expected.ItemsOf("messages_in_order").OfType<DocScalar>().Select(m => m.Value[..m.Value.IndexOf(':', StringComparison.Ordinal)]).ToList();
        var reported = findings.OrderBy(f => f.Location.Line).Select(f => f.Object!.Kind).ToList();
        Assert.Equal(check == "access-to-secrets" ? ["Role"] : kinds, reported);
    }

    [SharedDataFact]
    public void Every_expectation_is_covered_or_left_out()
    {
        var checks = Expected().Select(e => e.String("check")!).ToList();
        Assert.Equal(6, checks.Count);
        Assert.Equal(2, checks.Count(LeftOut.Contains));
    }

    private static IEnumerable<DocMapping> Expected() =>
        ((DocSequence)RbacInputs.Yaml(RbacInputs.Conformance("kube-linter", "EXPECTED.yaml"))).Items.OfType<DocMapping>();
}
