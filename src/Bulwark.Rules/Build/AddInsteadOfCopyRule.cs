using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.SupplyChain;

namespace Bulwark.Rules.Build;

public sealed class AddInsteadOfCopyRule : Rule<DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2005",
        Slug = "add-instead-of-copy",
        Title = "ADD used to copy local files",
        Severity = Severity.Low,
        Category = "Supply chain",
        Sources = [SourceKind.Dockerfile],
        Rationale = """
            ADD does more than copy: it fetches URLs and unpacks local archives. Used for plain files it hides
            that behaviour, and a file that later turns into an archive (or a path that turns into a URL) is
            silently extracted or downloaded into the image. COPY does only what it says. Local archives that
            are meant to be unpacked are not reported; sources are read as BuildKit reads them, with ARG and ENV
            values expanded and quotes removed (`ADD "$DIST/app.tar.gz" /opt/` unpacks an archive).
            """,
        Remediation = "Use COPY for files and directories from the build context; keep ADD for archives that must be extracted (and see `add-remote-url` for downloads).",
        References =
        [
            new("CIS Docker Benchmark", "4.9: Ensure that COPY is used instead of ADD in Dockerfiles"),
            new("Docker documentation", "Best practices for writing Dockerfiles: ADD or COPY", "https://docs.docker.com/build/building/best-practices/#add-or-copy"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM alpine:3.20
                ADD app.py requirements.txt /app/ # expect: BW2005
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                ARG DIST=target/release
                COPY app.py requirements.txt /app/
                ADD rootfs.tar.gz /
                ADD "${DIST}/app.tar.gz" /opt/app/
                """),
        ],
    };

    private static readonly string[] ArchiveExtensions = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma", ".gz", ".bz2", ".xz", ".zst"];

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var instruction in target.Instructions)
        {
            if (instruction.Keyword != "ADD" || instruction.Arguments.Count < 2)
            {
                continue;
            }

            var sources = AddRemoteUrlRule.Sources(instruction).ToList();
            if (sources.Any(s => s.Heredoc is null && (AddRemoteUrlRule.IsRemote(s.Path) || s.Unknown
                || ArchiveExtensions.Any(e => s.Path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))))
            {
                continue;
            }

            var names = sources.Select(s => s.Heredoc is { } name ? $"an inline file (<<{name})" : s.Path);
            context.Report(Descriptor, target, instruction.Location, $"ADD copies {string.Join(", ", names)}; COPY does the same without ADD's implicit extraction and downloads.");
        }
    }
}
