using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Documents;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>
/// Every case of <c>conformance/rbac/kubectl-who-can-matcher-cases.yaml</c> (kubectl-who-can's matcher tests and
/// cases from Kubernetes' evaluation_helpers.go): does one rule, or one role's rules, allow the request.
/// </summary>
public sealed class MatcherConformanceTests
{
    public const int ExpectedCases = 21;

    private static List<DocMapping> Cases() =>
        [.. RbacInputs.Yaml(RbacInputs.Conformance("kubectl-who-can-matcher-cases.yaml")).MappingsOf("cases")];

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases())
        {
            data.Add(c.String("scenario")!);
        }

        return data;
    }

    [SharedDataFact]
    public void Every_case_is_read()
    {
        Assert.Equal(ExpectedCases, Cases().Count);
        Assert.Equal(ExpectedCases, Cases().Select(c => c.String("scenario")).Distinct().Count());
    }

    [SharedDataTheory]
    [MemberData(nameof(Scenarios))]
    public void Rule_allows_exactly_what_the_authorizer_allows(string scenario)
    {
        var c = Cases().Single(x => x.String("scenario") == scenario);
        var request = ReadRequest(c.Mapping("request")!);
        List<RbacPolicyRule> rules = c.Mapping("rule") is { } one
            ? [RbacPolicyRule.Read(one)]
            : [.. c.MappingsOf("role_rules").Select(RbacPolicyRule.Read)];
        Assert.NotEmpty(rules);
        var expected = c.Scalar("expect")!.AsBool();
        Assert.NotNull(expected);
        Assert.Equal(expected.Value, RbacMatcher.AnyAllows(rules, request));
    }

    private static RbacRequest ReadRequest(DocMapping r) =>
        r.String("nonResourceURL") is { } url
            ? RbacRequest.ForUrl(r.String("verb")!, url)
            : RbacRequest.ForResource(
                r.String("verb")!,
                r["group"] is DocScalar g ? g.Value : string.Empty,
                r.String("resource") ?? string.Empty,
                r.String("subresource") ?? string.Empty,
                r.String("resourceName") ?? string.Empty);
}
