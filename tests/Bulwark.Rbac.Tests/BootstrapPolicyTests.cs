using Bulwark.Kubernetes.Rbac;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>The roles and bindings every cluster has, as the model knows them, and inputs that redefine them.</summary>
public sealed class BootstrapPolicyTests
{
    private static RbacResolver Bound(string role, string ns = "shop", string user = "dev") => RbacInputs.Resolver($$"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: {{user}}-{{role}}, namespace: {{ns}}}
        subjects: [{kind: User, name: {{user}}}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {{role}}}
        """);

    private static bool Can(RbacResolver resolver, string verb, string group, string resource, string ns = "shop", string subresource = "", string user = "dev") =>
        resolver.Authorize(RbacIdentity.ForUser(user), RbacRequest.ForResource(verb, group, resource, subresource, ns: ns)).Allowed;

    [Fact]
    public void View_reads_workloads_but_not_secrets_nor_anything_it_could_escalate_with()
    {
        var view = Bound("view");
        Assert.True(Can(view, "list", "apps", "deployments"));
        Assert.True(Can(view, "get", string.Empty, "pods", subresource: "log"));
        Assert.False(Can(view, "get", string.Empty, "secrets"));
        Assert.False(Can(view, "list", string.Empty, "secrets"));
        Assert.False(Can(view, "create", string.Empty, "pods", subresource: "exec"));
        Assert.False(Can(view, "list", "rbac.authorization.k8s.io", "roles"));
        Assert.Empty(view.Model.Warnings);
    }

    [Fact]
    public void Edit_reads_and_writes_secrets_and_workloads_but_not_rbac()
    {
        var edit = Bound("edit");
        Assert.True(Can(edit, "get", string.Empty, "secrets"));
        Assert.True(Can(edit, "create", string.Empty, "secrets"));
        Assert.True(Can(edit, "create", "apps", "deployments"));
        Assert.True(Can(edit, "create", string.Empty, "serviceaccounts", subresource: "token"));
        Assert.True(Can(edit, "list", "apps", "deployments"), "edit aggregates view");
        Assert.False(Can(edit, "create", "rbac.authorization.k8s.io", "rolebindings"));
        Assert.False(Can(edit, "get", string.Empty, "secrets", ns: "other"));

        // Since 1.22 (CVE-2021-25740) edit no longer writes Endpoints.
        Assert.False(Can(edit, "create", string.Empty, "endpoints"));
    }

    [Fact]
    public void Admin_grants_rbac_in_its_namespace_only()
    {
        var admin = Bound("admin");
        Assert.True(Can(admin, "create", "rbac.authorization.k8s.io", "rolebindings"));
        Assert.True(Can(admin, "create", "apps", "deployments"), "admin aggregates edit");
        Assert.True(Can(admin, "watch", "batch", "jobs"), "admin aggregates edit, which aggregates view");
        Assert.False(Can(admin, "create", "rbac.authorization.k8s.io", "rolebindings", ns: "other"));
        Assert.False(Can(admin, "list", string.Empty, "nodes", ns: string.Empty));
    }

    [Fact]
    public void An_input_role_labelled_to_aggregate_into_view_is_granted_by_every_view_binding()
    {
        var resolver = RbacInputs.Resolver("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: widgets-view
              labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
            rules: [{apiGroups: [example.com], resources: [widgets], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: dev-admin, namespace: shop}
            subjects: [{kind: User, name: dev}]
            roleRef: {kind: ClusterRole, name: admin}
            """);
        Assert.True(Can(resolver, "list", "example.com", "widgets"), "view → edit → admin");
        var widgets = resolver.Model.FindRole(RbacRoleKind.ClusterRole, string.Empty, "widgets-view")!;
        Assert.Equal(["admin", "edit", "view"], resolver.Model.AggregatedInto(widgets).Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Kube_system_roles_resolve_and_bootstrap_bindings_grant_the_control_plane()
    {
        var resolver = RbacInputs.Resolver("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: metrics-auth-reader, namespace: kube-system}
            subjects: [{kind: ServiceAccount, name: metrics, namespace: monitoring}]
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: metrics-delegator}
            subjects: [{kind: ServiceAccount, name: metrics, namespace: monitoring}]
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:auth-delegator"}
            """);
        Assert.Empty(resolver.Model.Warnings);
        var metrics = RbacIdentity.ForServiceAccount("monitoring", "metrics");
        Assert.True(resolver.Authorize(metrics, RbacRequest.ForResource("get", string.Empty, "configmaps", name: "extension-apiserver-authentication", ns: "kube-system")).Allowed);
        Assert.False(resolver.Authorize(metrics, RbacRequest.ForResource("get", string.Empty, "configmaps", name: "other", ns: "kube-system")).Allowed);
        Assert.True(resolver.Authorize(metrics, RbacRequest.ForResource("create", "authorization.k8s.io", "subjectaccessreviews")).Allowed);

        // What the policy's own bindings grant: the scheduler binds pods, the node group has no binding (the Node authorizer serves it).
        Assert.True(resolver.Authorize(RbacIdentity.ForUser("system:kube-scheduler"), RbacRequest.ForResource("create", string.Empty, "pods", "binding", "p", "shop")).Allowed);
        Assert.False(resolver.Authorize(RbacIdentity.ForUser("system:node:n1", "system:nodes"), RbacRequest.ForResource("get", string.Empty, "secrets", name: "s", ns: "shop")).Allowed);

        // What every client gets from the policy (discovery, self-reviews) is not counted as the account's own permissions.
        Assert.Equal(["tokenreviews", "subjectaccessreviews", "configmaps"], resolver.PermissionsOf(metrics).SelectMany(p => p.Rule.Resources));
    }

    [Fact]
    public void A_binding_to_a_role_neither_in_the_input_nor_in_the_policy_is_still_a_warning()
    {
        var model = RbacInputs.Model("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: b}
            subjects: [{kind: User, name: dev}]
            roleRef: {kind: ClusterRole, name: "system:openshift:scc:privileged"}
            """);
        Assert.Contains("neither in the input nor in Kubernetes' bootstrap policy", Assert.Single(model.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_role_with_a_bootstrap_name_gets_the_rules_the_reconciler_adds_unless_it_opts_out()
    {
        const string Role = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: "system:kube-dns"
              annotations: {rbac.authorization.kubernetes.io/autoupdate: "AUTO"}
            rules: [{apiGroups: [""], resources: [pods], verbs: [list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: dns}
            subjects: [{kind: User, name: dev}]
            roleRef: {kind: ClusterRole, name: "system:kube-dns"}
            """;
        var reconciled = RbacInputs.Resolver(Role.Replace("AUTO", "true", StringComparison.Ordinal));
        Assert.True(Can(reconciled, "list", string.Empty, "pods"));
        Assert.True(Can(reconciled, "list", string.Empty, "services"), "the reconciler adds the bootstrap rules");

        var kept = RbacInputs.Resolver(Role.Replace("AUTO", "false", StringComparison.Ordinal));
        Assert.True(Can(kept, "list", string.Empty, "pods"));
        Assert.False(Can(kept, "list", string.Empty, "services"), "autoupdate: false keeps the role as written");
    }

    [Fact]
    public void The_policy_file_is_well_formed()
    {
        Assert.Equal("1.34", BootstrapPolicy.KubernetesVersion);
        var names = BootstrapPolicy.Roles.Select(r => (r.Kind, r.Namespace, r.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains((RbacRoleKind.Role, "kube-system", "system::leader-locking-kube-scheduler"), names);
        Assert.Contains((RbacRoleKind.Role, "kube-public", "system:controller:bootstrap-signer"), names);

        // Every binding refers to a role of the policy, and every controller role is bound to its kube-system account.
        foreach (var binding in BootstrapPolicy.Bindings)
        {
            Assert.Contains((binding.RoleKind, binding.RoleKind == RbacRoleKind.Role ? binding.Namespace : string.Empty, binding.RoleName), names);
        }

        foreach (var role in BootstrapPolicy.Roles.Where(r => r.Kind == RbacRoleKind.ClusterRole && r.Name.StartsWith("system:controller:", StringComparison.Ordinal)))
        {
            var binding = Assert.Single(BootstrapPolicy.Bindings, b => b.RoleName == role.Name);
            Assert.Equal(new RbacSubject(RbacSubject.ServiceAccount, role.Name["system:controller:".Length..], "kube-system", null), Assert.Single(binding.Subjects));
        }

        Assert.Throws<InvalidDataException>(() => BootstrapPolicy.Parse("clusterrole x\n  get core\n"));
        Assert.Throws<InvalidDataException>(() => BootstrapPolicy.Parse("clusterrole x => robot:r2\n"));
    }
}
