using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Documents;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>
/// rbac-tool's scenarios (<c>conformance/rbac/rbac-tool</c>) with the expectations of EXPECTED-INDEX.yaml:
/// <c>rbac-tool who-can</c> (all namespaces, rows filtered by the same grep) and <c>rbac-tool policy-rules</c>.
/// Two expectations are not ground truth, and the tests say what the authorizer really answers instead:
/// <list type="bullet">
/// <item>whocan/nonresourceurl-reader.yaml (marked wrong in PROVENANCE.md): a RoleBinding never grants a
/// non-resource URL, so only system:masters may <c>get /test-reader</c>.</item>
/// <item>whocan/gatewat-api-operator.yaml: the header asks <c>who-can get gateways</c>, but the role grants only
/// create, update, delete and patch, so nobody but system:masters may get them (rbac-tool's own query,
/// <c>.Verb in [Verb, "*"]</c>, would not list them either); the expected rows are the answer for those verbs.</item>
/// </list>
/// </summary>
public sealed class RbacToolConformanceTests
{
    private static readonly DocNode Index = RbacInputs.Yaml(RbacInputs.Conformance("rbac-tool", "EXPECTED-INDEX.yaml"));

    private static DocMapping Entry(string file) =>
        ((DocSequence)Index).Items.OfType<DocMapping>().Single(e => e.String("file") == file);

    private static List<string[]> ExpectedRows(string file) =>
        [.. Entry(file).ItemsOf("expected_rows").OfType<DocSequence>().Select(row => row.Items.Select(i => ((DocScalar)i).Value).ToArray())];

    private static RbacResolver Load(string file) => RbacInputs.ResolverFromFile(RbacInputs.Conformance("rbac-tool", file));

    /// <summary>who-can rows as rbac-tool prints them (TYPE, SUBJECT, NAMESPACE), keeping those the command's grep keeps.</summary>
    private static List<string[]> WhoCanRows(RbacResolver resolver, RbacRequest request, string grep) =>
        [.. resolver.WhoCan(request, ns: null)
            .Where(s => s.Name.Contains(grep, StringComparison.Ordinal))
            .Select(s => s.Kind == RbacSubject.ServiceAccount ? new[] { s.Kind, s.Name, s.Namespace } : [s.Kind, s.Name])];

    private static void AssertRows(List<string[]> expected, List<string[]> actual)
    {
        static string Key(string[] row) => string.Join(" | ", row.Reverse().SkipWhile(c => c.Length == 0).Reverse());
        Assert.Equal(expected.Select(Key).Order(StringComparer.Ordinal), actual.Select(Key).Order(StringComparer.Ordinal));
    }

    private static RbacRequest Resource(string verb, string resource, string name = "")
    {
        var known = KnownResources.Find(resource, null)!;
        return RbacRequest.ForResource(verb, known.Group, known.Plural, name: name);
    }

    [SharedDataTheory]
    [InlineData("get")]
    [InlineData("create")]
    public void Aggregated_cluster_role(string verb)
    {
        const string file = "testdata/whocan/clusterrole-aggregate.yaml";
        AssertRows(ExpectedRows(file), WhoCanRows(Load(file), Resource(verb, "pod"), "test-aggregate"));
    }

    [SharedDataFact]
    public void Pod_creator()
    {
        const string file = "testdata/whocan/pod-creator.yaml";
        AssertRows(ExpectedRows(file), WhoCanRows(Load(file), Resource("create", "pods"), "pod-creator"));
    }

    [SharedDataFact]
    public void Secret_reader_through_a_role_binding_to_a_cluster_role()
    {
        const string file = "testdata/whocan/secret-reader.yaml";
        AssertRows(ExpectedRows(file), WhoCanRows(Load(file), Resource("get", "secrets"), "test-secret-reader"));
    }

    [SharedDataFact]
    public void Specific_resource_reader()
    {
        const string file = "testdata/whocan/specific-resource-reader.yaml";
        var resolver = Load(file);
        AssertRows(ExpectedRows(file), WhoCanRows(resolver, Resource("get", "secrets", "some-secret"), "test-specific-secret-reader"));

        // resourceNames never grant a request without that name.
        Assert.Empty(WhoCanRows(resolver, Resource("get", "secrets", "other"), "test-specific-secret-reader"));
        Assert.Empty(WhoCanRows(resolver, Resource("list", "secrets"), "test-specific-secret-reader"));
    }

    [SharedDataFact]
    public void Impersonating_service_accounts_through_a_role_binding()
    {
        const string file = "testdata/whocan/impersonator.yaml";
        var resolver = Load(file);
        AssertRows(ExpectedRows(file), WhoCanRows(resolver, Resource("impersonate", "serviceaccounts"), "impersonator"));

        // Users and groups are cluster-scoped for impersonation: the RoleBinding grants neither.
        Assert.Empty(WhoCanRows(resolver, Resource("impersonate", "users"), "impersonator"));
        Assert.Empty(WhoCanRows(resolver, Resource("impersonate", "groups"), "impersonator"));
    }

    [SharedDataFact]
    public void Gateway_operator_for_the_verbs_its_role_grants()
    {
        const string file = "testdata/whocan/gatewat-api-operator.yaml";
        var resolver = Load(file);
        foreach (var verb in new[] { "create", "update", "delete", "patch" })
        {
            AssertRows(ExpectedRows(file), WhoCanRows(resolver, Resource(verb, "gateways"), "gateway-network-operator"));
        }

        Assert.Empty(WhoCanRows(resolver, Resource("get", "gateways"), "gateway-network-operator"));
    }

    [SharedDataFact]
    public void Non_resource_url_through_a_role_binding_is_granted_to_no_one()
    {
        const string file = "testdata/whocan/nonresourceurl-reader.yaml";
        var rows = WhoCanRows(Load(file), RbacRequest.ForUrl("get", "/test-reader"), string.Empty);
        var expected = ExpectedRows(file);
        Assert.Contains(expected, r => r[1] == "system:masters");
        AssertRows([["Group", "system:masters"]], rows);
    }

    [SharedDataFact]
    public void Policy_rules_of_a_service_account()
    {
        const string file = "testdata/policyrules/multiple-role-bindings.yaml";
        var resolver = Load(file);
        var permissions = resolver.PermissionsOf(RbacIdentity.ForServiceAccount("policyrules", "the-test-user"));

        // rbac-tool prints one row per verb, API group and resource: TYPE, SUBJECT, VERB, NAMESPACE, GROUP, KIND, NAMES, URLS, ORIGIN.
        var rows = new List<string[]>();
        foreach (var p in permissions)
        {
            foreach (var verb in p.Rule.Verbs)
            {
                foreach (var group in p.Rule.ApiGroups)
                {
                    foreach (var resource in p.Rule.Resources)
                    {
                        rows.Add(["ServiceAccount", p.Subject.Name, verb, p.Scope, group.Length == 0 ? "core" : group, resource,
                            string.Join(",", p.Rule.ResourceNames), string.Empty, $"Roles>>{p.Role.Namespace}/{p.Role.Name}"]);
                    }
                }
            }
        }

        AssertRows(ExpectedRows(file), rows);
    }

    [SharedDataTheory]
    [InlineData("testdata/viz/multiple-rolebindings-in-ns-missing-service-account.yaml")]
    [InlineData("testdata/viz/multiple-rolebindings-in-ns.yaml")]
    [InlineData("testdata/viz/rbac-with-psp.yaml")]
    public void Scenarios_without_expectations_load(string file)
    {
        var resolver = Load(file);
        var objects = Entry(file).ItemsOf("objects").OfType<DocScalar>().Select(s => s.Value).ToList();
        var roles = resolver.Model.AllRoles.Select(r => r.Kind == RbacRoleKind.Role ? $"Role/{r.Namespace}/{r.Name}" : $"ClusterRole/{r.Name}");
        var bindings = resolver.Model.AllBindings.Select(b => b.IsClusterWide ? $"ClusterRoleBinding/{b.Name}" : $"RoleBinding/{b.Namespace}/{b.Name}");
        Assert.Equal(
            objects.Where(o => o.StartsWith("Role", StringComparison.Ordinal) || o.StartsWith("ClusterRole", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            roles.Concat(bindings).Order(StringComparer.Ordinal));
    }
}
