using Bulwark.Kubernetes.Rbac;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>Escalation vectors of Kubernetes' RBAC good practices, one scenario each, and what must not count.</summary>
public sealed class EscalationAnalysisTests
{
    private static string Grant(string subject, string rules, string binding = "ClusterRoleBinding", string ns = "") => $"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {"{"}name: role-of-{subject.Replace(':', '-')}{"}"}
        rules: {rules}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: {binding}
        metadata: {"{"}name: to-{subject.Replace(':', '-')}{(ns.Length > 0 ? ", namespace: " + ns : string.Empty)}{"}"}
        subjects: [{Subject(subject)}]
        roleRef: {"{"}kind: ClusterRole, name: role-of-{subject.Replace(':', '-')}{"}"}
        ---

        """;

    private static string Subject(string s) => s.StartsWith("sa:", StringComparison.Ordinal)
        ? $"{{kind: ServiceAccount, name: {s.Split('/')[1]}, namespace: {s[3..].Split('/')[0]}}}"
        : s.StartsWith("group:", StringComparison.Ordinal) ? $"{{kind: Group, name: \"{s[6..]}\"}}" : $"{{kind: User, name: {s}}}";

    private const string AdminSa = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ops-admin}
        subjects: [{kind: ServiceAccount, name: ops, namespace: team}]
        roleRef: {kind: ClusterRole, name: cluster-admin}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ops, namespace: team}
        spec:
          template:
            spec:
              serviceAccountName: ops
              containers: [{name: ops, image: ops:1}]
        ---

        """;

    private static IReadOnlyList<EscalationPath> Analyze(string yaml) => EscalationAnalysis.Analyze(RbacInputs.Model(yaml.TrimEnd().TrimEnd('-')));

    /// <summary>The subject's path to its most severe goal (paths come most severe first).</summary>
    private static EscalationPath? PathOf(IReadOnlyList<EscalationPath> paths, string subject) => paths.FirstOrDefault(p => p.Subject == subject);

    private static EscalationPath? PathOf(IReadOnlyList<EscalationPath> paths, string subject, EscalationGoal goal) =>
        paths.SingleOrDefault(p => p.Subject == subject && p.Goal == goal);

    [Theory]
    [InlineData("[{apiGroups: [\"\"], resources: [pods], verbs: [create]}]", "can create pods in namespace team, then runs a pod as the service account")]
    [InlineData("[{apiGroups: [apps], resources: [deployments], verbs: [create]}]", "can create deployments in namespace team")]
    [InlineData("[{apiGroups: [\"\"], resources: [secrets], verbs: [create, get]}]", "can create and read Secrets in namespace team, then creates a token Secret for the service account")]
    [InlineData("[{apiGroups: [apps], resources: [statefulsets], verbs: [patch]}]", "can patch statefulsets in namespace team (their pod template, service account included), then runs a pod")]
    [InlineData("[{apiGroups: [\"\"], resources: [pods], verbs: [patch]}]", "can patch pods in namespace team (a container's image, not the pod's service account), then swaps the image")]
    [InlineData("[{apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create]}]", "can create serviceaccounts/token in namespace team")]
    [InlineData("[{apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create], resourceNames: [ops]}]", "can create serviceaccounts/token in namespace team for ops")]
    [InlineData("[{apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}]", "can exec, attach or add ephemeral containers to pods in namespace team")]
    [InlineData("[{apiGroups: [\"\"], resources: [pods/ephemeralcontainers], verbs: [patch]}]", "can exec, attach or add ephemeral containers to pods in namespace team")]
    [InlineData("[{apiGroups: [\"\"], resources: [serviceaccounts], verbs: [impersonate]}]", "can impersonate service accounts in namespace team")]
    [InlineData("[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]", "can bind any role in namespace team")]
    public void Namespace_footholds_lead_to_its_service_accounts(string rules, string action)
    {
        var paths = Analyze(AdminSa + Grant("alice", rules, "RoleBinding", "team"));
        var alice = PathOf(paths, "user:alice");
        Assert.NotNull(alice);
        Assert.Equal(EscalationGoal.ClusterAdmin, alice.Goal);
        Assert.Equal(2, alice.Steps.Count);
        Assert.StartsWith(action, alice.Steps[0].Action, StringComparison.Ordinal);
        Assert.Equal("sa:team/ops", alice.Steps[0].To);
        Assert.Equal("RoleBinding team/to-alice → ClusterRole role-of-alice", alice.Steps[0].Via);
        Assert.Equal("holds every verb on every resource cluster-wide", alice.Steps[1].Action);

        // The same grant in another namespace reaches nothing.
        Assert.Null(PathOf(Analyze(AdminSa + Grant("alice", rules, "RoleBinding", "elsewhere")), "user:alice"));
    }

    [Theory]
    [InlineData("[{apiGroups: [\"\"], resources: [groups], verbs: [impersonate]}]", "can impersonate group system:masters")]
    [InlineData("[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]", "can bind cluster-admin to itself")]
    [InlineData("[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update]}]", "can add any permission to the ClusterRoles bound to it")]
    [InlineData("[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}, {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [kubernetes.io/kube-apiserver-client]}]", "can create and approve a client CertificateSigningRequest")]
    public void Cluster_wide_vectors_end_at_cluster_admin(string rules, string action)
    {
        var alice = PathOf(Analyze(Grant("alice", rules)), "user:alice");
        Assert.NotNull(alice);
        Assert.Equal(EscalationGoal.ClusterAdmin, alice.Goal);
        Assert.StartsWith(action, Assert.Single(alice.Steps).Action, StringComparison.Ordinal);

        // A RoleBinding grants none of these cluster-scoped powers.
        Assert.Null(PathOf(Analyze(Grant("alice", rules, "RoleBinding", "team")), "user:alice"));
    }

    [Fact]
    public void Csr_approval_needs_all_three_permissions()
    {
        const string rules = "[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}]";
        Assert.Null(PathOf(Analyze(Grant("alice", rules)), "user:alice"));
    }

    [Fact]
    public void Webhook_control_and_cluster_wide_secret_reads_reach_every_secret()
    {
        var paths = Analyze(Grant("alice", "[{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [patch]}]")
            + Grant("bob", "[{apiGroups: [\"\"], resources: [secrets], verbs: [watch]}]"));
        Assert.Equal(EscalationGoal.ClusterSecrets, PathOf(paths, "user:alice")!.Goal);
        Assert.Equal(EscalationGoal.ClusterSecrets, PathOf(paths, "user:bob")!.Goal);

        // get needs a name: it reads Secrets one by one, so it is not listed as "every secret".
        Assert.Null(PathOf(Analyze(Grant("carol", "[{apiGroups: [\"\"], resources: [secrets], verbs: [get], resourceNames: [one]}]")), "user:carol"));
    }

    [Fact]
    public void Nodes_proxy_get_reaches_pods_that_run_through_the_kubelet()
    {
        var alice = PathOf(Analyze(AdminSa + Grant("alice", "[{apiGroups: [\"\"], resources: [nodes/proxy], verbs: [get]}]")), "user:alice");
        Assert.NotNull(alice);
        Assert.Equal(["sa:team/ops", "cluster-admin-equivalent"], alice.Steps.Select(s => s.To));
        Assert.Contains("nodes/proxy", alice.Steps[0].Action, StringComparison.Ordinal);

        // The kubelet is code execution on every node in itself, one step away.
        var paths = Analyze(AdminSa + Grant("alice", "[{apiGroups: [\"\"], resources: [nodes/proxy], verbs: [get]}]"));
        Assert.Equal([EscalationGoal.ClusterAdmin, EscalationGoal.NodeAccess], paths.Where(p => p.Subject == "user:alice").Select(p => p.Goal));
        Assert.Single(PathOf(paths, "user:alice", EscalationGoal.NodeAccess)!.Steps);
    }

    [Fact]
    public void Every_goal_a_subject_reaches_is_shown_with_its_own_shortest_path_most_severe_first()
    {
        // A controller that can list every Secret (one step) and mint a token for a cluster-admin account (two).
        var paths = Analyze(AdminSa + Grant("sa:ctl/minter", "[{apiGroups: [\"\"], resources: [secrets], verbs: [list]}, {apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create], resourceNames: [ops]}]"));
        var minter = paths.Where(p => p.Subject == "sa:ctl/minter").ToList();
        Assert.Equal([EscalationGoal.ClusterAdmin, EscalationGoal.ClusterSecrets], minter.Select(p => p.Goal));
        Assert.Equal(["sa:team/ops", "cluster-admin-equivalent"], minter[0].Steps.Select(s => s.To));
        Assert.Equal("can list Secrets in every namespace", Assert.Single(minter[1].Steps).Action);

        // A goal as far as a more severe one adds nothing: cluster-admin reads every Secret too.
        var root = paths.Where(p => p.Subject == "sa:team/ops").ToList();
        Assert.Equal(EscalationGoal.ClusterAdmin, Assert.Single(root).Goal);

        // Subjects come in order of their most severe goal, then of path length.
        Assert.Equal(["sa:team/ops", "sa:ctl/minter"], paths.Select(p => p.Subject).Distinct().Take(2));
    }

    [Fact]
    public void Rewriting_what_the_api_keeps_immutable_leads_nowhere()
    {
        // A Job's pod template is immutable, and patching a pod cannot change its service account: with no pod
        // of the input running as ops, neither reaches it.
        var yaml = AdminSa.Replace("serviceAccountName: ops", "serviceAccountName: web", StringComparison.Ordinal)
            + Grant("alice", "[{apiGroups: [batch], resources: [jobs], verbs: [update, patch]}, {apiGroups: [\"\"], resources: [pods], verbs: [patch]}]", "RoleBinding", "team");
        Assert.Null(PathOf(Analyze(yaml), "user:alice"));
    }

    [Fact]
    public void The_bootstrap_policy_is_part_of_the_graph_but_only_the_inputs_subjects_are_reported()
    {
        // edit, bound in a namespace, creates pods there: every account of the namespace is within reach.
        var paths = Analyze(AdminSa + """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: dev-edit, namespace: team}
            subjects: [{kind: User, name: dev}]
            roleRef: {kind: ClusterRole, name: edit}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: tokens, namespace: kube-system}
            subjects: [{kind: ServiceAccount, name: issuer, namespace: tools}]
            roleRef: {kind: ClusterRole, name: token-creator}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: token-creator}
            rules: [{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}]
            """);
        var dev = PathOf(paths, "user:dev");
        Assert.NotNull(dev);
        Assert.Equal("RoleBinding team/dev-edit → ClusterRole edit", dev.Steps[0].Via);

        // Tokens for kube-system's accounts are the controllers' power: the aggregation controller may escalate.
        var issuer = PathOf(paths, "sa:tools/issuer");
        Assert.NotNull(issuer);
        Assert.Equal(EscalationGoal.ClusterAdmin, issuer.Goal);
        Assert.StartsWith("sa:kube-system/", issuer.Steps[0].To, StringComparison.Ordinal);

        // The controllers themselves are not the input's subjects.
        Assert.DoesNotContain(paths, p => p.Subject.StartsWith("sa:kube-system/", StringComparison.Ordinal) || p.Subject == "group:system:masters");
    }

    [Fact]
    public void Groups_lead_their_members_and_service_account_groups_their_accounts()
    {
        var paths = Analyze(AdminSa + Grant("group:system:serviceaccounts:team", "[{apiGroups: [\"\"], resources: [pods], verbs: [create]}]", "RoleBinding", "team")
            + """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: team}
            """);
        Assert.NotNull(PathOf(paths, "group:system:serviceaccounts:team"));
        var web = PathOf(paths, "sa:team/web");
        Assert.NotNull(web);
        Assert.Equal("sa:team/ops", web.Steps[0].To);
        Assert.Single(PathOf(paths, "sa:team/ops")!.Steps);
    }

    [Fact]
    public void System_masters_and_impersonating_users_who_lead_somewhere()
    {
        var paths = Analyze(Grant("group:system:masters", "[]")
            + Grant("bob", "[{apiGroups: [\"\"], resources: [users], verbs: [impersonate], resourceNames: [carol]}]")
            + Grant("carol", "[{apiGroups: [\"*\"], resources: [\"*\"], verbs: [\"*\"]}]"));
        Assert.Equal("is in group system:masters, which bypasses RBAC", Assert.Single(PathOf(paths, "group:system:masters")!.Steps).Action);
        Assert.Equal(["user:carol", "cluster-admin-equivalent"], PathOf(paths, "user:bob")!.Steps.Select(s => s.To));
    }

    [Fact]
    public void Plain_rbac_write_without_bind_or_escalate_is_no_path()
    {
        var paths = Analyze(Grant("alice", "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles, clusterrolebindings], verbs: [create, update]}]"));
        Assert.Null(PathOf(paths, "user:alice"));
    }
}
