using System.CommandLine;
using Bulwark.Scanning;
using Bulwark.Scanning.Inputs;
using Bulwark.Scanning.Sources;

namespace Bulwark.Cli.Commands;

/// <summary>
/// Options of every command that reads inputs: what to leave out, the namespace objects without one land in (as
/// <c>kubectl apply -n</c> puts them), for inputs recognition would get wrong what they are, and whether an empty
/// input is acceptable.
/// </summary>
internal sealed class InputOptions
{
    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace of objects whose manifest names none, as kubectl apply -n NAMESPACE would put them (default: default).",
    };

    public Option<string?> InputType { get; } = new("--input-type")
    {
        Description = "Read every input as this kind instead of recognising it by name and content (" + string.Join(", ", SourceReaders.InputTypes) + ").",
    };

    public Option<string[]> Exclude { get; } = CommonOptions.List("--exclude", "Skip files and folders matching this glob (repeatable, or comma-separated).");

    public Option<bool> AllowEmpty { get; } = new("--allow-empty")
    {
        Description = "Accept a path that holds nothing to scan (by default that is an error: a check of nothing must not pass).",
    };

    public InputOptions(string? namespaceDescription = null)
    {
        if (namespaceDescription is not null)
        {
            Namespace.Description = namespaceDescription;
        }

        InputType.AcceptOnlyFromAmong([.. SourceReaders.InputTypes]);
        Namespace.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !IsNamespaceName(result.Tokens[0].Value))
            {
                result.AddError($"--namespace: \"{result.Tokens[0].Value}\" is not a namespace name (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Exclude);
        command.Options.Add(Namespace);
        command.Options.Add(InputType);
        command.Options.Add(AllowEmpty);
    }

    public ScanOptions Apply(ParseResult parse, ScanOptions options) =>
        options with
        {
            Namespace = parse.GetValue(Namespace),
            InputType = parse.GetValue(InputType),
            Excludes = [.. (parse.GetValue(Exclude) ?? []).Select(g => new GlobPattern(g))],
            AllowEmpty = parse.GetValue(AllowEmpty),
        };

    /// <summary>An RFC 1123 label, as the API server requires of a namespace name.</summary>
    private static bool IsNamespaceName(string name) =>
        name.Length is > 0 and <= 63
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && name[0] != '-' && name[^1] != '-';
}
