using Bulwark.Core.Findings;
using Bulwark.Rules;
using Bulwark.Scanning;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>RBAC rules set severity by where a role is in force and to whom; the checklist's example is clean.</summary>
public sealed class RbacRuleSeverityTests
{
    private const string SecretReader = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: secret-reader}
        rules:
          - {apiGroups: [""], resources: [secrets], verbs: [list]}
        """;

    private static string Binding(string kind, string subject, string ns = "") => $$"""

        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: {{kind}}
        metadata: {name: b{{(ns.Length > 0 ? ", namespace: " + ns : string.Empty)}}}
        subjects: [{{subject}}]
        roleRef: {kind: ClusterRole, name: secret-reader, apiGroup: rbac.authorization.k8s.io}
        """;

    private static Finding SecretsFinding(string yaml) =>
        Assert.Single(TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == "rbac-secrets-access"), yaml));

    [Fact]
    public void Severity_follows_scope_and_subject()
    {
        Assert.Equal(Severity.Low, SecretsFinding(SecretReader).Severity);
        Assert.Contains("not bound in these manifests", SecretsFinding(SecretReader).Message, StringComparison.Ordinal);

        var namespaced = SecretsFinding(SecretReader + Binding("RoleBinding", "{kind: ServiceAccount, name: app, namespace: shop}", "shop"));
        Assert.Equal(Severity.Medium, namespaced.Severity);
        Assert.Contains("bound in namespace shop by RoleBinding shop/b to sa:shop/app", namespaced.Message, StringComparison.Ordinal);

        var clusterWide = SecretsFinding(SecretReader + Binding("ClusterRoleBinding", "{kind: User, name: alice}"));
        Assert.Equal(Severity.High, clusterWide.Severity);
        Assert.Contains("bound cluster-wide by ClusterRoleBinding b to user:alice", clusterWide.Message, StringComparison.Ordinal);

        var everyone = SecretsFinding(SecretReader + Binding("RoleBinding", "{kind: Group, name: \"system:authenticated\"}", "shop"));
        Assert.Equal(Severity.Critical, everyone.Severity);
    }

    [Fact]
    public void Aggregated_roles_carry_their_bindings_to_the_roles_they_aggregate()
    {
        var finding = SecretsFinding("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader-part, labels: {aggregate-to-reader: "true"}}
            rules:
              - {apiGroups: [""], resources: [secrets], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            aggregationRule:
              clusterRoleSelectors: [{matchLabels: {aggregate-to-reader: "true"}}]
            rules: []
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: readers}
            subjects: [{kind: Group, name: auditors}]
            roleRef: {kind: ClusterRole, name: reader, apiGroup: rbac.authorization.k8s.io}
            """);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.StartsWith("ClusterRole reader-part grants get on secrets; bound cluster-wide by ClusterRoleBinding readers", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checklist_app_reader_example_gives_no_finding()
    {
        var result = new ScanEngine().Scan(new ScanOptions { Paths = [RepositoryPaths.InRepo("examples", "kubernetes", "rbac-app-reader.yaml")] });
        Assert.Empty(result.Errors);
        Assert.Empty(result.Findings);
        Assert.Equal(3, result.Objects);
    }
}
