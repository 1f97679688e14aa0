namespace Bulwark.Parsing.Documents;

/// <summary>One document of a file: its 0-based index and its root (null for an empty document).</summary>
public sealed record SourceDocument(string File, int Index, DocNode? Root);
