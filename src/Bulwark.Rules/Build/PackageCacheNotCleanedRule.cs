using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Parsing.Shell;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Build;

public sealed class PackageCacheNotCleanedRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2002",
        Slug = "package-cache-not-cleaned",
        Title = "Package manager cache left in the image",
        Severity = Severity.Low,
        Category = "Images",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            Package indexes and downloaded packages (apt lists, `/var/cache/apk`, yum/dnf/zypper caches,
            `~/.cache/pip`) are useless at run time but stay in the layer of the RUN that made them: a later RUN
            that deletes them cannot shrink that layer. They make the image bigger, slower to pull and to scan,
            and keep stale package metadata around. A RUN is reported once, naming every package manager that
            left a cache in it. Commands that install nothing (`apt-get install -s`, `apt-get download`,
            `dnf install --downloadonly`, `pip download`, `apk index`) are not installs. Only stages that end up in
            the final image are judged.
            """,
        Remediation = "Clean up in the same RUN that installs: `pip install --no-cache-dir`, `apk add --no-cache`, `apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*`, `… && dnf clean all`, `… && zypper clean --all`; or use a cache mount (`RUN --mount=type=cache,target=/var/cache/apt …`).",
        References =
        [
            new("Docker documentation", "Best practices for writing Dockerfiles: apt-get", "https://docs.docker.com/build/building/best-practices/#apt-get"),
            new("CIS Docker Benchmark", "4.3: Ensure that unnecessary packages are not installed in the container"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM debian:12-slim
                RUN apt-get update \
                    && apt-get install -y --no-install-recommends python3-pip # expect: BW2002
                RUN pip install flask==3.0.3 # expect: BW2002
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM alpine:3.20
                RUN apk update && apk add curl # expect: BW2002
                RUN apk add -U git # expect: BW2002
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM python:3.12-slim
                RUN apt-get update \
                    && apt-get install -y --no-install-recommends libpq5 \ # expect: BW2002
                    && pip install psycopg==3.2.1 \
                    && pip install gunicorn==23.0.0
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM debian:12-slim
                RUN apt-get update \
                    && apt-get install -y --no-install-recommends python3-pip \
                    && rm -rf /var/lib/apt/lists/*
                RUN pip install --no-cache-dir flask==3.0.3
                RUN apk add --no-cache curl
                RUN --mount=type=cache,target=/var/cache/dnf dnf install -y git
                RUN apt-get update && apt-get download libssl3 && rm -rf /var/lib/apt/lists/*
                RUN apt-get install -s --no-install-recommends nginx | grep '^Inst'
                RUN pip download --no-deps --dest /wheels flask==3.0.3
                """),
        ],
    };

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        // A built image's RUN steps are in its history, written back as a Dockerfile.
        if (target.History is { } history)
        {
            Evaluate(history, context);
        }
    }

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var stage in DockerfileScope.FinalImageStages(target))
        {
            foreach (var run in stage.InstructionsOf("RUN"))
            {
                var commands = DockerfileScope.Commands(target, run).ToList();

                // One finding per RUN: the layer is what keeps the caches, however many commands filled them.
                var first = (ShellCommand?)null;
                var caches = new List<Cache>();
                foreach (var command in commands)
                {
                    if (PackageManagerCommand.Read(command) is { Installs: true } install && LeftBehind(run, install, commands) is { } cache)
                    {
                        first ??= command;
                        if (!caches.Any(c => c.Manager == cache.Manager))
                        {
                            caches.Add(cache);
                        }
                    }
                }

                if (first is null)
                {
                    continue;
                }

                var message = caches is [var only]
                    ? only.Message
                    : $"This RUN leaves package caches in the image: {string.Join(", ", caches.Select(c => $"{c.Name} ({c.Path})"))}.";
                context.Report(Descriptor, target, DockerfileScope.At(target, first, first.CommandWord), message, remediation: string.Join(" ", caches.Select(c => c.Fix)));
            }
        }
    }

    /// <summary>What a package manager left in the layer: its family, the command name, where, and the fix.</summary>
    private sealed record Cache(string Manager, string Name, string Path, string Message, string Fix);

    private static Cache? LeftBehind(DockerfileInstruction run, PackageManagerCommand install, List<ShellCommand> commands)
    {
        var command = install.Command;
        switch (install.Manager)
        {
            case "apt":
                if (DockerfileScope.Mentions(commands, "/var/lib/apt/lists", command) || DockerfileScope.HasCacheMount(run, "/var/lib/apt/lists")
                    || commands.Any(c => PackageManagerCommand.Read(c) is { Manager: "apt", Subcommand.Value: "distclean" or "dist-clean" }))
                {
                    return null;
                }

                return new("apt", command.Name, "/var/lib/apt/lists", $"{command.Name} installs packages but this RUN does not remove /var/lib/apt/lists.",
                    "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount the lists as a cache (`RUN --mount=type=cache,target=/var/lib/apt/lists …`).");

            // `apk add` fetches the package index when it has none and keeps it in /var/cache/apk unless told not to.
            case "apk":
                if (command.HasOption("--no-cache", "--no-network") || DockerfileScope.Mentions(commands, "/var/cache/apk", command)
                    || DockerfileScope.HasCacheMount(run, "/var/cache/apk") || commands.Any(c => PackageManagerCommand.Read(c) is { Manager: "apk", Subcommand.Value: "cache" }))
                {
                    return null;
                }

                return new("apk", "apk", "/var/cache/apk", $"apk {install.Subcommand?.Value} without --no-cache leaves the package index in /var/cache/apk.",
                    "Use `apk add --no-cache …` (it also makes `apk update` unnecessary), or remove /var/cache/apk/* in the same RUN.");

            case "dnf":
                var cacheDirectory = "/var/cache/" + (command.Name == "yum" ? "yum" : "dnf");
                if (commands.Any(c => PackageManagerCommand.Read(c) is { Manager: "dnf", Subcommand.Value: "clean" })
                    || DockerfileScope.Mentions(commands, "/var/cache/yum", command) || DockerfileScope.Mentions(commands, "/var/cache/dnf", command)
                    || DockerfileScope.HasCacheMount(run, cacheDirectory))
                {
                    return null;
                }

                return new("dnf", command.Name, cacheDirectory, $"{command.Name} {install.Subcommand?.Value} leaves its cache in the image.",
                    $"End the same RUN with `&& {command.Name} clean all` (and remove {cacheDirectory}).");

            case "zypper":
                if (commands.Any(c => PackageManagerCommand.Read(c) is { Manager: "zypper", Subcommand.Value: "clean" or "cc" })
                    || DockerfileScope.Mentions(commands, "/var/cache/zypp", command) || DockerfileScope.HasCacheMount(run, "/var/cache/zypp"))
                {
                    return null;
                }

                return new("zypper", "zypper", "/var/cache/zypp", "zypper installs packages but this RUN does not clean its cache.", "End the same RUN with `&& zypper clean --all`.");

            case "pip":
                if (command.HasOption("--no-cache-dir") || PipCacheDisabled(run, command, commands))
                {
                    return null;
                }

                return new("pip", command.Name, "~/.cache/pip", "pip install without --no-cache-dir keeps downloaded packages in ~/.cache/pip.",
                    "Use `pip install --no-cache-dir …` (or set `ENV PIP_NO_CACHE_DIR=1`, or mount the cache: `RUN --mount=type=cache,target=/root/.cache/pip …`).");

            default:
                return null;
        }
    }

    private static bool PipCacheDisabled(DockerfileInstruction run, ShellCommand command, List<ShellCommand> commands) =>
        DockerfileScope.EnvVariable(run, "PIP_NO_CACHE_DIR") is { Length: > 0 }
        || command.Assignments.Any(a => ShellCommandParser.AssignmentName(a) == "PIP_NO_CACHE_DIR")
        || run.Mounts.Any(m => m.Type is "cache" or "tmpfs" && m.Target is { } t && t.Contains(".cache", StringComparison.Ordinal))
        || DockerfileScope.Mentions(commands, "/root/.cache", command) || DockerfileScope.Mentions(commands, "~/.cache", command)
        || commands.Any(c => PackageManagerCommand.Read(c) is { Manager: "pip", Subcommand.Value: "cache" });
}
