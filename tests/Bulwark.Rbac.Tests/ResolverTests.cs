using Bulwark.Kubernetes.Rbac;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>The authorizer's binding and subject semantics (DefaultRuleResolver.VisitRulesFor, appliesToUser).</summary>
public sealed class ResolverTests
{
    private const string ClusterRoleAll = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: everything}
        rules:
          - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
          - {nonResourceURLs: ["*"], verbs: ["*"]}
        """;

    private static RbacRequest Get(string resource, string ns = "", string group = "", string name = "") =>
        RbacRequest.ForResource("get", group, resource, name: name, ns: ns);

    [Fact]
    public void Role_binding_to_a_cluster_role_grants_only_namespaced_resources_in_its_namespace()
    {
        var resolver = RbacInputs.Resolver(ClusterRoleAll + """

            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: team}
            subjects: [{kind: User, name: alice}]
            roleRef: {kind: ClusterRole, name: everything, apiGroup: rbac.authorization.k8s.io}
            """);
        var alice = RbacIdentity.ForUser("alice");
        Assert.True(resolver.Authorize(alice, Get("secrets", "team")).Allowed);
        Assert.False(resolver.Authorize(alice, Get("secrets", "other")).Allowed);
        Assert.False(resolver.Authorize(alice, Get("nodes")).Allowed);
        Assert.False(resolver.Authorize(alice, RbacRequest.ForUrl("get", "/metrics")).Allowed);

        // /healthz is another matter: the bootstrap policy lets every client read it.
        Assert.Equal("allowed by ClusterRoleBinding system:discovery of ClusterRole system:discovery to group:system:authenticated",
            resolver.Authorize(alice, RbacRequest.ForUrl("get", "/healthz")).Reason);

        // The namespace object itself is requested in that namespace.
        Assert.Equal("team", RbacResolver.RequestNamespace(Get("namespaces", name: "team"), null));
        Assert.Contains(resolver.WhoCan(RbacRequest.ForResource("patch", "", "namespaces", name: "team"), null), s => s.Name == "alice");
        Assert.DoesNotContain(resolver.WhoCan(RbacRequest.ForResource("patch", "", "namespaces", name: "other"), null), s => s.Name == "alice");
        Assert.DoesNotContain(resolver.WhoCan(RbacRequest.ForResource("list", "", "namespaces"), null), s => s.Name == "alice");

        var who = InputOnly(resolver.WhoCan(Get("secrets"), "team"));
        Assert.Equal(["system:masters", "alice"], who.Select(s => s.Name));
        Assert.True(who[0].BypassesRbac);
        var via = Assert.Single(who[1].Via);
        Assert.Equal("RoleBinding team/b", via.Binding.Display);
        Assert.Equal("ClusterRole everything", via.Role.Display);
        Assert.Equal("team", via.Scope);
        Assert.Equal(["system:masters"], InputOnly(resolver.WhoCan(Get("secrets"), "other")).Select(s => s.Name));

        // The controllers of every cluster that read Secrets everywhere are allowed too.
        Assert.Contains(resolver.WhoCan(Get("secrets"), "other"), s => s.Name == "namespace-controller" && s.Namespace == "kube-system");
    }

    /// <summary>system:masters and the subjects of the input's own bindings (not those of the bootstrap policy).</summary>
    private static List<WhoCanSubject> InputOnly(IReadOnlyList<WhoCanSubject> who) =>
        [.. who.Where(s => s.BypassesRbac || s.Via.Any(v => !v.Binding.IsBuiltIn))];

    [Fact]
    public void Service_account_subjects_default_to_the_role_binding_namespace_and_apply_to_no_one_in_a_cluster_role_binding()
    {
        var resolver = RbacInputs.Resolver(ClusterRoleAll + """

            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: team}
            subjects: [{kind: ServiceAccount, name: app}]
            roleRef: {kind: ClusterRole, name: everything, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: c}
            subjects: [{kind: ServiceAccount, name: app}]
            roleRef: {kind: ClusterRole, name: everything, apiGroup: rbac.authorization.k8s.io}
            """);
        Assert.True(resolver.Authorize(RbacIdentity.ForServiceAccount("team", "app"), Get("pods", "team")).Allowed);
        Assert.False(resolver.Authorize(RbacIdentity.ForServiceAccount("team", "app"), Get("pods", "other")).Allowed);
        Assert.False(resolver.Authorize(RbacIdentity.ForServiceAccount("default", "app"), Get("pods", "default")).Allowed);
        Assert.Contains(resolver.Model.Warnings, w => w.Subject == "ClusterRoleBinding c" && w.Message.Contains("names no namespace", StringComparison.Ordinal));
    }

    [Fact]
    public void Service_accounts_match_by_user_name_and_by_their_groups()
    {
        var resolver = RbacInputs.Resolver(ClusterRoleAll + """

            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: by-user-name, namespace: a}
            subjects: [{kind: User, name: "system:serviceaccount:a:one"}]
            roleRef: {kind: ClusterRole, name: everything}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: by-namespace-group, namespace: b}
            subjects: [{kind: Group, name: "system:serviceaccounts:a"}]
            roleRef: {kind: ClusterRole, name: everything}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: by-all-group, namespace: c}
            subjects: [{kind: Group, name: "system:serviceaccounts"}]
            roleRef: {kind: ClusterRole, name: everything}
            """);
        var one = RbacIdentity.ForServiceAccount("a", "one");
        var two = RbacIdentity.ForServiceAccount("a", "two");
        var other = RbacIdentity.ForServiceAccount("z", "x");
        Assert.True(resolver.Authorize(one, Get("pods", "a")).Allowed);
        Assert.False(resolver.Authorize(two, Get("pods", "a")).Allowed);
        Assert.True(resolver.Authorize(two, Get("pods", "b")).Allowed);
        Assert.False(resolver.Authorize(other, Get("pods", "b")).Allowed);
        Assert.True(resolver.Authorize(other, Get("pods", "c")).Allowed);
        Assert.False(resolver.Authorize(RbacIdentity.ForUser("alice"), Get("pods", "c")).Allowed);
        Assert.Equal(RbacIdentityKind.ServiceAccount, RbacIdentity.ForUser("system:serviceaccount:a:one").Kind);
    }

    [Fact]
    public void Authenticated_and_unauthenticated_groups_apply_to_whom_the_authenticator_puts_in_them()
    {
        var resolver = RbacInputs.Resolver(ClusterRoleAll + """

            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: everyone-signed-in, namespace: a}
            subjects: [{kind: Group, name: "system:authenticated"}]
            roleRef: {kind: ClusterRole, name: everything}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: anyone, namespace: b}
            subjects: [{kind: Group, name: "system:unauthenticated"}]
            roleRef: {kind: ClusterRole, name: everything}
            """);
        var alice = RbacIdentity.ForUser("alice");
        var anonymous = RbacIdentity.ForUser("system:anonymous");
        var account = RbacIdentity.ForServiceAccount("z", "app");
        Assert.True(resolver.Authorize(alice, Get("pods", "a")).Allowed);
        Assert.True(resolver.Authorize(account, Get("pods", "a")).Allowed);
        Assert.False(resolver.Authorize(anonymous, Get("pods", "a")).Allowed);
        Assert.True(resolver.Authorize(anonymous, Get("pods", "b")).Allowed);
        Assert.False(resolver.Authorize(alice, Get("pods", "b")).Allowed);
        Assert.False(resolver.Authorize(account, Get("pods", "b")).Allowed);

        // who-can lists the group itself, with the binding that grants it (besides the controllers of the
        // bootstrap policy that read pods everywhere).
        var who = InputOnly(resolver.WhoCan(Get("pods"), "b"));
        Assert.Equal(["system:masters", "system:unauthenticated"], who.Select(s => s.Name));
        Assert.Equal("RoleBinding b/anyone", Assert.Single(who[1].Via).Binding.Display);
    }

    [Fact]
    public void System_masters_bypasses_rbac()
    {
        var resolver = RbacInputs.Resolver(ClusterRoleAll);
        var decision = resolver.Authorize(RbacIdentity.ForGroup("system:masters"), Get("secrets", "x"));
        Assert.True(decision.Allowed);
        Assert.True(decision.ByPrivilegedGroup);
    }

    [Fact]
    public void Cluster_admin_is_known_without_being_defined()
    {
        var resolver = RbacInputs.Resolver("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: ops}
            subjects: [{kind: Group, name: ops}]
            roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
            """);
        var ops = RbacIdentity.ForGroup("ops");
        Assert.True(resolver.Authorize(ops, Get("nodes")).Allowed);
        Assert.True(resolver.Authorize(ops, RbacRequest.ForUrl("get", "/metrics")).Allowed);
        Assert.Empty(resolver.Model.Warnings);
    }

    [Fact]
    public void Broken_references_are_warnings_naming_the_object_and_analysis_goes_on()
    {
        var model = RbacInputs.Model("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: missing, namespace: a}
            subjects: [{kind: User, name: alice}, {kind: Robot, name: r2}]
            roleRef: {kind: Role, name: nope}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: to-role}
            subjects: [{kind: User, name: alice}]
            roleRef: {kind: Role, name: nope}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: to-view}
            subjects: [{kind: User, name: alice}]
            roleRef: {kind: ClusterRole, name: view}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r, namespace: a}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r, namespace: a}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
            """);
        var warnings = model.Warnings.Select(w => $"{w.Location.Line} {w.Subject}: {w.Message}").ToList();
        Assert.Contains(warnings, w => w.StartsWith("5 RoleBinding a/missing: refers to Role \"nope\"", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("4 RoleBinding a/missing: subject kind \"Robot\"", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("11 ClusterRoleBinding to-role: a ClusterRoleBinding can only refer to a ClusterRole", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("26 Role a/r: duplicate Role a/r (also defined at test.yaml:19:1)", StringComparison.Ordinal));

        // view is a ClusterRole of every cluster: binding it is no broken reference.
        Assert.DoesNotContain(warnings, w => w.Contains("to-view", StringComparison.Ordinal));
        Assert.Equal(4, warnings.Count);
        var role = model.FindRole(RbacRoleKind.Role, "a", "r")!;
        Assert.Equal("secrets", Assert.Single(role.Rules).Resources[0]);
        Assert.Equal(2, model.AllRoles.Count);
    }

    [Fact]
    public void Objects_without_a_namespace_are_in_default()
    {
        var resolver = RbacInputs.Resolver("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b}
            subjects: [{kind: ServiceAccount, name: app}]
            roleRef: {kind: Role, name: r}
            """);
        Assert.True(resolver.Authorize(RbacIdentity.ForServiceAccount("default", "app"), Get("pods", "default")).Allowed);
        Assert.Empty(resolver.Model.Warnings);
    }

    [Fact]
    public void Aggregation_follows_chains_ignores_written_rules_and_survives_cycles()
    {
        var model = RbacInputs.Model("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: top}
            aggregationRule:
              clusterRoleSelectors:
                - matchLabels: {tier: middle}
            rules:
              - {apiGroups: [""], resources: [nodes], verbs: [delete]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: middle, labels: {tier: middle}}
            aggregationRule:
              clusterRoleSelectors:
                - matchExpressions: [{key: tier, operator: In, values: [leaf, top]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: leaf-a, labels: {tier: leaf}}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: leaf-b, labels: {tier: leaf}}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}, {apiGroups: [""], resources: [secrets], verbs: [list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: loop, labels: {tier: top}}
            aggregationRule:
              clusterRoleSelectors: [{matchLabels: {tier: middle}}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: broken}
            aggregationRule:
              clusterRoleSelectors: [{matchExpressions: [{key: tier, operator: Near}]}]
            rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
            """);
        string Show(string name) => string.Join("; ", model.FindRole(RbacRoleKind.ClusterRole, "", name)!.Rules.Select(r => r.ToString()));
        const string union = "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\"]}; {APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"list\"]}";
        Assert.Equal(union, Show("middle"));
        Assert.Equal(union, Show("top"));
        Assert.Equal(union, Show("loop"));
        Assert.Equal("{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"get\"]}", Show("broken"));
        Assert.Contains(model.Warnings, w => w.Subject == "ClusterRole top" && w.Message.Contains("replaced by the aggregation controller", StringComparison.Ordinal));
        Assert.Contains(model.Warnings, w => w.Subject == "ClusterRole broken" && w.Message.Contains("invalid selector", StringComparison.Ordinal));
        var leaf = model.FindRole(RbacRoleKind.ClusterRole, "", "leaf-a")!;
        Assert.Equal(["loop", "middle", "top"], model.AggregatedInto(leaf).Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Permissions_of_a_subject_leave_out_what_a_role_binding_cannot_grant()
    {
        var resolver = RbacInputs.Resolver("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: mixed}
            rules:
              - {apiGroups: [""], resources: [pods, nodes], verbs: [get]}
              - {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}
              - {nonResourceURLs: ["/metrics"], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: a}
            subjects: [{kind: User, name: alice}]
            roleRef: {kind: ClusterRole, name: mixed}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: c}
            subjects: [{kind: Group, name: "system:authenticated"}]
            roleRef: {kind: ClusterRole, name: mixed}
            """);
        var permissions = resolver.PermissionsOf(RbacIdentity.ForUser("alice"));
        Assert.Equal(["", "", "", "a"], permissions.Select(p => p.Scope));
        Assert.Equal(["pods"], permissions[3].Rule.Resources);
        Assert.Empty(resolver.PermissionsOf(RbacIdentity.ForGroup("dev")));
    }
}
