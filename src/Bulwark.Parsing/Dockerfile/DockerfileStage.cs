using Bulwark.Core.Findings;
using Bulwark.Core.Model;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>A build stage: its FROM line, base (image, <c>scratch</c> or an earlier stage) and instructions.</summary>
public sealed class DockerfileStage
{
    private readonly List<DockerfileInstruction> _instructions = [];

    public required int Index { get; init; }

    /// <summary>The stage name from <c>FROM … AS name</c>, lower-cased as BuildKit does; null when unnamed.</summary>
    public string? Name { get; init; }

    public required DockerfileInstruction From { get; init; }

    public SourceLocation Location => From.Location;

    /// <summary>The base as written (<c>${BASE}:${TAG}</c>).</summary>
    public required string BaseName { get; init; }

    /// <summary>The base after global ARG expansion; null when it could not be expanded.</summary>
    public string? ResolvedBaseName { get; internal set; }

    /// <summary>The earlier stage this one is built from, when the base names a stage.</summary>
    public DockerfileStage? BaseStage { get; internal set; }

    /// <summary>True when the base is the empty image <c>scratch</c> (directly or through base stages).</summary>
    public bool IsScratch => BaseStage?.IsScratch ?? ResolvedBaseName == "scratch";

    /// <summary>The base image when it is neither a stage nor scratch (through base stages, the root image).</summary>
    public ImageReference? BaseImage => BaseStage is not null ? BaseStage.BaseImage
        : ResolvedBaseName is { Length: > 0 } name && name != "scratch" ? ImageReference.Parse(name) : null;

    /// <summary>
    /// True when the base is a Windows image (through base stages): Windows Server Core or Nano Server, named in the
    /// repository or the tag (<c>mcr.microsoft.com/windows/servercore</c>, <c>node:20-windowsservercore</c>,
    /// <c>dotnet/aspnet:8.0-nanoserver-ltsc2022</c>, <c>stefanscherer/node-windows</c>). RUN goes to cmd there, and
    /// users work differently.
    /// </summary>
    public bool IsWindowsBase => BaseStage?.IsWindowsBase ?? (ResolvedBaseName is { } name
        && (name.Contains("windows", StringComparison.OrdinalIgnoreCase) || name.Contains("nanoserver", StringComparison.OrdinalIgnoreCase)
            || name.Contains("servercore", StringComparison.OrdinalIgnoreCase)));

    /// <summary><c>--platform</c> as written, and after expansion.</summary>
    public string? Platform { get; init; }

    public string? ResolvedPlatform { get; internal set; }

    /// <summary>Instructions after FROM, in order (ONBUILD triggers are inside their ONBUILD instruction).</summary>
    public IReadOnlyList<DockerfileInstruction> Instructions => _instructions;

    /// <summary>Environment at the end of the stage (ENV and valued ARGs, ENV winning), inherited through base stages.</summary>
    public DockerfileEnvironment FinalEnvironment { get; internal set; } = DockerfileEnvironment.Empty;

    /// <summary>ENV variables only, at the end of the stage (what the image config keeps).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> FinalImageEnvironment => FinalEnvironment.ImageEnvironment;

    /// <summary>The effective USER at the end of the stage after expansion (null: never set here or in a base stage).</summary>
    public string? User { get; internal set; }

    /// <summary>The USER instruction that set <see cref="User"/> (possibly in a base stage).</summary>
    public DockerfileInstruction? UserInstruction { get; internal set; }

    /// <summary>The effective WORKDIR at the end of the stage (null: never set).</summary>
    public string? WorkingDirectory { get; internal set; }

    /// <summary>Names of ARGs declared in this stage (or inherited from a base stage).</summary>
    public IReadOnlyCollection<string> DeclaredArgs { get; internal set; } = [];

    public IEnumerable<DockerfileInstruction> InstructionsOf(string keyword) => _instructions.Where(i => i.Keyword == keyword);

    internal void Add(DockerfileInstruction instruction) => _instructions.Add(instruction);

    public override string ToString() => Name is null ? $"stage {Index} ({BaseName})" : $"stage {Index} {Name} ({BaseName})";
}
