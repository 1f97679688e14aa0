using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Documents;

namespace Bulwark.Scanning.Sources;

/// <summary>
/// Dockerfiles: by any common name (<c>Dockerfile</c>, <c>Containerfile</c>, <c>Dockerfile-alpine</c>,
/// <c>prod.Dockerfile</c>, …) when some line of the file is an instruction, and by content whatever the name (a file
/// named on the command line or piped in that starts with <c>FROM</c> or <c>ARG</c>).
/// </summary>
public sealed class DockerfileSource : ISourceReader
{
    public string Name => "Dockerfile";

    public bool IsCandidateName(string path) => DockerfileDocument.IsDockerfileName(path);

    public bool Recognizes(InputContent input) =>
        DockerfileDocument.IsDockerfileName(input.Path)
            ? DockerfileDocument.HasInstructionLine(input.Text)
            : !ManifestSource.IsManifestName(input.Path) && DockerfileDocument.LooksLikeDockerfile(input.Text);

    public void Read(InputContent input, ScanOptions options, ScanEngine.ParsedInput into)
    {
        var document = DockerfileDocument.Parse(input.Path, input.Bytes);
        into.File = new SourceFile { Path = input.Path, Text = document.Text };
        Add(document, into);
    }

    /// <summary>A Dockerfile as one target, or only its errors when BuildKit would reject it.</summary>
    internal static void Add(DockerfileDocument document, ScanEngine.ParsedInput into)
    {
        into.Errors.AddRange(document.Errors);
        if (document.Syntax.Succeeded)
        {
            into.Targets.Add(document);
        }
    }

    /// <summary>The input record of a Dockerfile read on its own.</summary>
    public static ScanEngine.ParsedInput Input(DockerfileDocument document)
    {
        var result = new ScanEngine.ParsedInput { File = new SourceFile { Path = document.File, Text = document.Text } };
        Add(document, result);
        return result;
    }
}
