using Bulwark.Core.Findings;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>One argument of an instruction as the parser gave it, and where it was found in the file.</summary>
/// <param name="Value">The argument as in BuildKit's tree (quotes kept for ENV/LABEL/ARG; JSON strings decoded).</param>
/// <param name="Location">Its line and column; the column is 0 when the text could not be found verbatim.</param>
public sealed record DockerfileArgument(string Value, SourceLocation Location);

/// <summary>A flag such as <c>--from=build</c>: its name, value (<c>true</c> for a bare boolean) and position.</summary>
public sealed record DockerfileFlag(string Name, string Value, string Raw, SourceLocation Location);

/// <summary>A <c>key=value</c> pair of ENV, LABEL or ARG, as written and after variable expansion.</summary>
/// <param name="Key">The key after expansion (ARG names are never expanded).</param>
/// <param name="Value">The value after expansion; null for an ARG without a value.</param>
/// <param name="RawKey">The key as written.</param>
/// <param name="RawValue">The value as written (quotes included); null for an ARG without a value.</param>
/// <param name="Location">Where the pair was written.</param>
public sealed record DockerfileKeyValue(string Key, string? Value, string RawKey, string? RawValue, SourceLocation Location);

/// <summary>A COPY/ADD source written as a heredoc: the file name (the delimiter), its body (tabs chomped for <c>&lt;&lt;-</c>) and whether variables in it are expanded.</summary>
public sealed record DockerfileSourceContent(string Path, string Data, bool Expand);

/// <summary>
/// One <c>RUN --mount=…</c>: its type (<c>bind</c> when not given), the options as written (keys lower-cased,
/// bare keys such as <c>ro</c> mapped to <c>"true"</c>), and where it was written.
/// </summary>
public sealed record DockerfileMount(string Type, IReadOnlyDictionary<string, string> Options, SourceLocation Location)
{
    public string? Target => Option("target") ?? Option("dst") ?? Option("destination");

    public string? Source => Option("source") ?? Option("src");

    public string? From => Option("from");

    public string? Id => Option("id");

    public string? Option(string key) => Options.TryGetValue(key, out var value) ? value : null;
}

/// <summary>What <c>COPY --from</c> or <c>RUN --mount=from=</c> names: an earlier stage, or an image.</summary>
public sealed record DockerfileCopySource(string Reference, DockerfileStage? Stage, SourceLocation Location)
{
    public bool IsStage => Stage is not null;
}

/// <summary>
/// An instruction with BuildKit's per-instruction meaning applied: flags checked and parsed, variables in the
/// arguments BuildKit expands resolved against the environment in effect, and positions for everything.
/// </summary>
public sealed class DockerfileInstruction
{
    public required DockerfileNode Node { get; init; }

    /// <summary>Upper-case keyword: <c>RUN</c>, <c>COPY</c>…</summary>
    public required string Keyword { get; init; }

    public required SourceLocation Location { get; init; }

    public int StartLine => Node.StartLine;

    public int EndLine => Node.EndLine;

    public int Column => Node.Column;

    /// <summary>The logical line as written (continuations joined).</summary>
    public string Original => Node.Original;

    public IReadOnlyList<DockerfileFlag> Flags { get; init; } = [];

    public IReadOnlyList<DockerfileArgument> Arguments { get; init; } = [];

    /// <summary>True for the exec (JSON array) form of RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD, VOLUME, HEALTHCHECK CMD.</summary>
    public bool IsJsonForm => Node.IsJson;

    public IReadOnlyList<Heredoc> Heredocs => Node.Heredocs;

    /// <summary>The stage this instruction belongs to; null for global ARGs before the first FROM.</summary>
    public DockerfileStage? Stage { get; internal set; }

    /// <summary>Variables visible when the instruction runs (ENV over ARG), in declaration order; for FROM and global ARGs, the global ARGs.</summary>
    public DockerfileEnvironment Environment { get; internal set; } = DockerfileEnvironment.Empty;

    /// <summary>Arguments after variable expansion, for the instructions BuildKit expands (else the raw values).</summary>
    public IReadOnlyList<string> ExpandedArguments { get; internal set; } = [];

    /// <summary>ENV, LABEL and ARG pairs.</summary>
    public IReadOnlyList<DockerfileKeyValue> KeyValues { get; internal set; } = [];

    /// <summary>For COPY and ADD: the source paths after expansion (heredoc sources excluded).</summary>
    public IReadOnlyList<string> SourcePaths { get; internal set; } = [];

    /// <summary>For COPY and ADD: the sources written as heredocs.</summary>
    public IReadOnlyList<DockerfileSourceContent> SourceContents { get; internal set; } = [];

    /// <summary>For COPY and ADD: the destination after expansion.</summary>
    public string? Destination { get; internal set; }

    /// <summary>For COPY (and ADD): the <c>--from</c> source, resolved to a stage when it names one.</summary>
    public DockerfileCopySource? CopyFrom { get; internal set; }

    /// <summary>For RUN: each <c>--mount</c>, parsed.</summary>
    public IReadOnlyList<DockerfileMount> Mounts { get; internal set; } = [];

    /// <summary>For RUN: the <c>from=</c> of each <c>--mount</c> that has one.</summary>
    public IReadOnlyList<DockerfileCopySource> MountSources { get; internal set; } = [];

    /// <summary>For ONBUILD: the trigger instruction (it runs in images built from this one, not here).</summary>
    public DockerfileInstruction? Trigger { get; internal set; }

    /// <summary>
    /// Variables that the expanded words referenced but that had no value (an <c>ARG</c> without a default and no
    /// build argument): BuildKit expands them to empty, so what those words name is not known from the file. As in
    /// BuildKit's own lookup, a name is listed even when a <c>${NAME:-default}</c> modifier supplied a value.
    /// </summary>
    public IReadOnlySet<string> UnsetVariables => _unsetVariables ?? (IReadOnlySet<string>)EmptySet;

    private static readonly HashSet<string> EmptySet = [];

    private HashSet<string>? _unsetVariables;

    internal void AddUnsetVariables(IEnumerable<string> names) => (_unsetVariables ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(names);

    /// <summary>Why BuildKit would reject this instruction (bad flag, unexpandable word…), or null.</summary>
    public string? Error { get; internal set; }

    public string? Flag(string name) => Flags.LastOrDefault(f => f.Name == name)?.Value;

    public IEnumerable<string> FlagValues(string name) => Flags.Where(f => f.Name == name).Select(f => f.Value);

    public bool HasFlag(string name) => Flags.Any(f => f.Name == name);

    /// <summary>The shell-form command text (RUN/CMD/ENTRYPOINT), or the JSON arguments joined by spaces.</summary>
    public string CommandText => string.Join(' ', Node.ArgumentValues);

    public override string ToString() => $"{Location}: {Original}";
}
