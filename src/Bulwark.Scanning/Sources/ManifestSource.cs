using Bulwark.Parsing.Documents;

namespace Bulwark.Scanning.Sources;

/// <summary>
/// YAML and JSON files of documents — Kubernetes manifests, <c>docker inspect</c> output, seccomp profiles — each
/// document read by the first document reader that recognises it (or, when <c>--input-type</c> names one, by that
/// reader alone).
/// </summary>
public sealed class ManifestSource(IReadOnlyList<IDocumentReader> readers) : ISourceReader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static bool IsManifestName(string path) => Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public string Name => "YAML or JSON manifest";

    public bool IsCandidateName(string path) => IsManifestName(path);

    /// <summary>A YAML/JSON name, or content that reads as YAML or JSON (a manifest piped in or named oddly).</summary>
    public bool Recognizes(InputContent input) => IsManifestName(input.Path) || input.Documents.IsComplete;

    public void Read(InputContent input, ScanOptions options, ScanEngine.ParsedInput into)
    {
        var file = input.Documents;
        into.File = file;
        if (file.Errors.Count > 0 && TemplateMarkers.Find(file.Text) is var (line, column))
        {
            // The syntax errors of a template say nothing useful; what the user must do is render it.
            into.Errors.Add(new Core.Findings.InputError(file.Path, line, column,
                $"looks like a Helm or Go template ({{{{ … }}}} at line {line}), not YAML yet: {TemplateMarkers.RenderFirst}; the YAML reader said at line {file.Errors[0].Line}: {file.Errors[0].Message}"));
        }
        else
        {
            into.Errors.AddRange(file.Errors);
        }

        foreach (var document in file.Documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            var reader = readers.FirstOrDefault(r => r.Recognizes(document));
            if (reader is null)
            {
                // Only when --input-type forced a kind the document is not.
                into.Errors.Add(new Core.Findings.InputError(file.Path, document.Root.Line, document.Root.Column,
                    $"document {document.Index + 1} is not {readers[0].InputType} input (--input-type {readers[0].InputType})"));
                continue;
            }

            reader.Read(document, options, into);
        }

        SeccompDocuments.AddReferencedProfiles(into, input.IsStandardInput ? null : Path.GetDirectoryName(Path.GetFullPath(file.Path)), options);
    }
}
