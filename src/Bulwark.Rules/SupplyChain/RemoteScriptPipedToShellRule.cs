using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Parsing.Shell;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.SupplyChain;

public sealed class RemoteScriptPipedToShellRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2007",
        Slug = "remote-script-piped-to-shell",
        Title = "Downloaded script piped straight into a shell",
        Severity = Severity.Medium,
        Category = "Supply chain",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            `curl … | sh` runs whatever the server sends at build time, as root, with nothing to check it
            against: a compromised download site, a hijacked domain or a man in the middle (with TLS checks off)
            owns the image. A truncated download can also run half a script.
            """,
        Remediation = "Download to a file, verify a pinned checksum or signature, then run it: `curl -fsSLo install.sh https://… && echo \"<sha256>  install.sh\" | sha256sum -c - && sh install.sh`; better, install a versioned package.",
        References =
        [
            new("OpenSSF", "Scorecard: Pinned-Dependencies (downloadThenRun)", "https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies"),
            new("NIST SP 800-190", "4.1.4: Embedded malware"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM debian:12-slim
                RUN curl -fsSL https://example.com/install.sh | sh # expect: BW2007
                RUN set -eux; \
                    wget -qO- https://example.com/setup \ # expect: BW2007
                      | sudo -E bash -
                RUN bash -c "$(curl -fsSL https://example.com/get.sh)" # expect: BW2007
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM debian:12-slim
                RUN curl -fsSLo /tmp/install.sh https://example.com/install-1.2.3.sh \
                    && echo "0d2a3e0ba2c2e9e33d3b8e5f1c3a3c1fd0d3d7b6b1a1f6f0a5e2cb8d44e7a011  /tmp/install.sh" | sha256sum -c - \
                    && sh /tmp/install.sh
                RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
                """),
        ],
    };

    private static readonly HashSet<string> Interpreters = new(StringComparer.Ordinal) { "python", "python2", "python3", "perl", "ruby", "node", "php" };

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
            if (command.IsAny("curl", "wget") && command.PipedTo is { } consumer && RunsStandardInput(consumer))
            {
                context.Report(Descriptor, target, DockerfileScope.At(target, command, command.CommandWord),
                    $"The output of {command.Name} is piped into {consumer.Name}: a downloaded script runs unverified.");
            }
            else if (ShellCommandParser.IsShell(command.Name)
                && command.Arguments.FirstOrDefault(w => Downloads(w.Raw)) is { } word)
            {
                context.Report(Descriptor, target, DockerfileScope.At(target, command, word),
                    $"{command.Name} runs the output of a download: a downloaded script runs unverified.");
            }
        }
    }

    private static bool RunsStandardInput(ShellCommand consumer)
    {
        if (ShellCommandParser.IsShell(consumer.Name))
        {
            // `sh -c 'script'` reads no script from its input, and `sh file` runs the file; `sh`, `sh -s`, `sh -` read it.
            return consumer.FindShortOption('c') is null
                && (consumer.FindShortOption('s') is not null || consumer.FirstOperand is null || consumer.FirstOperand.Value == "-");
        }

        return Interpreters.Contains(consumer.Name) && (consumer.FirstOperand is null || consumer.FirstOperand.Value == "-");
    }

    private static bool Downloads(string raw) =>
        raw.Contains("$(curl", StringComparison.Ordinal) || raw.Contains("$(wget", StringComparison.Ordinal)
        || raw.Contains("`curl", StringComparison.Ordinal) || raw.Contains("`wget", StringComparison.Ordinal)
        || raw.Contains("<(curl", StringComparison.Ordinal) || raw.Contains("<(wget", StringComparison.Ordinal);
}
