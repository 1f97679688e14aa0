using Bulwark.Core.Findings;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Documents;
using Bulwark.Scanning.Configuration;
using Bulwark.Scanning.Inputs;

namespace Bulwark.Scanning;

public sealed record ScanOptions
{
    public required IReadOnlyList<string> Paths { get; init; }

    public IReadOnlyList<GlobPattern> Excludes { get; init; } = [];

    public BulwarkConfig Config { get; init; } = BulwarkConfig.Empty;

    /// <summary>Adds the Pod Security Standards verdict at this policy to the scan, as findings.</summary>
    public PodSecurityPolicy? PodSecurity { get; init; }

    public DocumentLimits Limits { get; init; } = DocumentLimits.Default;

    /// <summary>Standard input, when a path is <c>-</c>.</summary>
    public Func<Stream>? StandardInput { get; init; }

    public int MaxParallelism { get; init; } = System.Environment.ProcessorCount;

    /// <summary>Rules to run, by ID or slug; empty means all enabled rules.</summary>
    public IReadOnlyList<string> OnlyRules { get; init; } = [];

    /// <summary>Report only findings of these severities (after overrides); null reports all.</summary>
    public IReadOnlySet<Severity>? Severities { get; init; }

    /// <summary>Leave out vulnerabilities no fixed version exists for (<c>--ignore-unfixed</c>), as a severity filter leaves findings out.</summary>
    public bool IgnoreUnfixed { get; init; }

    /// <summary>OpenVEX statements that suppress vulnerability findings (<c>--vex</c>); null when none were given.</summary>
    public Images.VexSuppression? Vex { get; init; }

    /// <summary>Variables for Compose interpolation, as the process environment would give them (the CLI passes its own).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Compose <c>--env-file</c> files; when given they replace each project's <c>.env</c>.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>
    /// The namespace objects of a namespaced kind land in when their manifest names none (<c>-n</c>, as
    /// <c>kubectl apply -n</c>); null leaves them without one, which the analyses read as <c>default</c>.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>Read every input as this kind (<c>--input-type</c>: one of <see cref="Sources.SourceReaders.InputTypes"/>) instead of recognising it.</summary>
    public string? InputType { get; init; }

    /// <summary>A named path that holds nothing to read is not an error (<c>--allow-empty</c>, for pipelines whose input may be empty).</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>Compose profiles to activate; services of other profiles are still scanned.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];
}
