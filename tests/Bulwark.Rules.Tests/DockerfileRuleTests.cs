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

    [Theory]
    [InlineData("RUN apt-get update && apt-get install -s curl", 0)]
    [InlineData("RUN apt-get update && apt-get install --simulate curl", 0)]
    [InlineData("RUN apt-get update && apt-get --dry-run install curl", 0)]
    [InlineData("RUN apt-get update && apt-get install --just-print curl", 0)]
    [InlineData("RUN apt-get update && apt-get install --no-act curl", 0)]
    [InlineData("RUN apt-get update && apt-get install --recon curl", 0)]
    [InlineData("RUN apt-get update && apt-get install -y --download-only curl", 0)]
    [InlineData("RUN apt-get update && apt-get download curl", 0)]
    [InlineData("RUN apt-get update && apt-get source nginx", 0)]
    [InlineData("RUN apt-get update && apt-get -qq install curl", 1)]
    [InlineData("RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Options::=--force-confold install -y curl", 1)]
    public void Apt_commands_that_install_nothing_pull_no_recommends(string run, int expected) =>
        Assert.Equal(expected, Run("apt-install-recommends", "FROM debian:12-slim\n" + run + "\n").Count);

    [Theory]
    [InlineData("RUN apt-get install -s -y curl", 0)]
    [InlineData("RUN yum install -y --downloadonly --downloaddir=/rpms httpd", 0)]
    [InlineData("RUN dnf download --destdir /rpms httpd", 0)]
    [InlineData("RUN dnf install --assumeno httpd", 0)]
    [InlineData("RUN microdnf install -y shadow-utils", 1)]
    [InlineData("RUN dnf group install -y 'Development Tools'", 1)]
    [InlineData("RUN zypper --non-interactive install --dry-run git", 0)]
    [InlineData("RUN zypper -n in --download-only git", 0)]
    [InlineData("RUN zypper -D /etc/zypp/repos.d -n in git", 1)]
    [InlineData("RUN pip download --dest /wheels -r requirements.txt", 0)]
    [InlineData("RUN pip install --dry-run --report /tmp/report.json -r requirements.txt", 0)]
    [InlineData("RUN python3.12 -m pip wheel --wheel-dir /wheels .", 0)]
    [InlineData("RUN python3.12 -m pip install .", 1)]
    [InlineData("RUN apk index --allow-untrusted -o APKINDEX.tar.gz /packages/*.apk", 0)]
    [InlineData("RUN apk fetch --output /apks curl", 0)]
    [InlineData("RUN apk upgrade", 1)]
    public void Commands_that_install_nothing_leave_no_install_cache(string run, int expected) =>
        Assert.Equal(expected, Run("package-cache-not-cleaned", "FROM debian:12-slim\n" + run + "\n").Count);

    [Theory]
    [InlineData("RUN apk index --allow-untrusted -o /repo/x86_64/APKINDEX.tar.gz /repo/x86_64/*.apk && abuild-sign /repo/x86_64/APKINDEX.tar.gz", 0)]
    [InlineData("RUN apt-get -s --allow-unauthenticated install tool", 0)]
    [InlineData("RUN apk add --allow-untrusted /tmp/glibc-2.35-r1.apk", 1)]
    [InlineData("RUN apk --allow-untrusted fetch tool", 1)]
    [InlineData("RUN apt-get update --allow-insecure-repositories", 1)]
    [InlineData("RUN apt-get download --allow-unauthenticated tool", 1)]
    [InlineData("RUN dnf --nogpgcheck makecache", 1)]
    [InlineData("RUN dnf --nogpgcheck remove -y tool", 0)]
    public void Signature_switches_matter_only_where_packages_are_fetched(string run, int expected) =>
        Assert.Equal(expected, Run("tls-verification-disabled", "FROM alpine:3.20\n" + run + "\n").Count);

    [Fact]
    public void A_run_with_several_uncleaned_package_managers_is_one_finding_naming_them()
    {
        const string text = "FROM python:3.12-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends gcc libpq-dev \\\n && pip install psycopg2==2.9.9 \\\n && pip install gunicorn==23.0.0\nRUN pip install flask==3.0.3\n";
        var findings = Run("package-cache-not-cleaned", text);

        Assert.Equal([(3, 5), (6, 5)], findings.Select(f => (f.Location.Line, f.Location.Column)));
        Assert.Contains("apt-get (/var/lib/apt/lists), pip (~/.cache/pip)", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("rm -rf /var/lib/apt/lists/*", findings[0].EffectiveRemediation, StringComparison.Ordinal);
        Assert.Contains("--no-cache-dir", findings[0].EffectiveRemediation, StringComparison.Ordinal);
        Assert.StartsWith("pip install without --no-cache-dir", findings[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RUN mkdir /tmp/src && chmod -R 777 /tmp/src && make -C /tmp/src install && rm -rf /tmp/src", 0)]
    [InlineData("RUN chmod 777 /tmp/build/run.sh && /tmp/build/run.sh && rm -rf /tmp/build", 0)]
    [InlineData("RUN chmod 777 /tmp/installer-1.2.bin && /tmp/installer-1.2.bin && rm -rf /tmp/*", 0)]
    [InlineData("RUN chmod 777 /tmp/.installer && /tmp/.installer && rm -rf /tmp/*", 1)]
    [InlineData("RUN chmod 777 \"$BUILD_DIR\" && make -C \"$BUILD_DIR\" && rm -rf \"$BUILD_DIR\"", 0)]
    [InlineData("RUN chmod 777 /tmp/src /opt/app && rm -rf /tmp/src", 1)]
    [InlineData("RUN rm -rf /opt/cache && mkdir /opt/cache && chmod 777 /opt/cache", 1)]
    [InlineData("RUN chmod 777 /opt/app/data && rm -rf /opt/app/data/tmp", 1)]
    [InlineData("RUN chmod 1777 /tmp /var/tmp", 0)]
    [InlineData("RUN chmod a+w /tmp", 0)]
    [InlineData("RUN chmod 777 /tmp", 1)]
    [InlineData("RUN chmod -R 0777 /dev/shm/", 1)]
    public void World_writable_paths_that_do_not_reach_the_layer(string run, int expected) =>
        Assert.Equal(expected, Run("world-writable-permissions", "FROM alpine:3.20\n" + run + "\n").Count);

    [Fact]
    public void An_octal_mode_on_a_shared_temporary_directory_is_reported_for_the_sticky_bit()
    {
        var finding = Assert.Single(Run("world-writable-permissions", "FROM alpine:3.20\nRUN chmod 777 /tmp\n"));
        Assert.Contains("drops the sticky bit", finding.Message, StringComparison.Ordinal);
        Assert.Contains("1777", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ARG URL=https://example.com/tool-1.0.tar.gz\nADD $URL /opt/", "add-remote-url", 1)]
    [InlineData("ARG URL=https://example.com/tool-1.0.tar.gz\nADD $URL /opt/", "add-instead-of-copy", 0)]
    [InlineData("ADD \"https://example.com/tool-1.0.tar.gz\" /opt/", "add-remote-url", 1)]
    [InlineData("ARG VERSION=1.4.0\nADD https://example.com/tool-${VERSION}.tar.gz /opt/", "add-remote-url", 1)]
    [InlineData("ADD \"/target/app.tar.gz\" app", "add-instead-of-copy", 0)]
    [InlineData("ARG DIST=dist\nADD [\"${DIST}/app.tgz\", \"/srv/\"]", "add-instead-of-copy", 0)]
    [InlineData("ARG SRC\nADD $SRC /srv/", "add-instead-of-copy", 0)]
    [InlineData("ADD \"config.yaml\" /etc/app/", "add-instead-of-copy", 1)]
    [InlineData("ADD https://github.com/example/tool.git#0d2a3e0ba2c2e9e33d3b8e5f1c3a3c1fd0d3d7b6 /src", "add-remote-url", 0)]
    [InlineData("ADD https://github.com/example/tool.git?commit=0d2a3e0ba2c2e9e33d3b8e5f1c3a3c1fd0d3d7b6&keep-git-dir=1 /src", "add-remote-url", 0)]
    [InlineData("ARG REF=v2.1.0\nADD https://github.com/example/tool.git#${REF} /src", "add-remote-url", 1)]
    public void Add_sources_are_read_as_buildkit_expands_them(string lines, string slug, int expected) =>
        Assert.Equal(expected, Run(slug, "FROM alpine:3.20\n" + lines + "\n").Count);

    [Fact]
    public void Add_messages_name_the_expanded_source()
    {
        var download = Assert.Single(Run("add-remote-url", "FROM alpine:3.20\nARG INSTALLER_URL=http://example.com/install.sh\nADD ${INSTALLER_URL} /tmp/\n"));
        Assert.Equal("ADD downloads http://example.com/install.sh (the value of ${INSTALLER_URL}) over an unencrypted connection without --checksum; its content is not verified.", download.Message);
        Assert.Equal((3, 5), (download.Location.Line, download.Location.Column));

        var clone = Assert.Single(Run("add-remote-url", "FROM alpine:3.20\nADD https://github.com/example/tool.git#v2.1.0 /src\n"));
        Assert.Contains("clones https://github.com/example/tool.git#v2.1.0", clone.Message, StringComparison.Ordinal);
        Assert.Contains("commit", clone.EffectiveRemediation, StringComparison.Ordinal);

        var copy = Assert.Single(Run("add-instead-of-copy", "FROM alpine:3.20\nADD \"nginx.conf\" <<EOF /etc/nginx/\nworker_processes 1;\nEOF\n"));
        Assert.Contains("ADD copies nginx.conf, an inline file (<<EOF)", copy.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FROM scratch", "USER 10001:10001", "RUN ")]
    [InlineData("FROM gcr.io/distroless/static-debian12", "USER 65532:65532", "RUN ")]
    [InlineData("FROM gcr.io/distroless/java21-debian12", "USER nonroot", "RUN ")]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", "USER $APP_UID", "RUN ")]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:9.0", "USER $APP_UID", "RUN ")]
    [InlineData("FROM node:22-alpine", "USER node", "RUN ")]
    [InlineData("FROM alpine:3.20", "RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001", "useradd")]
    [InlineData("FROM python:3.12-slim", "RUN groupadd --system --gid 10001 app && useradd --system --uid 10001", "adduser")]
    [InlineData("FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4", "USER 10001:10001", "RUN ")]
    [InlineData("FROM rockylinux:9", "RUN useradd --system --uid 10001", "adduser")]
    [InlineData("FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app", "USER 10001:10001", "RUN ")]
    [InlineData("FROM alpine:3.20 AS base\nRUN apk add --no-cache tini\nFROM base", "adduser -S", "useradd")]
    public void The_non_root_fix_fits_the_final_base(string stages, string suggested, string absent)
    {
        var finding = Assert.Single(Run("runs-as-root", stages + "\nCMD [\"/app\"]\n"));
        Assert.Contains(suggested, finding.EffectiveRemediation, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, finding.EffectiveRemediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022")]
    [InlineData("FROM node:20-windowsservercore")]
    [InlineData("FROM cgr.dev/chainguard/static:latest")]
    [InlineData("FROM gcr.io/distroless/static-debian12:nonroot")]
    public void Windows_and_non_root_bases_need_no_user(string from) =>
        Assert.Empty(Run("runs-as-root", from + "\nCMD [\"/app\"]\n"));

    [Theory]
    [InlineData("FROM scratch", "[\"/app\", \"healthcheck\"]", "CMD wget")]
    [InlineData("FROM gcr.io/distroless/base-debian12", "orchestrator", "curl -fsS")]
    [InlineData("FROM nginx:1.27-alpine", "wget -q --spider", "curl")]
    [InlineData("FROM debian:12-slim", "neither curl nor wget", "BusyBox")]
    public void The_healthcheck_fix_uses_a_program_the_image_has(string from, string suggested, string absent)
    {
        var finding = Assert.Single(Run("healthcheck-missing", from + "\nCOPY app /app\n"));
        Assert.Contains(suggested, finding.EffectiveRemediation, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, finding.EffectiveRemediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FROM ubuntu:24.04", "`debian:<version>-slim`", "ubuntu:24.04-slim")]
    [InlineData("FROM python:3.12-bookworm", "`python:3.12-slim` or `python:3.12-alpine`", "distroless")]
    [InlineData("FROM node:22", "`node:22-slim` or `node:22-alpine`", "Chainguard")]
    [InlineData("FROM debian:bookworm", "`debian:bookworm-slim`", "alpine")]
    [InlineData("FROM openjdk:17-jdk", "`eclipse-temurin:17-jre`", "openjdk:17-slim")]
    [InlineData("FROM php:8.3-apache", "`php:8.3-fpm-alpine`", "php:8.3-slim")]
    [InlineData("FROM golang:1.23", "gcr.io/distroless/static-debian12", "golang:1.23-slim")]
    [InlineData("FROM registry.access.redhat.com/ubi9/ubi:9.4", "`ubi9/ubi-minimal`", "alpine")]
    [InlineData("FROM centos:7", "`rockylinux:9-minimal`", "ubi-micro` or")]
    public void Base_image_suggestions_name_variants_that_exist(string from, string suggested, string absent)
    {
        var finding = Assert.Single(Run("base-image-not-minimal", from + "\nCMD [\"/app\"]\n"));
        Assert.Contains(suggested, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FROM python:2.7.14-windowsservercore")]
    [InlineData("FROM python:3.12-slim")]
    [InlineData("FROM gcr.io/distroless/python3-debian12")]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled")]
    public void Minimal_and_windows_bases_get_no_suggestion(string from) =>
        Assert.Empty(Run("base-image-not-minimal", from + "\nCMD [\"/app\"]\n"));
}
