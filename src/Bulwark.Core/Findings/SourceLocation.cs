namespace Bulwark.Core.Findings;

/// <summary>A place in an input file. Line and column are 1-based; 0 means "the whole file".</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation WholeFile(string file) => new(file, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
