namespace Bulwark.Core.Findings;

/// <summary>An input that could not be read or parsed (or part of one). The scan goes on; the exit code says it happened.</summary>
public sealed record InputError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>
/// Something in an input that an analysis could not use, though the file itself was read: a NetworkPolicy the API
/// server would reject, a binding to a role that is not in the input. The analysis goes on without it; reports
/// list it so nothing is dropped silently. It does not change the exit code.
/// </summary>
public sealed record InputWarning(SourceLocation Location, string Subject, string Message)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Location.File) ? $"{Subject}: {Message}" : $"{Location}: {Subject}: {Message}";
}
