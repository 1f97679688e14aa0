using System.Text.Json;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>
/// Everyday mistakes that would otherwise give a green build: each must fail the run (exit 2) or say so, never
/// pass as "no findings".
/// </summary>
public sealed class NoSilentPassTests
{
    private const string PrivilegedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
        spec:
          containers:
            - name: shell
              image: busybox:1.36
              securityContext:
                privileged: true
        """;

    private static List<string?> Slugs(CliRunner.Result result) =>
        [.. JsonDocument.Parse(result.Out).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("slug").GetString())];

    [Fact]
    public void An_unknown_rule_name_is_a_usage_error_with_the_closest_name()
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod);

        var result = CliRunner.Run("scan", pod, "--rule", "privileged");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("--rule: unknown rule \"privileged\" (did you mean privileged-container?)", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains("unknown rule \"zzzz\"; `bulwark rules list` shows every rule", CliRunner.Run("scan", pod, "--rule", "zzzz").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_lists_take_commas_and_repetition_alike()
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod);

        var commas = CliRunner.Run("scan", pod, "--format", "json", "--rule", "privileged-container,BW1014");
        var repeated = CliRunner.Run("scan", pod, "--format", "json", "--rule", "privileged-container", "--rule", "BW1014");

        Assert.Equal(["privileged-container"], Slugs(commas).Distinct());
        Assert.Equal(Slugs(commas), Slugs(repeated));
    }

    [Fact]
    public void A_severity_list_shows_exactly_those_severities_and_one_name_is_a_minimum()
    {
        var examples = Bulwark.TestSupport.RepositoryPaths.InRepo("examples");
        static List<string?> Severities(CliRunner.Result r) =>
            [.. JsonDocument.Parse(r.Out).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("severity").GetString()).Distinct().Order()];

        Assert.Equal(["critical", "high"], Severities(CliRunner.Run("scan", examples, "--format", "json", "--severity", "HIGH,CRITICAL")));
        Assert.Equal(["critical", "high"], Severities(CliRunner.Run("scan", examples, "--format", "json", "--severity", "high")));
        Assert.Equal(["low", "medium"], Severities(CliRunner.Run("scan", examples, "--format", "json", "--severity", "low", "--severity", "medium")));
        var bad = CliRunner.Run("scan", examples, "--severity", "hihg");
        Assert.Equal(ExitCodes.Error, bad.ExitCode);
        Assert.Contains("unknown severity \"hihg\"", bad.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("disable", "rules:\n  disable: [runs-as-rot]\n", 2, "rules.disable: unknown rule \"runs-as-rot\" (did you mean runs-as-root?)")]
    [InlineData("enable", "rules:\n  enable:\n    - BW1001\n    - no-such-rule-at-all\n", 4, "rules.enable: unknown rule \"no-such-rule-at-all\"")]
    [InlineData("severity", "rules:\n  severity:\n    privileged-containr: low\n", 3, "rules.severity: unknown rule \"privileged-containr\" (did you mean privileged-container?)")]
    [InlineData("exemptions", "exemptions:\n  - rules: [BW1001, host-pth]\n    reason: x\n", 2, "exemptions[].rules: unknown rule \"host-pth\"")]
    public void An_unknown_rule_in_the_configuration_is_a_usage_error_at_its_line(string _, string config, int line, string message)
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod);
        var file = tree.Write(".bulwark.yaml", config);

        var result = CliRunner.Run("scan", pod);

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains($"{file}:{line}:", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_rule_in_a_comment_or_annotation_is_a_warning_at_its_line()
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug
              annotations:
                bulwark.dev/ignore: "BW1014,privileged"
            spec:
              containers:
                - name: shell
                  image: busybox:1.36
                  securityContext:
                    # bulwark:ignore privileged-containers break-glass pod
                    privileged: true
            """);

        var result = CliRunner.Run("scan", pod, "--rule", "privileged-container");

        Assert.Equal(ExitCodes.Findings, result.ExitCode); // the misspelt names suppressed nothing
        Assert.Contains($"{pod}:6:5: bulwark.dev/ignore annotation: unknown rule \"privileged\" (did you mean privileged-container?); it suppresses nothing", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{pod}:12:26: bulwark:ignore comment: unknown rule \"privileged-containers\" (did you mean privileged-container?)", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--formt", "--format")]
    [InlineData("--serverity", "--severity")]
    [InlineData("--fail-no", "--fail-on")]
    public void A_mistyped_option_is_a_usage_error_not_a_path(string typo, string meant)
    {
        var result = CliRunner.Run("scan", typo, "json", Bulwark.TestSupport.RepositoryPaths.InRepo("examples"));

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains($"unknown option {typo} for 'bulwark scan' (did you mean {meant}?)", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public void A_mistyped_command_gets_a_suggestion()
    {
        var top = CliRunner.Run("scna", "examples");
        Assert.Equal(ExitCodes.Error, top.ExitCode);
        Assert.Contains("unknown command \"scna\" for 'bulwark' (did you mean scan?)", top.Error, StringComparison.Ordinal);

        var sub = CliRunner.Run("rbac", "who-cna", "get", "pods", ".");
        Assert.Contains("unknown command \"who-cna\" for 'bulwark rbac' (did you mean who-can?)", sub.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Double_dash_ends_options_for_paths_that_start_with_a_dash()
    {
        using var tree = new TempTree();
        tree.Write("-pod.yaml", PrivilegedPod);

        var withoutDash = CliRunner.RunProcess(tree.Root, string.Empty, new Dictionary<string, string?>(), terminal: false, "scan", "-pod.yaml");
        var withDash = CliRunner.RunProcess(tree.Root, string.Empty, new Dictionary<string, string?>(), terminal: false, "scan", "--format", "json", "--", "-pod.yaml");

        Assert.Equal(ExitCodes.Error, withoutDash.ExitCode);
        Assert.Contains("unknown option -pod.yaml", withoutDash.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Findings, withDash.ExitCode);
        Assert.Contains("privileged-container", Slugs(withDash));
    }

    [Fact]
    public void A_path_with_nothing_to_scan_fails_unless_an_empty_input_is_allowed()
    {
        using var tree = new TempTree();
        Directory.CreateDirectory(tree.PathOf("empty"));
        var prose = tree.Write("notes/README.txt", "Deploy with kubectl apply -f k8s/.\n");
        tree.Write("k8s/pod.yaml", PrivilegedPod);

        var empty = CliRunner.Run("scan", tree.PathOf("empty"));
        Assert.Equal(ExitCodes.Error, empty.ExitCode);
        Assert.Contains($"nothing to scan in {tree.PathOf("empty")}", empty.Out, StringComparison.Ordinal);

        var file = CliRunner.Run("scan", prose, "--format", "json");
        Assert.Equal(ExitCodes.Error, file.ExitCode);
        Assert.Contains($"nothing to scan in {prose}", file.Error, StringComparison.Ordinal);

        var stdin = CliRunner.RunWithInput(string.Empty, "scan", "-");
        Assert.Equal(ExitCodes.Error, stdin.ExitCode);
        Assert.Contains("nothing to scan in standard input", stdin.Out, StringComparison.Ordinal);

        // One empty path among good ones still fails: it may be the typo that hides a whole folder.
        var mixed = CliRunner.Run("scan", tree.PathOf("k8s"), tree.PathOf("empty"), "--fail-on", "never");
        Assert.Equal(ExitCodes.Error, mixed.ExitCode);

        Assert.Equal(ExitCodes.Success, CliRunner.Run("scan", tree.PathOf("empty"), "--allow-empty").ExitCode);
        Assert.Equal(ExitCodes.Success, CliRunner.RunWithInput(string.Empty, "scan", "-", "--allow-empty").ExitCode);

        // A folder named inside another named folder, or a file named twice, is not "empty": its files were read once.
        Assert.Equal(ExitCodes.Findings, CliRunner.Run("scan", tree.PathOf("k8s"), tree.PathOf("k8s/pod.yaml"), tree.PathOf("k8s/pod.yaml")).ExitCode);
    }

    [Fact]
    public void The_other_input_commands_fail_on_nothing_to_scan_too()
    {
        using var tree = new TempTree();
        Directory.CreateDirectory(tree.PathOf("empty"));
        Assert.Equal(ExitCodes.Error, CliRunner.Run("pss", "restricted", tree.PathOf("empty")).ExitCode);
        Assert.Equal(ExitCodes.Error, CliRunner.Run("netpol", "list", tree.PathOf("empty")).ExitCode);
        Assert.Equal(ExitCodes.Error, CliRunner.Run("rbac", "paths", tree.PathOf("empty")).ExitCode);
        Assert.Equal(ExitCodes.Success, CliRunner.Run("rbac", "paths", tree.PathOf("empty"), "--allow-empty").ExitCode);
    }

    [Fact]
    public void A_helm_template_is_an_error_that_says_to_render_it_first()
    {
        using var tree = new TempTree();
        var template = tree.Write("chart/templates/deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ include "app.fullname" . }}
              labels:
                {{- include "app.labels" . | nindent 4 }}
            """);

        var result = CliRunner.Run("scan", tree.PathOf("chart"), "--format", "json");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains($"{template}:4:9: looks like a Helm or Go template", result.Error, StringComparison.Ordinal);
        Assert.Contains("helm template", result.Error, StringComparison.Ordinal);
        Assert.Contains("kustomize build", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fail_on_never_reports_only_but_input_errors_still_exit_2()
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod);
        var broken = tree.Write("broken.yaml", "kind: Pod\nmetadata: [\n");

        var reportOnly = CliRunner.Run("scan", pod, "--fail-on", "never");
        Assert.Equal(ExitCodes.Success, reportOnly.ExitCode);
        Assert.Contains("privileged-container", reportOnly.Out, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Error, CliRunner.Run("scan", pod, broken, "--fail-on", "never").ExitCode);

        tree.Write(".bulwark.yaml", "failOn: never\n");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("scan", pod).ExitCode);
        Assert.Contains("--fail-on: unknown value \"nevr\" (expected info, low, medium, high, critical or never)", CliRunner.Run("scan", pod, "--fail-on", "nevr").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_file_in_a_missing_folder_or_that_is_a_folder_is_a_one_line_usage_error()
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod);

        foreach (var args in new[] { new[] { "scan", pod }, ["pss", "restricted", pod], ["rbac", "paths", pod], ["netpol", "list", pod] })
        {
            var missing = CliRunner.Run([.. args, "-o", tree.PathOf("no/such/folder/report.json")]);
            Assert.Equal(ExitCodes.Error, missing.ExitCode);
            Assert.Contains($"--output: the folder {tree.PathOf("no/such/folder")} does not exist", missing.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", missing.Error, StringComparison.Ordinal);

            var folder = CliRunner.Run([.. args, "--output", tree.Root]);
            Assert.Equal(ExitCodes.Error, folder.ExitCode);
            Assert.Contains($"--output: {tree.Root} is a folder; name a file", folder.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("64MiB", 0)]
    [InlineData("65536", 0)]
    [InlineData("1k", 0)]
    [InlineData("0.5KiB", 2)]
    [InlineData("-5", -1)]
    [InlineData("0", -1)]
    [InlineData("lots", -1)]
    [InlineData("64 parsecs", -1)]
    public void File_size_limits_take_units_and_reject_nonsense(string size, int expected)
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod.Replace("busybox:1.36", "busybox@sha256:" + new string('a', 64), StringComparison.Ordinal) + "\n" + string.Concat(Enumerable.Repeat("# padding to pass half a kibibyte\n", 10)));

        var result = CliRunner.Run("scan", pod, "--max-file-size", size, "--fail-on", "never");

        if (expected < 0)
        {
            Assert.Equal(ExitCodes.Error, result.ExitCode);
            Assert.Contains($"--max-file-size: \"{size}\"", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, result.ExitCode);
        }

        if (expected == ExitCodes.Error)
        {
            Assert.Contains("over the 512-byte limit (--max-file-size raises it)", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_size_limit_applies_to_the_dockerfile_a_compose_service_builds_from()
    {
        using var tree = new TempTree();
        var compose = tree.Write("compose.yaml", "services:\n  app:\n    build: .\n");
        var dockerfile = tree.Write("Dockerfile", "FROM alpine:3.20\n" + string.Concat(Enumerable.Repeat("# a long comment line to make the file big\n", 100)) + "USER 10001\n");

        var result = CliRunner.Run("scan", compose, "--max-file-size", "1KiB", "--format", "json");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains($"{Path.GetFileName(dockerfile)}: file is", result.Error, StringComparison.Ordinal);
        Assert.Contains("over the 1,024-byte limit (--max-file-size raises it)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_in_indentation_is_reported_where_it_is()
    {
        using var tree = new TempTree();
        var file = tree.Write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n\t  command: [sh]\n");

        var result = CliRunner.Run("scan", file, "--format", "json");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains($"{file}:9:1: YAML syntax error", result.Error, StringComparison.Ordinal);
        Assert.Contains("tab character", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_input_uses_the_configuration_of_the_working_folder()
    {
        using var tree = new TempTree();
        tree.Write(".bulwark.yaml", "rules:\n  disable: [privileged-container]\n");
        var noEnvironment = new Dictionary<string, string?>();

        var piped = CliRunner.RunProcess(tree.Root, PrivilegedPod, noEnvironment, terminal: false, "scan", "-", "--format", "json");

        Assert.DoesNotContain("privileged-container", Slugs(piped));
        Assert.NotEmpty(Slugs(piped));
    }

    [Fact]
    public void Rbac_can_takes_a_service_accounts_user_name()
    {
        using var tree = new TempTree();
        var file = tree.Write("rbac.yaml", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: reader
              namespace: shop
            rules:
              - apiGroups: [""]
                resources: [pods]
                verbs: [get]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: reader
              namespace: shop
            subjects:
              - kind: ServiceAccount
                name: robot
                namespace: shop
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: reader
            """);

        var byUserName = CliRunner.Run("rbac", "can", "system:serviceaccount:shop:robot", file, "--format", "json");
        var byShortForm = CliRunner.Run("rbac", "can", "sa:shop/robot", file, "--format", "json");

        Assert.Equal(ExitCodes.Success, byUserName.ExitCode);
        Assert.Contains("pods", byUserName.Out, StringComparison.Ordinal);
        Assert.Equal(byShortForm.Out, byUserName.Out);
        Assert.Equal(ExitCodes.Error, CliRunner.Run("rbac", "can", "system:serviceaccount:shop", file).ExitCode);
    }

    [Theory]
    [InlineData(null, new string[0], true)]
    [InlineData("", new string[0], true)]
    [InlineData("1", new string[0], false)]
    [InlineData(null, new[] { "--no-color" }, false)]
    public void Colour_is_off_for_a_non_empty_NO_COLOR_and_for_no_color(string? noColor, string[] extra, bool coloured)
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod);

        var result = CliRunner.RunProcess(tree.Root, string.Empty, new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["TERM"] = "xterm" }, terminal: true, ["scan", pod, .. extra]);

        Assert.Contains("privileged-container", result.Out, StringComparison.Ordinal);
        // Only colour (SGR) sequences count: the runtime itself writes keypad-mode sequences to a terminal.
        Assert.Equal(coloured, System.Text.RegularExpressions.Regex.IsMatch(result.Out, "\u001b\\[[0-9;]*m"));
    }

    [Fact]
    public void Options_mean_the_same_in_every_command()
    {
        using var tree = new TempTree();
        var pod = tree.Write("pod.yaml", PrivilegedPod);

        var timings = CliRunner.Run("rbac", "paths", pod, "--timings");
        Assert.Equal(ExitCodes.Success, timings.ExitCode);
        Assert.Contains("analysed in", timings.Error, StringComparison.Ordinal);

        foreach (var args in new[] { new[] { "rbac", "paths", pod, "--format", "json" }, ["rbac", "can", "user:jane", pod, "--format", "json"], ["rbac", "who-can", "get", "pods", pod, "--format", "json"] })
        {
            var output = tree.PathOf(args[1] + ".json");
            var result = CliRunner.Run([.. args, "-o", output]);
            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Assert.Equal(string.Empty, result.Out);
            JsonDocument.Parse(File.ReadAllText(output));
        }

        foreach (var args in new[] { new[] { "pss", "restricted" }, ["netpol", "list"], ["rbac", "paths"] })
        {
            tree.Write("skipped/pod.yaml", PrivilegedPod);
            var excluded = CliRunner.Run([.. args, tree.PathOf("skipped"), "--exclude", "pod.yaml,other.yaml"]);
            Assert.Equal(ExitCodes.Error, excluded.ExitCode); // all excluded: nothing to scan
        }
    }
}
