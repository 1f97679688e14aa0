using Bulwark.Core.Findings;
using Bulwark.Core.Rules;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>A Dockerfile is a scan target: Dockerfile rules judge it (final-stage aware) as a whole.</summary>
public sealed partial class DockerfileDocument : IScanTarget
{
    SourceKind IScanTarget.Source => SourceKind.Dockerfile;

    SourceLocation IScanTarget.Location => new(File, 1, 1);

    int IScanTarget.Document => 0;

    ObjectReference IScanTarget.Object => _object ??= new ObjectReference(null, "Dockerfile", null, FinalStage?.Name ?? System.IO.Path.GetFileName(File));

    private ObjectReference? _object;

    /// <summary>The text of the file, for inline suppression comments.</summary>
    public string Text => string.Join('\n', Lines);
}
