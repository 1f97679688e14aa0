using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Network;

public sealed class SshPortExposedRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2009",
        Slug = "ssh-port-exposed",
        Title = "Image exposes the SSH port",
        Severity = Severity.Medium,
        Category = "Host isolation",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            An SSH server in a container is a second way in, with its own keys and passwords to manage and
            its own vulnerabilities, and it usually means the container runs an init system and several
            processes. `docker exec` (or `kubectl exec`) gives the same access without a listening daemon.
            """,
        Remediation = "Remove `EXPOSE 22` and the SSH server; use `docker exec` / `kubectl exec` for access.",
        References =
        [
            new("CIS Docker Benchmark", "5.7: Ensure sshd is not run within containers"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM alpine:3.20
                EXPOSE 8080 22/tcp # expect: BW2009
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                EXPOSE 8080 2222-2223/udp
                """),
        ],
    };

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var stage in DockerfileScope.FinalImageStages(target))
        {
            foreach (var expose in stage.InstructionsOf("EXPOSE"))
            {
                for (var i = 0; i < expose.Arguments.Count; i++)
                {
                    var port = i < expose.ExpandedArguments.Count ? expose.ExpandedArguments[i] : expose.Arguments[i].Value;
                    if (IncludesSsh(port))
                    {
                        context.Report(Descriptor, target, DockerfileScope.At(expose, expose.Arguments[i]), $"EXPOSE {port} opens the SSH port.");
                    }
                }
            }
        }
    }

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        foreach (var port in target.ExposedPorts.Where(IncludesSsh))
        {
            context.Report(Descriptor, target, target.Location, $"The image config exposes {port}, the SSH port.");
        }
    }

    private static bool IncludesSsh(string port)
    {
        var slash = port.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!port[(slash + 1)..].Equals("tcp", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            port = port[..slash];
        }

        var dash = port.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return int.TryParse(port[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var low)
                && int.TryParse(port[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var high)
                && low <= 22 && 22 <= high;
        }

        return port == "22";
    }
}
