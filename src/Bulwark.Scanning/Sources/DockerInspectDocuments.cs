using Bulwark.Parsing.DockerInspect;
using Bulwark.Parsing.Documents;

namespace Bulwark.Scanning.Sources;

/// <summary><c>docker inspect</c> output (a container, or the JSON array of them, from Docker or Podman): the running state.</summary>
public sealed class DockerInspectDocuments : IDocumentReader
{
    public string InputType => "inspect";

    public bool Recognizes(SourceDocument document) => DockerInspectMapper.IsInspectOutput(document.Root);

    public void Read(SourceDocument document, ScanOptions options, ScanEngine.ParsedInput into) =>
        into.Targets.AddRange(DockerInspectMapper.Map(document));
}
