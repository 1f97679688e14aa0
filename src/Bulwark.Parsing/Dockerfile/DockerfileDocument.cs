using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>Inputs a build would give that the Dockerfile cannot know: build args, platforms, target stage.</summary>
public sealed record DockerfileOptions
{
    public static DockerfileOptions Default { get; } = new();

    /// <summary>Values as <c>--build-arg</c> would give them; they override ARG defaults.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Platform of the build (BUILDPLATFORM and friends).</summary>
    public string BuildPlatform { get; init; } = "linux/amd64";

    /// <summary>Platform of the image (TARGETPLATFORM and friends).</summary>
    public string TargetPlatform { get; init; } = "linux/amd64";

    /// <summary>Largest Dockerfile <see cref="DockerfileDocument.Load"/> reads (<c>--max-file-size</c>).</summary>
    public long MaxFileBytes { get; init; } = DocumentLimits.DefaultMaxFileBytes;

    /// <summary>The stage to build (<c>--target</c>); null for the last stage.</summary>
    public string? Target { get; init; }

    /// <summary>Longest value one expansion may produce, in characters.</summary>
    public int MaxExpansionLength { get; init; } = 1 << 20;
}

/// <summary>
/// A Dockerfile read the way BuildKit reads it: the syntax tree (<see cref="Syntax"/>) and, on top, stages with
/// their base images after ARG resolution, instructions with parsed flags, expanded arguments, the environment
/// in effect, and positions for every instruction and argument. Bad input never throws: it ends up in
/// <see cref="Errors"/>, each naming file and line.
/// </summary>
public sealed partial class DockerfileDocument
{
    private readonly List<DockerfileStage> _stages = [];
    private readonly List<DockerfileInstruction> _metaArgs = [];
    private readonly List<DockerfileInstruction> _instructions = [];
    private readonly List<InputError> _errors = [];

    private DockerfileDocument(string file, DockerfileParseResult syntax, string[] lines)
    {
        File = file;
        Syntax = syntax;
        Lines = lines;
    }

    /// <summary>Start of the message recorded when the reader itself fails (a bug, never expected).</summary>
    public const string InternalErrorPrefix = "internal error while reading the Dockerfile: ";

    public string File { get; }

    /// <summary>The parser's result: tree, directives, escape token, warnings.</summary>
    public DockerfileParseResult Syntax { get; }

    /// <summary>The file's lines (without line endings); index 0 is line 1.</summary>
    public IReadOnlyList<string> Lines { get; }

    public DockerfileNode? Root => Syntax.Root;

    public char EscapeToken => Syntax.EscapeToken;

    /// <summary>Why BuildKit would refuse this Dockerfile; empty when it would build it.</summary>
    public IReadOnlyList<InputError> Errors => _errors;

    public IReadOnlyList<DockerfileWarning> Warnings => Syntax.Warnings;

    /// <summary>ARG instructions before the first FROM (global scope).</summary>
    public IReadOnlyList<DockerfileInstruction> MetaArgs => _metaArgs;

    /// <summary>Global ARG values after resolution (automatic platform args included).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GlobalArgs { get; private set; } = [];

    public IReadOnlyList<DockerfileStage> Stages => _stages;

    /// <summary>The stage a plain <c>docker build</c> produces (the last one, or the <see cref="DockerfileOptions.Target"/>).</summary>
    public DockerfileStage? FinalStage { get; private set; }

    /// <summary>Every instruction in file order (global ARGs, FROMs and stage instructions).</summary>
    public IReadOnlyList<DockerfileInstruction> Instructions => _instructions;

    public DockerfileStage? FindStage(string name) =>
        _stages.FirstOrDefault(s => s.Name is not null && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public static DockerfileDocument Load(string path, DockerfileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            var limit = (options ?? DockerfileOptions.Default).MaxFileBytes;
            if (info.Length > limit)
            {
                return Failed(path, DocumentLimits.OverLimit(info.Length, limit));
            }

            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(path, "cannot read file: " + ex.Message);
        }

        return Parse(path, bytes, options);
    }

    private static DockerfileDocument Failed(string path, string message)
    {
        var error = new InputError(path, 0, 0, message);
        var failed = new DockerfileDocument(path, new DockerfileParseResult { File = path, Error = error }, []);
        failed._errors.Add(error);
        return failed;
    }

    public static DockerfileDocument Parse(string file, string text, DockerfileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(file, Encoding.UTF8.GetBytes(text), options);
    }

    public static DockerfileDocument Parse(string file, byte[] bytes, DockerfileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(bytes);
        var syntax = DockerfileParser.Parse(file, bytes);
        var lines = syntax.Succeeded ? SplitLines(bytes) : [];
        var document = new DockerfileDocument(file, syntax, lines);
        if (syntax.Error is { } error)
        {
            document._errors.Add(error);
            return document;
        }

        try
        {
            new DockerfileSemantics(document, options ?? DockerfileOptions.Default).Run();
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or StackOverflowException))
        {
            // A bug here must not stop a scan of many files; the fuzz tests check this never happens.
            document.AddError(0, 0, InternalErrorPrefix + ex.GetType().Name + ": " + ex.Message);
        }

        return document;
    }

    private static string[] SplitLines(byte[] bytes)
    {
        var text = new UTF8Encoding(false, false).GetString(bytes);
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        return lines;
    }

    internal void AddError(int line, int column, string message) => _errors.Add(new InputError(File, line, column, message));

    internal void AddStage(DockerfileStage stage) => _stages.Add(stage);

    internal void AddMetaArg(DockerfileInstruction instruction) => _metaArgs.Add(instruction);

    internal void AddInstruction(DockerfileInstruction instruction) => _instructions.Add(instruction);

    internal void SetGlobalArgs(IReadOnlyList<KeyValuePair<string, string>> args) => GlobalArgs = args;

    internal void SetFinalStage(DockerfileStage? stage) => FinalStage = stage;
}
