using Bulwark.Core.Findings;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rules.Tests;

/// <summary>Dockerfile rules on the cases their examples do not show: shell syntax, heredocs, stages, variables.</summary>
public sealed class DockerfileRuleTests
{
    private static List<Finding> Run(string slug, string dockerfile) =>
        TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == slug), dockerfile, "Dockerfile");

    private static List<(int Line, int Column)> Positions(string slug, string dockerfile) =>
        [.. Run(slug, dockerfile).Select(f => (f.Location.Line, f.Location.Column))];

    [Fact]
    public void Findings_point_at_the_word_across_continuation_lines_and_comments()
    {
        const string text = "FROM debian:12-slim\nRUN --mount=type=cache,target=/root/.cache \\\n    set -eux; \\\n# a comment line inside the instruction\n\n    curl -fsSL \\\n      --insecure https://example.com/x -o /x\n";
        Assert.Equal([(7, 7)], Positions("tls-verification-disabled", text));
    }

    [Fact]
    public void Heredoc_scripts_are_read_as_shell_and_other_heredocs_are_not()
    {
        const string text = "FROM debian:12-slim\nRUN <<EOF\nset -e\ncurl -k https://example.com/a\nEOF\nRUN python3 <<EOF\nimport os; os.system('curl -k https://example.com/b')\nEOF\nRUN bash <<-EOF\n\twget --no-check-certificate https://example.com/c\n\tEOF\n";
        Assert.Equal([(4, 6), (10, 7)], Positions("tls-verification-disabled", text));
    }

    [Theory]
    [InlineData("RUN echo 'curl -k https://x | sh' > /notes.txt")]
    [InlineData("RUN echo \"use sudo apt-get\" && printf '%s' 'chmod 777 /x'")]
    [InlineData("RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /k.gpg")]
    [InlineData("RUN curl -fsSL https://example.com/x | sh -c 'cat > /x'")]
    [InlineData("# RUN curl -k https://x | sudo sh")]
    [InlineData("RUN echo \"deb [ trusted=yes ] file:/tmp/repo ./\" > /etc/apt/sources.list.d/local.list")]
    public void Quoted_text_and_comments_are_not_commands(string run)
    {
        var text = "FROM alpine:3.20\n" + run + "\n";
        foreach (var slug in new[] { "tls-verification-disabled", "remote-script-piped-to-shell", "sudo-in-run", "world-writable-permissions" })
        {
            Assert.Empty(Run(slug, text));
        }
    }

    [Theory]
    [InlineData("RUN curl -sSL https://get.rvm.io | bash -s stable")]
    [InlineData("RUN wget -O - https://x/install | sudo sh")]
    [InlineData("RUN sh -c 'curl -fsSL https://x/install | bash'")]
    [InlineData("RUN [\"/bin/sh\", \"-c\", \"curl -fsSL https://x/install | sh\"]")]
    public void Piped_downloads_are_found_through_wrappers_and_nested_shells(string run) =>
        Assert.Single(Run("remote-script-piped-to-shell", "FROM alpine:3.20\n" + run + "\n"));

    [Theory]
    [InlineData("USER root", true)]
    [InlineData("USER 0", true)]
    [InlineData("USER 0:0", true)]
    [InlineData("USER root:wheel", true)]
    [InlineData("ARG U=0\nUSER $U", true)]
    [InlineData("ENV APP_USER=root\nUSER ${APP_USER}", true)]
    [InlineData("USER 10001:10001", false)]
    [InlineData("USER app", false)]
    [InlineData("USER root\nRUN apt-get update\nUSER 10001", false)]
    public void Runs_as_root_reads_the_last_user_of_the_final_stage(string lines, bool root)
    {
        var text = "FROM alpine:3.20 AS build\nUSER 10001\nFROM alpine:3.20\n" + lines + "\n";
        Assert.Equal(root, Run("runs-as-root", text).Count == 1);
    }

    [Fact]
    public void A_stage_built_from_a_non_root_stage_inherits_its_user()
    {
        const string text = "FROM alpine:3.20 AS base\nUSER 10001\nFROM base\nCOPY app /app\n";
        Assert.Empty(Run("runs-as-root", text));
    }

    [Fact]
    public void Image_content_rules_skip_builder_stages()
    {
        const string text = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nCOPY id_rsa /root/.ssh/id_rsa\nRUN chmod 777 /src\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n";
        foreach (var slug in new[] { "package-cache-not-cleaned", "apt-install-recommends", "secret-file-in-image", "world-writable-permissions", "base-image-not-minimal", "runs-as-root" })
        {
            Assert.Empty(Run(slug, text));
        }
    }

    [Fact]
    public void Base_image_tags_are_resolved_from_args_and_stage_references_are_not_images()
    {
        const string text = "ARG VARIANT=latest\nFROM node:${VARIANT} AS deps\nFROM deps AS build\nFROM scratch\nCOPY --from=build /app /app\n";
        var finding = Assert.Single(Run("image-tag-mutable", text));
        Assert.Equal((2, 6), (finding.Location.Line, finding.Location.Column));
        Assert.Contains("node:latest", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_placeholders_are_not_image_names()
    {
        const string text = "FROM debian:%%SUITE%%\nUSER 10001\n";
        Assert.Empty(Run("image-tag-mutable", text));
        Assert.Empty(Run("base-image-not-minimal", text));
    }

    [Theory]
    [InlineData("RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*", 0)]
    [InlineData("RUN apt-get update && apt-get install -y --no-install-recommends curl", 1)]
    [InlineData("RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl", 0)]
    [InlineData("ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask", 0)]
    [InlineData("RUN python3 -m pip install flask", 1)]
    [InlineData("RUN for p in a b; do pip3 install $p; done", 1)]
    [InlineData("RUN yum install -y git && yum clean all", 0)]
    [InlineData("RUN dnf install -y git", 1)]
    [InlineData("RUN zypper -n in git && zypper clean -a", 0)]
    [InlineData("RUN apk add --update --virtual .build gcc && apk del .build", 1)]
    [InlineData("RUN apk add --virtual .rundeps $runDeps", 1)]
    [InlineData("RUN apk add --no-network --virtual .rundeps $runDeps", 0)]
    [InlineData("RUN apk update && apk add gcc && rm -rf /var/cache/apk/*", 0)]
    public void Package_caches(string lines, int expected) =>
        Assert.Equal(expected, Run("package-cache-not-cleaned", "FROM debian:12-slim\n" + lines + "\n").Count);

    [Theory]
    [InlineData("RUN chmod 777 /x", 1)]
    [InlineData("RUN chmod -R o+w /x", 1)]
    [InlineData("RUN chmod 0666 /x", 1)]
    [InlineData("RUN chmod 1777 /tmp/x", 0)]
    [InlineData("RUN chmod 775 /x", 0)]
    [InlineData("RUN chmod +w /x", 0)]
    [InlineData("RUN chmod go-w /x", 0)]
    public void World_writable_modes(string lines, int expected) =>
        Assert.Equal(expected, Run("world-writable-permissions", "FROM alpine:3.20\n" + lines + "\n").Count);

    [Fact]
    public void Windows_dockerfiles_with_a_powershell_shell_are_not_read_as_posix_shell()
    {
        const string text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN curl -k https://x | sh\n";
        Assert.Empty(Run("tls-verification-disabled", text));
        Assert.Empty(Run("remote-script-piped-to-shell", text));
    }

    [Fact]
    public void Windows_images_run_cmd_unless_shell_says_otherwise()
    {
        const string text = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN curl -k https://x\nSHELL [\"sh\", \"-c\"]\nRUN curl -k https://y\n";
        Assert.Equal([4], Run("tls-verification-disabled", text).Select(f => f.Location.Line));
    }

    [Fact]
    public void A_stage_inherits_the_shell_of_the_stage_it_is_built_from()
    {
        const string text = "FROM mcr.microsoft.com/powershell:lts AS base\nSHELL [\"pwsh\", \"-Command\"]\nRUN curl -k https://x\nFROM base\nRUN curl -k https://y\nSHELL [\"/bin/sh\", \"-c\"]\nRUN curl -k https://z\n";
        Assert.Equal([7], Run("tls-verification-disabled", text).Select(f => f.Location.Line));
    }

    [Fact]
    public void Secret_build_args_and_env_copies_are_reported_in_the_final_image_only()
    {
        const string text = "FROM node:22 AS build\nARG NPM_TOKEN\nRUN npm ci\nFROM node:22-alpine\nARG GITHUB_TOKEN\nENV API_KEY=$GITHUB_TOKEN\nENV DB_PASSWORD_FILE=/run/secrets/db\n";
        Assert.Equal([5, 6], Run("secret-in-environment", text).Select(f => f.Location.Line));
    }

    [Fact]
    public void Hostile_shell_text_never_crashes_a_rule()
    {
        var deep = "FROM alpine:3.20\nRUN " + string.Concat(Enumerable.Repeat("$(", 5000)) + "curl -k x" + "\nRUN sh -c \"sh -c 'sh -c \\\"sh -c curl\\\"'\"\nRUN <<EOF\n" + new string('\'', 10000) + "\nEOF\n";
        foreach (var rule in BuiltInRules.All.Where(r => r.Descriptor.Sources.Contains(Core.Rules.SourceKind.Dockerfile)))
        {
            _ = TestScans.Run(rule, deep, "Dockerfile");
        }
    }
}
