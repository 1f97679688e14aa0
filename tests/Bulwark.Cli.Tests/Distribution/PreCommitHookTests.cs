using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests.Distribution;

/// <summary>
/// The repository's <c>.pre-commit-hooks.yaml</c> with the real client (Debian's <c>pre-commit</c>): installed from this
/// repository (at its HEAD commit) into a scratch Git repository, with the installed dotnet tool as <c>bulwark</c>.
/// Skipped without pre-commit, unless <c>BULWARK_REQUIRE_TOOLS=1</c> (set by .ci/run).
/// </summary>
[Collection(InstalledToolCollection.Name)]
public sealed class PreCommitHookTests(InstalledTool tool)
{
    private const string InsecureDockerfile = """
        FROM python:3.12-slim
        RUN curl -k https://downloads.example.com/tool.tar.gz -o /tmp/tool.tar.gz
        COPY app.py /app/app.py
        USER 10001:10001
        CMD ["python3", "/app/app.py"]
        """;

    private const string FixedDockerfile = """
        FROM python:3.12-slim
        COPY app.py /app/app.py
        USER 10001:10001
        HEALTHCHECK CMD ["python3", "-c", "import sys; sys.exit(0)"]
        CMD ["python3", "/app/app.py"]
        """;

    [SkippableFact]
    public void Hook_refuses_a_commit_with_a_high_finding_and_accepts_the_fixed_file()
    {
        var preCommit = ExternalCommand.FindOnPath("pre-commit");
        if (preCommit is null)
        {
            Assert.False(System.Environment.GetEnvironmentVariable("BULWARK_REQUIRE_TOOLS") == "1", "pre-commit (Debian package pre-commit) is required but not installed");
            Skip.If(true, "pre-commit (Debian package pre-commit) is not installed");
        }

        var git = ExternalCommand.FindOnPath("git") ?? throw new InvalidOperationException("git is not installed");
        var head = ExternalCommand.Run(git, ["rev-parse", "HEAD"], RepositoryPaths.Root);
        Assert.True(head.ExitCode == 0, head.Transcript);

        using var tree = new TempTree();
        var repo = tree.PathOf("project");
        var environment = tool.Environment();
        environment["PRE_COMMIT_HOME"] = tree.PathOf("pre-commit-cache");
        environment["HOME"] = tree.Root;
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        ExternalCommand.Result InRepo(string program, params string[] arguments) => ExternalCommand.Run(program, arguments, repo, environment);

        Directory.CreateDirectory(repo);
        string[][] setupCommands = [["init", "-q"], ["config", "user.name", "Test User"], ["config", "user.email", "test@example.com"]];
        foreach (var command in setupCommands)
        {
            var setup = InRepo(git, command);
            Assert.True(setup.ExitCode == 0, setup.Transcript);
        }

        // The hook comes from this repository's .pre-commit-hooks.yaml, fetched by pre-commit as it would fetch a release.
        tree.Write("project/.pre-commit-config.yaml", $"""
            repos:
              - repo: {RepositoryPaths.Root}
                rev: {head.Out.Trim()}
                hooks:
                  - id: bulwark
            """);
        var install = InRepo(preCommit!, "install");
        Assert.True(install.ExitCode == 0, install.Transcript);

        tree.Write("project/app.py", "print('hello')\n");
        tree.Write("project/Dockerfile", InsecureDockerfile);
        // YAML and JSON that are not manifests reach the hook too (by name) and must not block a commit.
        tree.Write("project/docs/README.yaml", "title: Project notes\nowners: [platform-team]\n");
        tree.Write("project/package.json", "{\"name\": \"web\", \"version\": \"1.0.0\"}\n");
        Assert.Equal(0, InRepo(git, "add", "-A").ExitCode);

        var refused = InRepo(git, "commit", "-q", "-m", "Add the service");
        Assert.True(refused.ExitCode != 0, "the commit with curl -k went through:\n" + refused.Transcript);
        var refusedOutput = refused.Out + refused.Error;
        Assert.Contains("BW2010 tls-verification-disabled", refusedOutput, StringComparison.Ordinal);
        Assert.Contains("Dockerfile", refusedOutput, StringComparison.Ordinal);
        Assert.Equal(0, CommitCount(git, repo, environment));

        tree.Write("project/Dockerfile", FixedDockerfile);
        Assert.Equal(0, InRepo(git, "add", "-A").ExitCode);
        var accepted = InRepo(git, "commit", "-q", "-m", "Add the service");
        Assert.True(accepted.ExitCode == 0, "the fixed commit was refused:\n" + accepted.Transcript);
        Assert.Contains("bulwark", accepted.Out + accepted.Error, StringComparison.Ordinal);
        Assert.Equal(1, CommitCount(git, repo, environment));

        // A commit of YAML that is no manifest at all: the hook has nothing to check, and must say so with success.
        tree.Write("project/docs/README.yaml", "title: Project notes\nowners: [platform-team, security-team]\n");
        Assert.Equal(0, InRepo(git, "add", "-A").ExitCode);
        var notes = InRepo(git, "commit", "-q", "-m", "Update the notes");
        Assert.True(notes.ExitCode == 0, "a commit of a YAML file that is not a manifest was refused:\n" + notes.Transcript);
        Assert.Equal(2, CommitCount(git, repo, environment));
    }

    private static int CommitCount(string git, string repo, IReadOnlyDictionary<string, string?> environment)
    {
        var count = ExternalCommand.Run(git, ["rev-list", "--count", "--all"], repo, environment);
        return count.ExitCode == 0 ? int.Parse(count.Out.Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
