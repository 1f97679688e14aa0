using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;

namespace Bulwark.Parsing.Images;

/// <summary>
/// A built image as rules judge it: the settings its config gives every container started from it (user,
/// environment, exposed ports, health check), the Dockerfile its build history records, and the credentials found
/// in its layers' files. The config is what a container gets, so the shared container rules read it rather than the
/// history; the history carries what only a Dockerfile says (how RUN steps install packages).
/// Findings about the config point at the image as a whole (<see cref="Name"/>, line 0); findings in the history
/// point at its lines.
/// </summary>
public sealed class ContainerImage : IScanTarget
{
    /// <summary>The image as the user named it (<c>docker-archive:app.tar</c>, <c>registry:nginx:1.27</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The image name and tag the scan was asked for, or the archive's tag; null for an archive that names none.</summary>
    public ImageReference? Reference { get; init; }

    /// <summary>Where <see cref="Reference"/> came from, for messages ("the reference scanned", "the archive's tag").</summary>
    public string? ReferenceOrigin { get; init; }

    /// <summary>False for an unpacked root filesystem (<c>dir:</c>), which has no config: the config rules then say nothing.</summary>
    public bool HasConfig { get; init; } = true;

    /// <summary>The config's <c>User</c>; null or empty means root.</summary>
    public string? User { get; init; }

    /// <summary>The config's <c>Env</c>, in order, split at the first '=' (a value null when there is none).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Environment { get; init; } = [];

    /// <summary>The config's <c>ExposedPorts</c> keys: <c>80/tcp</c>, <c>22</c>.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    /// <summary>The config's health check test (<c>["CMD-SHELL", "…"]</c>, <c>["NONE"]</c>); null when the image has none.</summary>
    public IReadOnlyList<string>? Healthcheck { get; init; }

    /// <summary><c>linux</c>, <c>windows</c>; null when the config does not say.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary>The build history as a Dockerfile (line N+1 is history entry N; line 1 stands for the empty start); null without history.</summary>
    public DockerfileDocument? History { get; init; }

    /// <summary>Credentials found in the layers' files, deleted ones included.</summary>
    public IReadOnlyList<ImageFileSecret> Secrets { get; init; } = [];

    /// <summary>The installed packages' known vulnerabilities; empty when none, or when no vulnerability data was loaded.</summary>
    public IReadOnlyList<VulnerabilityDetail> Vulnerabilities { get; init; } = [];

    public SourceKind Source => SourceKind.Image;

    public SourceLocation Location => SourceLocation.WholeFile(Name);

    public int Document => 0;

    public ObjectReference Object => new(null, "Image", null, Name);
}

/// <summary>
/// A credential in a file of a layer: the file's path (from the image root), the layer (0 = bottom) and its
/// diff_id, the 1-based line (0 for a file that is a credential by what it is), what it is (<c>"a private key"</c>),
/// the detector's class name (<c>Credential</c>, <c>Secret</c>, <c>WeakSecret</c>, <c>Placeholder</c>), and whether a
/// later layer deletes or replaces the file (it is still in the image, in its layer).
/// </summary>
public sealed record ImageFileSecret(string Path, int Layer, string? LayerDiffId, int Line, string Kind, string Class, bool Hidden);
