using System.Text.Json;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class DockerfileScanTests
{
    private static List<JsonElement> Findings(CliRunner.Result result) =>
        [.. JsonDocument.Parse(result.Out).RootElement.GetProperty("findings").EnumerateArray()];

    private static string Slug(JsonElement finding) => finding.GetProperty("slug").GetString()!;

    private static string Severity(JsonElement finding) => finding.GetProperty("severity").GetString()!;

    [Fact]
    public void The_checklist_pair_bad_has_every_problem_and_hardened_nothing_at_medium_or_above()
    {
        var bad = Findings(CliRunner.Run("scan", RepositoryPaths.InRepo("examples", "docker", "bad.Dockerfile"), "--format", "json"));
        Assert.Superset(new HashSet<string>
        {
            "runs-as-root", "image-tag-mutable", "base-image-not-minimal", "package-cache-not-cleaned", "apt-install-recommends",
            "healthcheck-missing",
        }, bad.Select(Slug).ToHashSet());
        Assert.Contains(bad, f => Slug(f) == "runs-as-root" && Severity(f) is "medium" or "high");

        var hardened = Findings(CliRunner.Run("scan", RepositoryPaths.InRepo("examples", "docker", "hardened.Dockerfile"), "--format", "json"));
        Assert.DoesNotContain(hardened, f => Severity(f) is "medium" or "high" or "critical");
    }

    [Fact]
    public void Compose_build_dockerfiles_are_judged_and_located_in_their_own_file()
    {
        using var tree = new TempTree();
        tree.Write("app/Dockerfile.prod", "FROM alpine:3.20\nUSER 10001\nRUN curl -k https://example.com/x -o /x\n");
        var compose = tree.Write("compose.yaml", """
            services:
              app:
                image: app:1.0.0
                build:
                  context: ./app
                  dockerfile: Dockerfile.prod
              inline:
                image: inline:1.0.0
                build:
                  dockerfile_inline: |
                    FROM alpine:3.20
                    USER 10001
                    RUN wget --no-check-certificate https://example.com/y
              tools:
                image: tools:1.0.0
                build:
                  context: ./app
                  dockerfile: Dockerfile.prod
                  privileged: true
            """);
        var findings = Findings(CliRunner.Run("scan", compose, "--format", "json", "--rule", "tls-verification-disabled", "--rule", "privileged-container"));
        var located = findings.Select(f => (Slug(f), Path.GetFileName(f.GetProperty("file").GetString()), f.GetProperty("line").GetInt32(), f.GetProperty("column").GetInt32())).ToList();
        Assert.Equal(
            [
                ("tls-verification-disabled", "Dockerfile.prod", 3, 10),
                ("tls-verification-disabled", "compose.yaml", 13, 18),
                ("privileged-container", "compose.yaml", 19, 7),
            ],
            located.OrderBy(l => l.Item2 == "compose.yaml").ThenBy(l => l.Item3));
    }

    [Fact]
    public void A_suppression_comment_in_the_dockerfile_of_a_compose_service_applies()
    {
        using var tree = new TempTree();
        tree.Write("Dockerfile", "FROM alpine:3.20\nUSER 10001\n# bulwark:ignore sudo-in-run the base image needs it\nRUN sudo true\n");
        var compose = tree.Write("compose.yaml", "services:\n  app:\n    image: app:1.0.0\n    build: .\n");
        var report = JsonDocument.Parse(CliRunner.Run("scan", compose, "--format", "json", "--rule", "sudo-in-run").Out).RootElement;
        Assert.Empty(report.GetProperty("findings").EnumerateArray());
        Assert.Equal(1, report.GetProperty("summary").GetProperty("suppressed").GetInt32());

        tree.Write("Dockerfile", "FROM alpine:3.20\nUSER 10001\n# the base image needs it\nRUN sudo true\n");
        var finding = Assert.Single(Findings(CliRunner.Run("scan", compose, "--format", "json", "--rule", "sudo-in-run")));
        Assert.Equal(4, finding.GetProperty("line").GetInt32());
    }

    [Fact]
    public void Bad_dockerfiles_give_a_clear_error_and_the_scan_goes_on()
    {
        using var tree = new TempTree();
        tree.Write("a/Dockerfile", "FROM alpine:3.20\nRUN <<EOF\necho never terminated\n");
        tree.Write("b/Dockerfile", "\0\u0001\u0002binary");
        tree.Write("c/Dockerfile", "FROM alpine:latest\nUSER 10001\n");
        var result = CliRunner.Run("scan", tree.Root, "--format", "json", "--rule", "image-tag-mutable");
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("file").GetString()!.EndsWith(Path.Combine("c", "Dockerfile"), StringComparison.Ordinal));
        Assert.NotEmpty(root.GetProperty("errors").EnumerateArray());
    }
}
