using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Build;

public sealed class AptInstallRecommendsRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2003",
        Slug = "apt-install-recommends",
        Title = "apt-get install pulls in recommended packages",
        Severity = Severity.Low,
        Category = "Images",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            By default apt also installs every package the requested ones merely recommend: often dozens of
            extra packages (documentation tools, X libraries, compilers) that the application never runs but that
            enlarge the image and its attack surface and bring their own vulnerabilities.
            """,
        Remediation = "Use `apt-get install -y --no-install-recommends …` (or set `APT::Install-Recommends \"false\";` in /etc/apt/apt.conf.d/ before installing).",
        References =
        [
            new("Docker documentation", "Best practices for writing Dockerfiles: apt-get", "https://docs.docker.com/build/building/best-practices/#apt-get"),
            new("CIS Docker Benchmark", "4.3: Ensure that unnecessary packages are not installed in the container"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM debian:12-slim
                RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* # expect: BW2003
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM debian:12-slim
                RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
                RUN apt-get update && apt-get -o APT::Install-Recommends=false install -y ca-certificates && rm -rf /var/lib/apt/lists/*
                RUN apt-get update && apt-get install --simulate curl && apt-get install -y --download-only -o Dir::Cache::archives=/debs curl
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
        var commands = DockerfileScope.Commands(target, DockerfileScope.FinalImageStages(target).Reverse()).ToList();

        // An apt configuration written by an earlier command (echo 'APT::Install-Recommends "0";' > …) turns them off.
        var configured = false;
        foreach (var (_, command) in commands)
        {
            if (command.Words.Any(w => w.Value.Contains("Install-Recommends", StringComparison.OrdinalIgnoreCase))
                && !command.IsAny("apt-get", "apt"))
            {
                configured = true;
            }

            if (configured || PackageManagerCommand.Read(command) is not { Manager: "apt", Installs: true, Subcommand.Value: "install" }
                || command.Is("aptitude")
                || command.HasOption("--no-install-recommends")
                || command.Arguments.Any(w => w.Value.Contains("Install-Recommends", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            context.Report(Descriptor, target, DockerfileScope.At(target, command, command.CommandWord),
                $"{command.Name} install without --no-install-recommends also installs recommended packages.");
        }
    }
}
