using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>Every input a real tool accepts is read as what it is, by name or by content, or said to be skipped.</summary>
public sealed class InputRecognitionTests
{
    private const string Dockerfile = "FROM alpine:3.20\nRUN chmod 777 /srv\n";

    private static JsonElement Report(CliRunner.Result result) => JsonDocument.Parse(result.Out).RootElement;

    private static List<(string File, string Slug)> Findings(CliRunner.Result result) =>
        [.. Report(result).GetProperty("findings").EnumerateArray()
            .Select(f => (Path.GetFileName(f.GetProperty("file").GetString()!), f.GetProperty("slug").GetString()!))];

    private static List<string> Warnings(CliRunner.Result result) =>
        [.. Report(result).GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("message").GetString()!)];

    [Fact]
    public void A_folder_scan_reads_dockerfiles_by_every_common_name()
    {
        using var tree = new TempTree();
        string[] names = ["Dockerfile-alpine", "Dockerfile_dev", "prod.Dockerfile", "build.dockerfile", "docker/Containerfile.rootless", "Dockerfile1.alpine", "dockerfile_1", "app-Dockerfile"];
        foreach (var name in names)
        {
            tree.Write(name, Dockerfile);
        }

        var findings = Findings(CliRunner.Run("scan", tree.Root, "--format", "json", "--rule", "world-writable-permissions"));

        Assert.Equal(names.Select(Path.GetFileName).Order(StringComparer.Ordinal), findings.Select(f => f.File).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Files_about_dockerfiles_are_not_read_as_dockerfiles()
    {
        using var tree = new TempTree();
        tree.Write("Dockerfile.dockerignore", "node_modules\n*.log\n");
        tree.Write("Dockerfile.md", "FROM here on, the image is built in two stages.\n");
        tree.Write("dockerfile_test.go", "package docker\n");

        var result = CliRunner.Run("scan", tree.Root, "--format", "json", "--allow-empty");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, Report(result).GetProperty("summary").GetProperty("files").GetInt32());
    }

    [Fact]
    public void A_file_named_like_a_dockerfile_that_holds_no_instruction_is_skipped_saying_why()
    {
        using var tree = new TempTree();
        tree.Write("Dockerfile.vars", "BASE_IMAGE=alpine\nVERSION=3.20\n");

        var result = CliRunner.Run("scan", tree.Root, "--verbose", "--allow-empty");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Dockerfile.vars:1 (document 0): named like a Dockerfile, but its content is not one, so it was not read", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_named_explicitly_is_a_dockerfile_by_its_content_and_so_is_standard_input()
    {
        using var tree = new TempTree();
        var odd = tree.Write("build/app.docker", "# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\nFROM $BASE\nRUN chmod 777 /srv\n");

        Assert.Equal([("app.docker", "world-writable-permissions")], Findings(CliRunner.Run("scan", odd, "--format", "json", "--rule", "world-writable-permissions")));
        Assert.Equal([("<stdin>", "world-writable-permissions")], Findings(CliRunner.RunWithInput(Dockerfile, "scan", "-", "--format", "json", "--rule", "world-writable-permissions")));
    }

    [Fact]
    public void Input_type_forces_what_recognition_would_get_wrong()
    {
        // A Dockerfile fragment without FROM is not recognised by content; forced, it is read (and BuildKit's error shown).
        var fragment = CliRunner.RunWithInput("RUN chmod 777 /srv\n", "scan", "-", "--input-type", "dockerfile");
        Assert.Equal(2, fragment.ExitCode);
        Assert.Contains("<stdin>", fragment.Out, StringComparison.Ordinal);

        // A Kubernetes document forced to be docker inspect output is an error naming it, not a silent pass.
        var pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        var inspect = CliRunner.RunWithInput(pod, "scan", "-", "--input-type", "inspect");
        Assert.Equal(2, inspect.ExitCode);
        Assert.Contains("<stdin>:1:1: document 1 is not inspect input", inspect.Out, StringComparison.Ordinal);

        var unknown = CliRunner.Run("scan", "-", "--input-type", "helm");
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public void Compose_format_version_1_is_analysed_with_the_same_rules_and_said_to_be_obsolete()
    {
        using var tree = new TempTree();
        tree.Write("legacy/fig.yml", """
            web:
              image: portainer/portainer:1.24.2
              privileged: true
              net: host
              volumes:
                - /var/run/docker.sock:/var/run/docker.sock
            redis:
              image: redis:7.2
            """);
        // Not a Compose name: recognised by its shape.
        tree.Write("legacy/stack.yml", """
            agent:
              image: agent:2.1
              volumes:
                - /var/run:/host/var/run
            """);

        var result = CliRunner.Run("scan", tree.PathOf("legacy"), "--format", "json");
        var findings = Findings(result);

        Assert.Contains(("fig.yml", "privileged-container"), findings);
        Assert.Contains(("fig.yml", "container-runtime-socket-mount"), findings);
        Assert.Contains(("fig.yml", "host-namespace-shared"), findings);
        Assert.Contains(("stack.yml", "container-runtime-socket-mount"), findings);
        var warnings = Warnings(result);
        Assert.Equal(2, warnings.Count(w => w.StartsWith("Compose file format version 1", StringComparison.Ordinal)));
    }

    [Fact]
    public void Objects_without_a_namespace_land_in_the_one_given_with_n_and_cluster_scoped_ones_stay_without()
    {
        using var tree = new TempTree();
        var manifest = tree.Write("install.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: web:1.0
                    securityContext: {privileged: true}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: reader
            rules:
            - apiGroups: [""]
              resources: ["secrets"]
              verbs: ["get"]
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt
            spec: {}
            """);

        var namespaces = Report(CliRunner.Run("scan", manifest, "-n", "shop", "--format", "json", "--severity", "info")).GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("object").GetProperty("kind").GetString(), f.GetProperty("object").GetProperty("namespace").GetString()))
            .Distinct()
            .ToList();

        Assert.Contains(("Deployment", "shop"), namespaces);
        Assert.Contains(("ClusterRole", (string?)null), namespaces);
        Assert.Contains("Deployment shop/web", CliRunner.Run("pss", "baseline", manifest, "-n", "shop").Out, StringComparison.Ordinal);

        var badName = CliRunner.Run("scan", manifest, "-n", "Shop_1");
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("is not a namespace name", badName.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bindings_to_accounts_the_input_leaves_without_a_namespace_are_a_warning_and_n_fixes_them()
    {
        using var tree = new TempTree();
        var manifest = tree.Write("install.yaml", """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: controller
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: controller
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: cluster-admin
            subjects:
            - kind: ServiceAccount
              name: controller
              namespace: tools
            """);

        var without = CliRunner.Run("scan", manifest, "--format", "json");
        var warning = Assert.Single(Warnings(without), w => w.Contains("namespace \"tools\"", StringComparison.Ordinal));
        Assert.Contains("scan with -n tools", warning, StringComparison.Ordinal);

        Assert.DoesNotContain(Warnings(CliRunner.Run("scan", manifest, "--format", "json", "-n", "tools")), w => w.Contains("namespace \"tools\"", StringComparison.Ordinal));
        Assert.Contains("scan with -n tools", CliRunner.Run("rbac", "paths", manifest).Error, StringComparison.Ordinal);
        Assert.DoesNotContain("scan with -n tools", CliRunner.Run("rbac", "paths", manifest, "-n", "tools").Error, StringComparison.Ordinal);
        Assert.DoesNotContain("scan with -n tools", CliRunner.Run("rbac", "can", "sa:tools/controller", manifest, "-n", "tools").Error, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("netpol", "list", manifest, "-n", "tools").ExitCode);
    }
}
