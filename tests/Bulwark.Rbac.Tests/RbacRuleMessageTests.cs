using Bulwark.Core.Findings;
using Bulwark.Rules;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>RBAC rules report what the API really allows, and say which grant they found where.</summary>
public sealed class RbacRuleMessageTests
{
    private static List<Finding> Run(string slug, string yaml) => TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == slug), yaml);

    private static string Role(string name, string rules) => $$"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: {{name}}}
        rules: {{rules}}
        ---

        """;

    private static string ClusterBinding(string role, string subject = "{kind: ServiceAccount, name: approver, namespace: pki}") => $$"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: {{role}}-binding}
        subjects: [{{subject}}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {{role}}}
        ---

        """;

    private const string Approval = "{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}";

    [Fact]
    public void Csr_approval_needs_approve_on_a_signer_and_says_which()
    {
        // update on the approval subresource alone approves nothing.
        Assert.Empty(Run("rbac-csr-approve", Role("status-only", $"[{Approval}]") + ClusterBinding("status-only")));

        // approve on a signer alone (no approval subresource) is not reported either.
        Assert.Empty(Run("rbac-csr-approve", Role("signer-only", "[{apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}]")));

        var everySigner = Assert.Single(Run("rbac-csr-approve",
            Role("approver", $"[{Approval}, {{apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [kubernetes.io/*]}}]") + ClusterBinding("approver")));
        Assert.Equal(Severity.Critical, everySigner.Severity);
        Assert.StartsWith("ClusterRole approver grants update on certificatesigningrequests/approval and approve on signers kubernetes.io/*, so its holders can approve client certificates naming any user and group, system:masters included; bound cluster-wide by ClusterRoleBinding approver-binding to sa:pki/approver",
            everySigner.Message, StringComparison.Ordinal);

        var custom = Assert.Single(Run("rbac-csr-approve",
            Role("approver", $"[{Approval}, {{apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [example.com/serving]}}]") + ClusterBinding("approver")));
        Assert.Equal(Severity.Medium, custom.Severity);
    }

    [Fact]
    public void Csr_approval_counts_a_signer_grant_the_same_subject_holds_through_another_binding()
    {
        var yaml = Role("approver", $"[{Approval}]") + ClusterBinding("approver")
            + ClusterBinding("system:certificates.k8s.io:kube-apiserver-client-kubelet-approver");
        var finding = Assert.Single(Run("rbac-csr-approve", yaml));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("approve on signers kubernetes.io/kube-apiserver-client-kubelet (approve on signers from ClusterRoleBinding system:certificates.k8s.io:kube-apiserver-client-kubelet-approver-binding → ClusterRole system:certificates.k8s.io:kube-apiserver-client-kubelet-approver)",
            finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_binding_never_grants_cluster_scoped_resources()
    {
        var finding = Assert.Single(Run("rbac-nodes-proxy", Role("kubelet-reader", "[{apiGroups: [\"\"], resources: [nodes/proxy], verbs: [get]}]") + """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: monitoring, namespace: monitoring}
            subjects: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubelet-reader}
            """));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("bound only by RoleBinding monitoring/monitoring, and a RoleBinding grants no cluster-scoped resource", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{apiGroups: [apps], resources: [deployments], verbs: [patch]}]", "patch on deployments, so it can rewrite their pod template (service account included)")]
    [InlineData("[{apiGroups: [\"\"], resources: [pods], verbs: [update, patch]}]", "update, patch on pods, so it can swap the image of running pods and run its code with their service accounts (a pod's service account itself is immutable)")]
    [InlineData("[{apiGroups: [batch], resources: [jobs, cronjobs], verbs: [create]}]", "create on jobs, cronjobs, so it can run pods as any service account of the namespace")]
    public void Workload_writes_say_what_the_api_lets_them_change(string rules, string what)
    {
        var finding = Assert.Single(Run("rbac-workload-create", Role("deployer", rules)));
        Assert.StartsWith($"ClusterRole deployer grants {what}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Updating_a_job_is_no_workload_write_its_pod_template_is_immutable()
    {
        Assert.Empty(Run("rbac-workload-create", Role("job-tuner", "[{apiGroups: [batch], resources: [jobs], verbs: [get, update, patch]}]")));
    }

    [Fact]
    public void Wildcards_show_the_rule_they_are_in()
    {
        var finding = Assert.Single(Run("rbac-wildcard", Role("ops", "[{apiGroups: [apps], resources: [\"*\"], verbs: [get, list]}]")));
        Assert.StartsWith("ClusterRole ops grants get, list on * of API group apps (\"*\" in resources, so it covers every present and future one)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binding_everyone_to_a_role_that_only_reads_discovery_urls_is_low()
    {
        var finding = Assert.Single(Run("rbac-anonymous-binding", ClusterBinding("system:service-account-issuer-discovery", "{kind: Group, name: \"system:unauthenticated\", apiGroup: rbac.authorization.k8s.io}")));
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains("(get on /.well-known/openid-configuration, /openid/v1/jwks)", finding.Message, StringComparison.Ordinal);

        var secrets = Assert.Single(Run("rbac-anonymous-binding", ClusterBinding("view", "{kind: Group, name: \"system:unauthenticated\", apiGroup: rbac.authorization.k8s.io}")));
        Assert.Equal(Severity.Critical, secrets.Severity);
    }

    [Fact]
    public void A_binding_to_a_namespaces_default_service_account_is_reported_at_the_subject()
    {
        var findings = Run("default-service-account", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: everything-reader}
            subjects:
              - kind: ServiceAccount
                name: reporting
                namespace: analytics
              - kind: ServiceAccount
                name: default
                namespace: analytics
              - kind: User
                name: system:serviceaccount:batch:default
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            """);
        Assert.Equal([8, 11], findings.Select(f => f.Location.Line));
        Assert.All(findings, f => Assert.Equal(Severity.Medium, f.Severity));
        Assert.StartsWith("ClusterRoleBinding everything-reader grants ClusterRole view (get, list, watch on configmaps, endpoints, ", findings[0].Message, StringComparison.Ordinal);
        Assert.EndsWith("cluster-wide to the default service account of namespace analytics, so every pod there that names no service account holds it.", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("namespace batch", findings[1].Message, StringComparison.Ordinal);
    }
}
