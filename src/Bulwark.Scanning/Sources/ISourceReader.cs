namespace Bulwark.Scanning.Sources;

/// <summary>
/// One kind of input Bulwark reads — a Dockerfile, a Compose project, YAML/JSON manifests — recognised by name
/// and content and read into the targets rules judge. The engine has no branch per source: it asks the readers
/// of <see cref="SourceReaders"/> in turn, so a new source (images, admission reviews) is a reader of its own.
/// </summary>
public interface ISourceReader
{
    /// <summary>What the reader reads, for messages: "Dockerfile", "Compose file".</summary>
    string Name { get; }

    /// <summary>Whether a folder scan picks up a file of this name (its content then decides what it is).</summary>
    bool IsCandidateName(string path);

    /// <summary>Whether <paramref name="input"/> is of this reader's kind, by its name and content.</summary>
    bool Recognizes(InputContent input);

    /// <summary>Reads the input into <paramref name="into"/>: targets, objects, errors, warnings, skipped parts.</summary>
    void Read(InputContent input, ScanOptions options, ScanEngine.ParsedInput into);
}

/// <summary>One kind of YAML/JSON document (a Kubernetes object, <c>docker inspect</c> output, a seccomp profile).</summary>
public interface IDocumentReader
{
    /// <summary>What <c>--input-type</c> calls this kind of document.</summary>
    string InputType { get; }

    bool Recognizes(Parsing.Documents.SourceDocument document);

    void Read(Parsing.Documents.SourceDocument document, ScanOptions options, ScanEngine.ParsedInput into);
}

/// <summary>The registered readers, in the order they are asked, and the names <c>--input-type</c> takes.</summary>
public static class SourceReaders
{
    public static DockerfileSource Dockerfile { get; } = new();

    public static ComposeSource Compose { get; } = new();

    /// <summary>Document kinds, the most specific first; Kubernetes takes (or skips, saying why) any other document.</summary>
    public static IReadOnlyList<IDocumentReader> DocumentReaders { get; } = [new SeccompDocuments(), new DockerInspectDocuments(), new KubernetesDocuments()];

    public static ManifestSource Manifests { get; } = new(DocumentReaders);

    /// <summary>Asked in this order; the first that recognises an input reads it.</summary>
    public static IReadOnlyList<ISourceReader> All { get; } = [Dockerfile, Compose, Manifests];

    /// <summary>Values of <c>--input-type</c>.</summary>
    public static IReadOnlyList<string> InputTypes { get; } = ["dockerfile", "compose", .. DocumentReaders.Select(r => r.InputType)];

    /// <summary>The reader <c>--input-type NAME</c> forces, or null for an unknown name.</summary>
    public static ISourceReader? ForInputType(string name) => name switch
    {
        "dockerfile" => Dockerfile,
        "compose" => Compose,
        _ => DocumentReaders.FirstOrDefault(r => r.InputType == name) is { } document ? new ManifestSource([document]) : null,
    };

    /// <summary>Whether a folder scan picks up a file of this name.</summary>
    public static bool IsCandidateName(string path) => All.Any(r => r.IsCandidateName(path));
}
