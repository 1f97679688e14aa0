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
            content, and the download is not cached the way a verified one is. Sources are read as BuildKit
            reads them: `ADD $URL` with `ARG URL=https://…` downloads, and so does a quoted URL. A Git source pinned
            to a full commit hash names one tree and is not reported; a branch or tag can be moved.
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
                ARG INSTALLER_URL=https://example.com/install-2.0.sh
                ADD ${INSTALLER_URL} /tmp/install.sh # expect: BW2006
                ADD "https://github.com/example/plugin.git#v1.4.0" /src/plugin # expect: BW2006
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.3.tar.gz /opt/
                ADD https://github.com/example/plugin.git#3f2c1b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e /src/plugin
                """),
        ],
    };

    public static bool IsRemote(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || source.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("git@", StringComparison.Ordinal)
        || source.StartsWith("git://", StringComparison.OrdinalIgnoreCase);

    /// <summary>One source of a COPY or ADD as BuildKit reads it: ARG and ENV values expanded, quotes removed.</summary>
    /// <param name="Path">The source after expansion.</param>
    /// <param name="Argument">The argument as written, with its position.</param>
    /// <param name="Heredoc">The delimiter when the source is an inline file (<c>&lt;&lt;EOF</c>), else null.</param>
    /// <param name="Unknown">True when the source uses a variable that has no value in the file (an ARG without a default).</param>
    internal sealed record Source(string Path, DockerfileArgument Argument, string? Heredoc, bool Unknown);

    /// <summary>The sources of a COPY or ADD (every argument but the destination).</summary>
    internal static IEnumerable<Source> Sources(DockerfileInstruction instruction)
    {
        var written = instruction.Node.ArgumentValues;
        for (var i = 0; i < instruction.Arguments.Count - 1 && i < written.Count; i++)
        {
            var argument = instruction.Arguments[i];
            if (DockerfileParser.TryParseHeredoc(written[i]) is { } heredoc)
            {
                yield return new Source(written[i], argument, heredoc.Name, false);
                continue;
            }

            var path = i < instruction.ExpandedArguments.Count ? instruction.ExpandedArguments[i] : written[i];
            var unknown = written[i].Contains('$', StringComparison.Ordinal) && instruction.UnsetVariables.Count > 0;
            yield return new Source(path, argument, null, unknown);
        }
    }

    private static bool IsGit(string url)
    {
        var end = url.IndexOfAny(['#', '?']);
        return (end < 0 ? url : url[..end]).EndsWith(".git", StringComparison.OrdinalIgnoreCase);
    }

    // A full commit hash names exactly one tree, as a checksum would: `repo.git#<sha>[:dir]`, `?ref=<sha>` or `?commit=<sha>`.
    private static bool IsGitPinnedToCommit(string url)
    {
        if (!IsGit(url))
        {
            return false;
        }

        var hash = url.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0 && IsCommitHash(url[(hash + 1)..].Split(':')[0]))
        {
            return true;
        }

        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 && url[(query + 1)..].Split('#')[0].Split('&').Any(p => (p.StartsWith("ref=", StringComparison.Ordinal) || p.StartsWith("commit=", StringComparison.Ordinal))
            && IsCommitHash(p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]));
    }

    private static bool IsCommitHash(string text) => text.Length is 40 or 64 && text.All(char.IsAsciiHexDigit);

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var instruction in target.Instructions)
        {
            if (instruction.Keyword != "ADD" || instruction.Arguments.Count < 2 || instruction.HasFlag("checksum"))
            {
                continue;
            }

            foreach (var source in Sources(instruction))
            {
                var url = source.Path;
                if (source.Heredoc is null && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    || url.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase)))
                {
                    if (IsGitPinnedToCommit(url))
                    {
                        continue;
                    }

                    var plain = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? string.Empty : " over an unencrypted connection";
                    var written = source.Argument.Value;
                    var from = written.Contains('$', StringComparison.Ordinal) && !IsRemote(written.TrimStart('"', '\'')) ? $" (the value of {written})" : string.Empty;
                    var (message, fix) = IsGit(url)
                        ? ($"ADD clones {url}{from}{plain} at a branch or tag, which can be moved to other content.",
                            "Pin the repository to a full commit hash (`ADD https://…/repo.git#<commit-sha>` or `?commit=<commit-sha>`).")
                        : ($"ADD downloads {url}{from}{plain} without --checksum; its content is not verified.", (string?)null);
                    context.Report(Descriptor, target, DockerfileScope.At(instruction, source.Argument), message, remediation: fix);
                }
            }
        }
    }
}
