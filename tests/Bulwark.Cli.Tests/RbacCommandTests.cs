using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class RbacCommandTests : IDisposable
{
    private const string Manifests = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: deployer, namespace: team}
        rules:
          - {apiGroups: [""], resources: [pods], verbs: [create, get]}
          - {apiGroups: [""], resources: [pods/exec], verbs: [create]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: dev, namespace: team}
        subjects: [{kind: User, name: alice}, {kind: Group, name: devs}, {kind: Robot, name: r2}]
        roleRef: {kind: Role, name: deployer, apiGroup: rbac.authorization.k8s.io}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: builder, namespace: team}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: metrics-and-secrets}
        rules:
          - {apiGroups: [""], resources: [secrets], verbs: [get, list]}
          - {nonResourceURLs: ["/metrics*"], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: builder-secrets}
        subjects: [{kind: ServiceAccount, name: builder, namespace: team}]
        roleRef: {kind: ClusterRole, name: metrics-and-secrets, apiGroup: rbac.authorization.k8s.io}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: broken, namespace: team}
        subjects: [{kind: User, name: bob}]
        roleRef: {kind: Role, name: nope, apiGroup: rbac.authorization.k8s.io}
        """;

    private readonly TempTree _tree = new();
    private readonly string _file;

    public RbacCommandTests() => _file = _tree.Write("rbac.yaml", Manifests);

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Who_can_lists_subjects_with_binding_and_role()
    {
        var result = CliRunner.Run("rbac", "who-can", "create", "po", _file);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["KIND", "NAME", "NAMESPACE", "VIA"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.StartsWith("Group", StringComparison.Ordinal) && l.Contains("system:masters", StringComparison.Ordinal) && l.EndsWith("(bypasses RBAC)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("User", StringComparison.Ordinal) && l.Contains("alice", StringComparison.Ordinal) && l.EndsWith("RoleBinding team/dev → Role team/deployer", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("devs", StringComparison.Ordinal));

        // The rest are the controllers every cluster has, through the bootstrap policy's bindings.
        Assert.Contains(lines, l => l.StartsWith("ServiceAccount", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(l, "job-controller +kube-system")
            && l.EndsWith("ClusterRoleBinding system:controller:job-controller → ClusterRole system:controller:job-controller", StringComparison.Ordinal));
        Assert.All(lines.Skip(1).Where(l => !l.Contains("system:masters", StringComparison.Ordinal) && !l.Contains("team/dev", StringComparison.Ordinal)),
            l => Assert.Contains("→ ClusterRole system:controller:", l, StringComparison.Ordinal));

        // Bad input: warnings naming the object, on standard error, and the answer still comes.
        Assert.Contains("RoleBinding team/broken: refers to Role \"nope\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("RoleBinding team/dev: subject kind \"Robot\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Who_can_json_has_the_documented_shape_and_respects_namespace_and_subresource()
    {
        var result = CliRunner.Run("rbac", "who-can", "create", "pods/exec", "-n", "other", _file, "--format", "json");
        var subjects = JsonDocument.Parse(result.Out).RootElement.GetProperty("subjects").EnumerateArray().ToList();
        Assert.Equal(["system:masters"], subjects.Select(s => s.GetProperty("name").GetString()));

        result = CliRunner.Run("rbac", "who-can", "get", "secrets", _file, "-f", "json", "-n", "team");
        subjects = [.. JsonDocument.Parse(result.Out).RootElement.GetProperty("subjects").EnumerateArray()];
        var builder = Assert.Single(subjects, s => s.GetProperty("kind").GetString() == "ServiceAccount" && s.GetProperty("namespace").GetString() == "team");
        Assert.Equal("builder", builder.GetProperty("name").GetString());
        Assert.Equal("team", builder.GetProperty("namespace").GetString());
        var via = Assert.Single(builder.GetProperty("via").EnumerateArray());
        Assert.Equal("ClusterRoleBinding builder-secrets", via.GetProperty("binding").GetString());
        Assert.Equal("ClusterRole metrics-and-secrets", via.GetProperty("role").GetString());
    }

    [Fact]
    public void Who_can_a_non_resource_url_and_a_named_object()
    {
        var result = CliRunner.Run("rbac", "who-can", "get", "--url", "/metrics/cadvisor", _file);
        Assert.Contains("builder", result.Out, StringComparison.Ordinal);
        result = CliRunner.Run("rbac", "who-can", "get", "--url", "/healthz", _file);
        Assert.DoesNotContain("builder", result.Out, StringComparison.Ordinal);
        result = CliRunner.Run("rbac", "who-can", "get", "pods", "--name", "web", "-n", "team", _file);
        Assert.Contains("alice", result.Out, StringComparison.Ordinal);
        result = CliRunner.Run("rbac", "who-can", "get", _file);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
    }

    [Fact]
    public void Can_lists_effective_permissions_per_scope()
    {
        var result = CliRunner.Run("rbac", "can", "user:alice", _file);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains(result.Out.Split('\n'), l => l.StartsWith("team", StringComparison.Ordinal) && l.Contains("create,get", StringComparison.Ordinal) && l.Contains("pods", StringComparison.Ordinal));

        result = CliRunner.Run("rbac", "can", "sa:team/builder", _file, "--format", "json");
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("sa:team/builder", root.GetProperty("subject").GetString());
        var permissions = root.GetProperty("permissions").EnumerateArray().ToList();
        Assert.Equal(2, permissions.Count);
        Assert.All(permissions, p => Assert.Equal(string.Empty, p.GetProperty("namespace").GetString()));

        result = CliRunner.Run("rbac", "can", "robot:r2", _file);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("expected user:NAME, group:NAME, sa:NAMESPACE/NAME or system:serviceaccount:NAMESPACE:NAME", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_show_each_step_to_the_goal_in_every_format()
    {
        var result = CliRunner.Run("rbac", "paths", _file);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("user:alice ⇒ secrets of every namespace (2 steps)", result.Out, StringComparison.Ordinal);
        Assert.Contains("1. user:alice can create pods in namespace team, then runs a pod as the service account [RoleBinding team/dev → Role team/deployer] → sa:team/builder", result.Out, StringComparison.Ordinal);
        Assert.Contains("2. sa:team/builder can list Secrets in every namespace [ClusterRoleBinding builder-secrets → ClusterRole metrics-and-secrets] → secrets of every namespace", result.Out, StringComparison.Ordinal);

        var json = JsonDocument.Parse(CliRunner.Run("rbac", "paths", _file, "--format", "json").Out).RootElement;
        var alice = json.GetProperty("paths").EnumerateArray().Single(p => p.GetProperty("subject").GetString() == "user:alice");
        Assert.Equal("cluster-secrets", alice.GetProperty("goal").GetString());
        Assert.Equal(["sa:team/builder", "secrets of every namespace"], alice.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("to").GetString()));

        var dot = CliRunner.Run("rbac", "paths", _file, "--format", "dot").Out;
        Assert.StartsWith("digraph escalation {", dot, StringComparison.Ordinal);
        Assert.Contains("\"user:alice\" -> \"sa:team/builder\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_list_every_goal_of_a_subject_most_severe_first()
    {
        var file = _tree.Write("minter.yaml", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: minter}
            rules:
              - {apiGroups: [""], resources: [secrets], verbs: [list]}
              - {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create], resourceNames: [ops]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: minter}
            subjects: [{kind: ServiceAccount, name: minter, namespace: ctl}]
            roleRef: {kind: ClusterRole, name: minter, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: ops-admin}
            subjects: [{kind: ServiceAccount, name: ops, namespace: team}]
            roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
            """);
        var result = CliRunner.Run("rbac", "paths", file);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Empty(result.Error);
        var headers = result.Out.Split('\n').Where(l => l.Contains(" ⇒ ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "sa:team/ops ⇒ cluster-admin-equivalent (1 step)",
                "sa:ctl/minter ⇒ cluster-admin-equivalent (2 steps)",
                "sa:ctl/minter ⇒ secrets of every namespace (1 step)",
            ],
            headers);
        Assert.Contains("1. sa:ctl/minter can create serviceaccounts/token in every namespace for ops, then requests a token for the service account [ClusterRoleBinding minter → ClusterRole minter] → sa:team/ops", result.Out, StringComparison.Ordinal);

        var json = JsonDocument.Parse(CliRunner.Run("rbac", "paths", file, "--format", "json").Out).RootElement;
        Assert.Equal(["cluster-admin", "cluster-secrets"], json.GetProperty("paths").EnumerateArray()
            .Where(p => p.GetProperty("subject").GetString() == "sa:ctl/minter").Select(p => p.GetProperty("goal").GetString()));
    }
}
