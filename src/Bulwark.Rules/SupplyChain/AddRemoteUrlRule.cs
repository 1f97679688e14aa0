using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.SupplyChain;

public sealed class AddRemoteUrlRule : Rule<DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2006",
        Slug = "add-remote-url",
        Title = "ADD downloads a remote file without a checksum",
        Severity = Severity.Medium,
        Category = "Supply chain",
        Sources = [SourceKind.Dockerfile],
        Rationale = """
            `ADD https://…` puts whatever the server returns at build time into the image, unverified: a
            compromised or changed download lands in every later build. Without `--checksum` nothing pins the
            content, and the download is not cached the way a verified one is.
            """,
        Remediation = "Pin the download with `ADD --checksum=sha256:… https://…`, or download in a RUN step that verifies a checksum or signature (`curl -fsSLo f https://… && echo \"<sha256>  f\" | sha256sum -c -`).",
        References =
        [
            new("CIS Docker Benchmark", "4.9: Ensure that COPY is used instead of ADD in Dockerfiles"),
            new("Docker documentation", "Dockerfile reference: ADD --checksum", "https://docs.docker.com/reference/dockerfile/#add---checksum"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM alpine:3.20
                ADD https://example.com/tool-1.2.3.tar.gz /opt/ # expect: BW2006
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.3.tar.gz /opt/
                """),
        ],
    };

    public static bool IsRemote(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || source.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("git@", StringComparison.Ordinal)
        || source.StartsWith("git://", StringComparison.OrdinalIgnoreCase);

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var instruction in target.Instructions)
        {
            if (instruction.Keyword != "ADD" || instruction.Arguments.Count < 2 || instruction.HasFlag("checksum"))
            {
                continue;
            }

            foreach (var source in instruction.Arguments.Take(instruction.Arguments.Count - 1))
            {
                if (source.Value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.Value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    || source.Value.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase))
                {
                    var plain = source.Value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? string.Empty : " over an unencrypted connection";
                    context.Report(Descriptor, target, DockerfileScope.At(instruction, source),
                        $"ADD downloads {source.Value}{plain} without --checksum; its content is not verified.");
                }
            }
        }
    }
}
