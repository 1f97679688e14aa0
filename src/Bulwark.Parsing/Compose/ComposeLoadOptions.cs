using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Compose;

/// <summary>How to load a Compose project. Everything that Compose reads from the outside comes in here, so loading is deterministic.</summary>
public sealed record ComposeLoadOptions
{
    public static ComposeLoadOptions Default { get; } = new();

    /// <summary>The process environment; it wins over env files. Not read from the running process by the loader.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>--env-file</c> files (later ones win). When empty, <c>.env</c> in the project directory is read if present.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>Active profiles (<c>--profile</c>); <c>COMPOSE_PROFILES</c> from the environment is used when empty. <c>*</c> enables all.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Files merged onto the main file in order, like further <c>-f</c> options (e.g. <c>compose.override.yaml</c>).</summary>
    public IReadOnlyList<string> OverrideFiles { get; init; } = [];

    /// <summary>The project directory; the main file's directory when null.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>Read the services' <c>env_file</c> files that exist (a missing one is a warning).</summary>
    public bool ReadServiceEnvFiles { get; init; } = true;

    public DocumentLimits Limits { get; init; } = DocumentLimits.Default;

    /// <summary>Most Compose files one project may read through <c>extends</c> and <c>include</c>.</summary>
    public int MaxFiles { get; init; } = 256;
}
