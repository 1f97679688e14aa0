namespace Bulwark.Core.Findings;

/// <summary>An input that could not be read or parsed (or part of one). The scan goes on; the exit code says it happened.</summary>
public sealed record InputError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
