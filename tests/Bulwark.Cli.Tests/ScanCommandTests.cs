using System.Text.Json;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class ScanCommandTests
{
    private const string PrivilegedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
          namespace: ops
        spec:
          containers:
            - name: shell
              image: busybox:1.36
              securityContext:
                privileged: true
        """;

    private static JsonElement Json(CliRunner.Result result) => JsonDocument.Parse(result.Out).RootElement;

    private static List<JsonElement> Findings(CliRunner.Result result) => [.. Json(result).GetProperty("findings").EnumerateArray()];

    [Fact]
    public void Scanning_the_examples_reports_the_bad_pod_and_nothing_for_the_hardened_objects()
    {
        var result = CliRunner.Run("scan", RepositoryPaths.InRepo("examples"), "--format", "json");
        Assert.Equal(ExitCodes.Findings, result.ExitCode);
        var findings = Findings(result);
        var files = findings.Select(f => Path.GetFileName(f.GetProperty("file").GetString())).ToHashSet();
        Assert.Contains("bad-pod.yaml", files);
        Assert.DoesNotContain("hardened-pod.yaml", files);
        Assert.DoesNotContain(findings, f => f.GetProperty("object").GetProperty("name").GetString() == "production");

        var slugs = findings.Where(f => f.GetProperty("file").GetString()!.EndsWith("bad-pod.yaml", StringComparison.Ordinal))
            .Select(f => f.GetProperty("slug").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "runs-as-root", "image-tag-mutable", "secret-in-environment", "privilege-escalation-allowed", "capabilities-not-dropped", "seccomp-disabled", "writable-root-filesystem" }, slugs);
    }

    [Fact]
    public void Timings_list_each_stage_and_each_cluster_rule_on_standard_error()
    {
        var result = CliRunner.Run("scan", RepositoryPaths.InRepo("examples"), "--format", "json", "--timings");
        Assert.Equal(ExitCodes.Findings, result.ExitCode);
        foreach (var stage in new[] { "parse and per-file rules", "cluster rules", "  namespace-without-network-policy", "assemble", "report (json)", "garbage collections" })
        {
            Assert.Contains("\n" + stage, "\n" + result.Error, StringComparison.Ordinal);
        }

        Json(result); // standard output is still the report alone
    }

    private const string ClusterWithUnusableParts = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: bad-cidr
          namespace: shop
        spec:
          podSelector: {}
          egress:
            - to:
                - ipBlock:
                    cidr: 10.0.0.0/33
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: web-reader
          namespace: shop
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: missing-role
        subjects:
          - kind: ServiceAccount
            name: web
            namespace: shop
        """;

    /// <summary>What the cluster analyses could not use is reported as warnings, with file and line; the exit code does not change.</summary>
    [Fact]
    public void Unusable_policies_and_bindings_are_reported_as_warnings()
    {
        using var tree = new TempTree();
        var file = tree.Write("cluster.yaml", ClusterWithUnusableParts);

        var json = CliRunner.Run("scan", file, "--format", "json");
        Assert.NotEqual(ExitCodes.Error, json.ExitCode);
        var root = Json(json);
        var warnings = root.GetProperty("warnings").EnumerateArray().ToList();
        var cidr = Assert.Single(warnings, w => w.GetProperty("message").GetString()!.Contains("is not a valid CIDR", StringComparison.Ordinal));
        Assert.Equal(file, cidr.GetProperty("file").GetString());
        Assert.Equal(30, cidr.GetProperty("line").GetInt32());
        Assert.Equal(19, cidr.GetProperty("column").GetInt32());
        Assert.Equal("NetworkPolicy shop/bad-cidr", cidr.GetProperty("subject").GetString());
        var binding = Assert.Single(warnings, w => w.GetProperty("message").GetString()!.Contains("missing-role", StringComparison.Ordinal));
        Assert.Equal(37, binding.GetProperty("line").GetInt32());
        Assert.Equal(warnings.Count, root.GetProperty("summary").GetProperty("warnings").GetInt32());

        // The invalid policy is left out: the namespace counts as having none.
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("slug").GetString() == "namespace-without-network-policy");

        var table = CliRunner.Run("scan", file);
        Assert.Contains("Warnings: parts of the inputs left out of the analysis or read with a caveat", table.Out, StringComparison.Ordinal);
        Assert.Contains($"{file}:30:19: NetworkPolicy shop/bad-cidr: ", table.Out, StringComparison.Ordinal);
        Assert.Contains($"; {warnings.Count} warning", table.Out, StringComparison.Ordinal);

        // Without the rules that need them, the analyses do not run and say nothing.
        var only = CliRunner.Run("scan", file, "--format", "json", "--rule", "privileged-container");
        Assert.Equal(0, Json(only).GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public void Json_report_has_the_documented_shape()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", PrivilegedPod);
        var result = CliRunner.Run("scan", file, "--format", "json", "--rule", "privileged-container");
        var root = Json(result);
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        var finding = Assert.Single(root.GetProperty("findings").EnumerateArray());
        Assert.Equal("BW1001", finding.GetProperty("ruleId").GetString());
        Assert.Equal("privileged-container", finding.GetProperty("slug").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.False(string.IsNullOrEmpty(finding.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(finding.GetProperty("remediation").GetString()));
        Assert.Equal(file, finding.GetProperty("file").GetString());
        Assert.Equal(11, finding.GetProperty("line").GetInt32());
        Assert.Equal(9, finding.GetProperty("column").GetInt32());
        Assert.Equal(0, finding.GetProperty("document").GetInt32());
        var obj = finding.GetProperty("object");
        Assert.Equal("v1", obj.GetProperty("apiVersion").GetString());
        Assert.Equal("Pod", obj.GetProperty("kind").GetString());
        Assert.Equal("ops", obj.GetProperty("namespace").GetString());
        Assert.Equal("debug", obj.GetProperty("name").GetString());
        Assert.Equal("shell", finding.GetProperty("container").GetString());
        Assert.Empty(root.GetProperty("errors").EnumerateArray());
        var summary = root.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("findings").GetInt32());
        Assert.Equal(1, summary.GetProperty("bySeverity").GetProperty("critical").GetInt32());
    }

    [Fact]
    public void Exit_code_follows_fail_on()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", PrivilegedPod);
        Assert.Equal(ExitCodes.Findings, CliRunner.Run("scan", file).ExitCode);
        Assert.Equal(ExitCodes.Findings, CliRunner.Run("scan", file, "--fail-on", "critical").ExitCode);
        Assert.Equal(ExitCodes.Success, CliRunner.Run("scan", file, "--rule", "host-port").ExitCode);

        var hardened = RepositoryPaths.InRepo("examples", "kubernetes", "hardened-pod.yaml");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("scan", hardened, "--fail-on", "low").ExitCode);
    }

    [Theory]
    [InlineData("scan", "--format", "xml", "x.yaml")]
    [InlineData("scan", "--fail-on", "severe", "x.yaml")]
    [InlineData("scan", "--pss", "strict", "x.yaml")]
    [InlineData("scan")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_with_2(params string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("bulwark", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_input_exits_2_after_scanning_the_rest()
    {
        using var tree = new TempTree();
        tree.Write("a-good.yaml", PrivilegedPod);
        tree.Write("b-broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: [indent\n");
        var result = CliRunner.Run("scan", tree.Root, "--format", "json");
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        var root = Json(result);
        Assert.Contains(Findings(result), f => f.GetProperty("slug").GetString() == "privileged-container");
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.EndsWith("b-broken.yaml", error.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.True(error.GetProperty("line").GetInt32() >= 4);
        Assert.Contains("b-broken.yaml", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_dockerfiles_and_compose_files_are_errors_with_file_and_line_and_the_rest_is_scanned()
    {
        using var tree = new TempTree();
        tree.Write("good/pod.yaml", PrivilegedPod);
        tree.Write("binary/Dockerfile", "FROM alpine:3.20\n\0\u0001\u0002ELF\n");
        tree.Write("heredoc/Dockerfile", "FROM alpine:3.20\nRUN <<EOF\necho never closed\n");
        tree.Write("unknown/Dockerfile", "FROM alpine:3.20\nFETCH https://example.com/x /x\n");
        tree.Write("longline/Dockerfile", "FROM alpine:3.20\nRUN echo " + new string('a', 10 * 1024 * 1024) + "\n");
        tree.Write("types/compose.yaml", "services:\n  web:\n    image: nginx:1.27\n    privileged: [yes]\n  db:\n    image: postgres:16\n    privileged: true\n");
        tree.Write("required/compose.yaml", "services:\n  web:\n    image: ${REGISTRY:?set REGISTRY}/web:1.0\n  cache:\n    image: redis:7\n    privileged: true\n");
        tree.Write("yaml/compose.yaml", "services:\n  web:\n    image: nginx:1.27\n     ports: [80\n");

        var result = CliRunner.Run("scan", tree.Root, "--format", "json");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        var errors = Json(result).GetProperty("errors").EnumerateArray()
            .Select(e => (File: Path.GetRelativePath(tree.Root, e.GetProperty("file").GetString()!), Line: e.GetProperty("line").GetInt32(), Message: e.GetProperty("message").GetString()!))
            .ToList();
        foreach (var (file, line) in new[]
        {
            ("binary/Dockerfile", 2), ("heredoc/Dockerfile", 2), ("unknown/Dockerfile", 2), ("longline/Dockerfile", 2),
            ("types/compose.yaml", 4), ("required/compose.yaml", 3), ("yaml/compose.yaml", 4),
        })
        {
            Assert.Contains(errors, e => e.File == file && e.Line == line && e.Message.Length > 0);
        }

        // Everything that could be read was scanned: the pod, and the valid services next to the broken ones.
        var privileged = Findings(result).Where(f => f.GetProperty("slug").GetString() == "privileged-container")
            .Select(f => Path.GetRelativePath(tree.Root, f.GetProperty("file").GetString()!) + ":" + f.GetProperty("object").GetProperty("name").GetString())
            .ToHashSet();
        Assert.Superset(new HashSet<string> { "good/pod.yaml:debug", "types/compose.yaml:db", "required/compose.yaml:cache" }, privileged);
    }

    [Fact]
    public void Missing_path_is_an_input_error()
    {
        var result = CliRunner.Run("scan", "/nonexistent/bulwark/path.yaml");
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("no such file or directory", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_standard_input()
    {
        var result = CliRunner.RunWithInput(PrivilegedPod, "scan", "-", "--format", "json", "--rule", "privileged-container");
        var finding = Assert.Single(Findings(result));
        Assert.Equal("<stdin>", finding.GetProperty("file").GetString());
    }

    [Fact]
    public void Reads_kubectl_json_lists_helm_output_and_custom_workload_kinds()
    {
        using var tree = new TempTree();
        tree.Write("kubectl.json", """
            {
              "apiVersion": "v1",
              "kind": "List",
              "items": [
                {
                  "apiVersion": "apps/v1",
                  "kind": "Deployment",
                  "metadata": {"name": "web", "namespace": "prod"},
                  "spec": {"template": {"spec": {"containers": [
                    {"name": "web", "image": "nginx:1.27", "securityContext": {"privileged": true}}
                  ]}}}
                }
              ]
            }
            """);
        tree.Write("helm.yaml", """
            ---
            # Source: chart/templates/job.yaml
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nightly
            spec:
              schedule: "0 0 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                        - name: job
                          image: job:1.0.0
                          securityContext:
                            privileged: true
            ---
            # Source: chart/templates/rollout.yaml
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata:
              name: canary
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: app:1.0.0
                      securityContext:
                        privileged: true
            """);
        var result = CliRunner.Run("scan", tree.Root, "--format", "json", "--rule", "privileged-container");
        var findings = Findings(result);
        Assert.Equal(["CronJob", "Deployment", "Rollout"], findings.Select(f => f.GetProperty("object").GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        var json = findings.Single(f => f.GetProperty("object").GetProperty("kind").GetString() == "Deployment");
        Assert.Equal(10, json.GetProperty("line").GetInt32());
        var rollout = findings.Single(f => f.GetProperty("object").GetProperty("kind").GetString() == "Rollout");
        Assert.Equal(1, rollout.GetProperty("document").GetInt32());
    }

    [Fact]
    public void Non_kubernetes_yaml_is_skipped_and_explained_with_verbose()
    {
        using var tree = new TempTree();
        tree.Write("values.yaml", "replicaCount: 2\nimage:\n  tag: latest\n");
        var result = CliRunner.Run("scan", tree.Root, "--verbose", "--allow-empty");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("not a Kubernetes object", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Folders_skip_git_bin_obj_node_modules_and_excluded_globs()
    {
        using var tree = new TempTree();
        tree.Write("app/pod.yaml", PrivilegedPod);
        tree.Write("node_modules/x/pod.yaml", PrivilegedPod);
        tree.Write(".git/pod.yaml", PrivilegedPod);
        tree.Write("obj/pod.yaml", PrivilegedPod);
        tree.Write("testdata/pod.yaml", PrivilegedPod);
        tree.Write("app/notes.txt", PrivilegedPod);
        var result = CliRunner.Run("scan", tree.Root, "--format", "json", "--rule", "privileged-container", "--exclude", "testdata");
        var file = Assert.Single(Findings(result)).GetProperty("file").GetString();
        Assert.EndsWith(Path.Combine("app", "pod.yaml"), file, StringComparison.Ordinal);
    }
}
