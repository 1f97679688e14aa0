using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Shell;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Build;

public sealed class PackageCacheNotCleanedRule : Rule<DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2002",
        Slug = "package-cache-not-cleaned",
        Title = "Package manager cache left in the image",
        Severity = Severity.Low,
        Category = "Images",
        Sources = [SourceKind.Dockerfile],
        Rationale = """
            Package indexes and downloaded packages (apt lists, `/var/cache/apk`, yum/dnf/zypper caches,
            `~/.cache/pip`) are useless at run time but stay in the layer of the RUN that made them: a later RUN
            that deletes them cannot shrink that layer. They make the image bigger, slower to pull and to scan,
            and keep stale package metadata around. Only stages that end up in the final image are judged.
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
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM debian:12-slim
                RUN apt-get update \
                    && apt-get install -y --no-install-recommends python3-pip \
                    && rm -rf /var/lib/apt/lists/*
                RUN pip install --no-cache-dir flask==3.0.3
                RUN apk add --no-cache curl
                RUN --mount=type=cache,target=/var/cache/dnf dnf install -y git
                """),
        ],
    };

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var stage in DockerfileScope.FinalImageStages(target))
        {
            foreach (var run in stage.InstructionsOf("RUN"))
            {
                var commands = DockerfileScope.Commands(target, run).ToList();
                foreach (var command in commands)
                {
                    if (Problem(run, command, commands) is { } problem)
                    {
                        context.Report(Descriptor, target, DockerfileScope.At(target, command, command.CommandWord), problem.Message, remediation: problem.Fix);
                    }
                }
            }
        }
    }

    private static (string Message, string Fix)? Problem(DockerfileInstruction run, ShellCommand command, List<ShellCommand> commands)
    {
        switch (command.Name)
        {
            case "apt-get" or "apt" when DockerfileScope.Subcommand(command, "-o", "-c", "-t", "--option", "--target-release") is { Value: "install" or "upgrade" or "dist-upgrade" or "full-upgrade" }:
                if (DockerfileScope.Mentions(commands, "/var/lib/apt/lists", command) || DockerfileScope.HasCacheMount(run, "/var/lib/apt/lists")
                    || commands.Any(c => c.IsAny("apt-get", "apt") && c.FirstOperand is { Value: "distclean" or "dist-clean" }))
                {
                    return null;
                }

                return ($"{command.Name} installs packages but this RUN does not remove /var/lib/apt/lists.",
                    "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount the lists as a cache (`RUN --mount=type=cache,target=/var/lib/apt/lists …`).");

            // `apk add` fetches the package index when it has none and keeps it in /var/cache/apk unless told not to.
            case "apk" when DockerfileScope.Subcommand(command, "-X", "--repository", "-p", "--root", "-t", "--virtual") is { Value: "add" }:
                if (command.HasOption("--no-cache", "--no-network") || DockerfileScope.Mentions(commands, "/var/cache/apk", command)
                    || DockerfileScope.HasCacheMount(run, "/var/cache/apk") || commands.Any(c => c.Is("apk") && c.FirstOperand is { Value: "cache" }))
                {
                    return null;
                }

                return ("apk add without --no-cache leaves the package index in /var/cache/apk.", "Use `apk add --no-cache …` (it also makes `apk update` unnecessary), or remove /var/cache/apk/* in the same RUN.");

            case "yum" or "dnf" or "microdnf" or "tdnf" when DockerfileScope.Subcommand(command, "--setopt", "--enablerepo", "--disablerepo", "--installroot", "--releasever", "-c", "--config")
                is { Value: "install" or "groupinstall" or "localinstall" or "reinstall" or "update" or "upgrade" }:
                if (commands.Any(c => c.IsAny("yum", "dnf", "microdnf", "tdnf") && c.FirstOperand is { Value: "clean" })
                    || DockerfileScope.Mentions(commands, "/var/cache/yum", command) || DockerfileScope.Mentions(commands, "/var/cache/dnf", command)
                    || DockerfileScope.HasCacheMount(run, "/var/cache/" + (command.Name == "yum" ? "yum" : "dnf")))
                {
                    return null;
                }

                return ($"{command.Name} {DockerfileScope.Subcommand(command, "--setopt")?.Value} leaves its cache in the image.", $"End the same RUN with `&& {command.Name} clean all` (and remove /var/cache/{(command.Name == "yum" ? "yum" : "dnf")}).");

            case "zypper" when DockerfileScope.Subcommand(command, "--root", "-R", "--repo", "-r") is { Value: "install" or "in" or "update" or "up" or "patch" or "dist-upgrade" or "dup" }:
                if (commands.Any(c => c.Is("zypper") && DockerfileScope.Subcommand(c) is { Value: "clean" or "cc" })
                    || DockerfileScope.Mentions(commands, "/var/cache/zypp", command) || DockerfileScope.HasCacheMount(run, "/var/cache/zypp"))
                {
                    return null;
                }

                return ("zypper installs packages but this RUN does not clean its cache.", "End the same RUN with `&& zypper clean --all`.");

            default:
                if (IsPipInstall(command) && !command.HasOption("--no-cache-dir") && !PipCacheDisabled(run, command, commands))
                {
                    return ("pip install without --no-cache-dir keeps downloaded packages in ~/.cache/pip.",
                        "Use `pip install --no-cache-dir …` (or set `ENV PIP_NO_CACHE_DIR=1`, or mount the cache: `RUN --mount=type=cache,target=/root/.cache/pip …`).");
                }

                return null;
        }
    }

    private static bool IsPipInstall(ShellCommand command)
    {
        var name = command.Name;
        if (name.StartsWith("pip", StringComparison.Ordinal) && (name.Length == 3 || char.IsAsciiDigit(name[3])))
        {
            return DockerfileScope.Subcommand(command, "-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f", "--find-links") is { Value: "install" };
        }

        if (name.StartsWith("python", StringComparison.Ordinal))
        {
            var args = command.Arguments.Select(w => w.Value).ToList();
            var m = args.IndexOf("-m");
            return m >= 0 && m + 2 < args.Count && args[m + 1] == "pip" && args[m + 2] == "install";
        }

        return false;
    }

    private static bool PipCacheDisabled(DockerfileInstruction run, ShellCommand command, List<ShellCommand> commands) =>
        DockerfileScope.EnvVariable(run, "PIP_NO_CACHE_DIR") is { Length: > 0 }
        || command.Assignments.Any(a => ShellCommandParser.AssignmentName(a) == "PIP_NO_CACHE_DIR")
        || run.Mounts.Any(m => m.Type is "cache" or "tmpfs" && m.Target is { } t && t.Contains(".cache", StringComparison.Ordinal))
        || DockerfileScope.Mentions(commands, "/root/.cache", command) || DockerfileScope.Mentions(commands, "~/.cache", command)
        || commands.Any(c => IsPipCachePurge(c));

    private static bool IsPipCachePurge(ShellCommand c) =>
        c.Name.StartsWith("pip", StringComparison.Ordinal) && DockerfileScope.Subcommand(c) is { Value: "cache" };
}
