using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Scanning.Sources;

/// <summary>
/// One input as read from a file or standard input: its bytes, read once within the size limit, and, when a
/// reader asks, its text and its YAML/JSON documents. Each reader's recognition looks only at what it needs, and
/// nothing is read or parsed twice.
/// </summary>
public sealed class InputContent
{
    private string? _text;
    private SourceFile? _documents;

    private InputContent(string path, byte[] bytes, InputError? loadError, DocumentLimits limits)
    {
        Path = path;
        Bytes = bytes;
        LoadError = loadError;
        Limits = limits;
    }

    /// <summary>The name findings and errors use: the path as discovered, or <c>&lt;stdin&gt;</c>.</summary>
    public string Path { get; }

    public byte[] Bytes { get; }

    /// <summary>Why the input could not be read at all (missing, unreadable, over the size limit); then no reader runs.</summary>
    public InputError? LoadError { get; }

    public DocumentLimits Limits { get; }

    public bool IsStandardInput => Path == Inputs.ScanInput.StandardInputName;

    /// <summary>The content as text, for recognition (invalid UTF-8 replaced; readers report it).</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(Bytes);

    /// <summary>The content read as YAML or JSON documents (JSON by a <c>.json</c> name, else by content).</summary>
    public SourceFile Documents => _documents ??= LoadError is { } error
        ? new SourceFile { Path = Path, Errors = [error] }
        : SourceFile.Parse(Path, Bytes, Limits, Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? true : null);

    public static InputContent FromFile(string path, DocumentLimits limits)
    {
        var bytes = SourceFile.ReadBytes(path, limits, out var error);
        return new InputContent(path, bytes ?? [], error, limits);
    }

    public static InputContent FromStream(string name, Stream stream, DocumentLimits limits)
    {
        var bytes = SourceFile.ReadBytes(name, stream, limits, out var error);
        return new InputContent(name, bytes ?? [], error, limits);
    }

    /// <summary>An input whose documents were already read (tests, the admission webhook).</summary>
    public static InputContent FromSourceFile(SourceFile file, DocumentLimits limits)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new InputContent(file.Path, Encoding.UTF8.GetBytes(file.Text), null, limits) { _text = file.Text, _documents = file };
    }

    public static InputContent Failed(string path, string message) =>
        new(path, [], new InputError(path, 0, 0, message), DocumentLimits.Default);
}
