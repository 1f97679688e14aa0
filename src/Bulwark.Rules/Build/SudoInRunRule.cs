using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Parsing.Shell;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Build;

public sealed class SudoInRunRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2008",
        Slug = "sudo-in-run",
        Title = "RUN uses sudo",
        Severity = Severity.Medium,
        Category = "Privileges",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            `sudo` in a build step means the image has sudo installed and a user allowed to use it: a
            non-root USER that can become root whenever it likes, which undoes the point of a non-root user. Its
            TTY and signal handling also make builds behave unpredictably.
            """,
        Remediation = "Run the privileged steps before switching away from root (`USER root` … `USER app`), and do not install or configure sudo in the image; to drop privileges at start-up use `gosu` or `su-exec`.",
        References =
        [
            new("CIS Docker Benchmark", "4.1: Ensure that a user for the container has been created"),
            new("Docker documentation", "Best practices for writing Dockerfiles: USER", "https://docs.docker.com/build/building/best-practices/#user"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM ubuntu:24.04
                USER ubuntu
                RUN sudo apt-get update # expect: BW2008
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM ubuntu:24.04
                RUN apt-get update
                USER ubuntu
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
        foreach (var (_, command) in DockerfileScope.Commands(target, target.Stages))
        {
            var sudo = command.Wrappers.FirstOrDefault(w => ShellCommandParser.BaseName(w.Value) == "sudo")
                ?? (command.Is("sudo") ? command.CommandWord : null);
            if (sudo is not null)
            {
                context.Report(Descriptor, target, DockerfileScope.At(target, command, sudo),
                    $"RUN uses sudo{(command.Is("sudo") ? string.Empty : " to run " + command.Name)}.");
            }
        }
    }
}
