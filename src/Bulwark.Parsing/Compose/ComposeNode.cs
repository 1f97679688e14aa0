using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Compose;

/// <summary>
/// A node of a resolved Compose model: after interpolation, <c>extends</c>, <c>include</c> and multi-file merges,
/// every node still knows the file, document and line it was written at. Nodes are never changed after they are
/// built; merges build new parents around the children they keep, so one node may appear in several places.
/// </summary>
public abstract class ComposeNode(SourceLocation location, int document, string? tag)
{
    /// <summary>Where this node was written (after an alias, where its anchor was written).</summary>
    public SourceLocation Location { get; } = location;

    /// <summary>0-based index of the YAML document of <see cref="SourceLocation.File"/> holding the node.</summary>
    public int Document { get; } = document;

    /// <summary>An explicit YAML tag such as <c>!reset</c> or <c>!override</c>.</summary>
    public string? Tag { get; } = tag;

    public abstract DocNodeKind Kind { get; }

    /// <summary>YAML <c>null</c>, <c>~</c> or an empty plain scalar.</summary>
    public bool IsNull => this is ComposeScalar { IsNullValue: true };

    /// <summary>A short name of the node's kind for error messages.</summary>
    public string KindName => this switch
    {
        ComposeScalar { IsNullValue: true } => "null",
        ComposeScalar => "a scalar",
        ComposeSequence => "a list",
        _ => "a mapping",
    };
}

/// <summary>
/// A scalar. <see cref="IsPlain"/> is true for unquoted, untagged YAML scalars, the only ones YAML may read as
/// null, booleans or numbers. Interpolated scalars are strings (not plain) whatever they resolve to.
/// </summary>
public sealed class ComposeScalar(string value, bool isPlain, SourceLocation location, int document, string? tag = null)
    : ComposeNode(location, document, tag)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    /// <summary>The text as written, when interpolation changed it.</summary>
    public string? Original { get; init; }

    /// <summary>Interpolation failed (an error was reported); <see cref="Value"/> is the text as written and typed readers skip it.</summary>
    public bool Unresolved { get; init; }

    public override DocNodeKind Kind => DocNodeKind.Scalar;

    public bool IsNullValue => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string ToString() => Value;
}

public sealed class ComposeSequence(IReadOnlyList<ComposeNode> items, SourceLocation location, int document, string? tag = null)
    : ComposeNode(location, document, tag)
{
    public IReadOnlyList<ComposeNode> Items { get; } = items;

    public override DocNodeKind Kind => DocNodeKind.Sequence;
}

/// <summary>A mapping entry with the position of its key: values found through a key point at that key.</summary>
public sealed record ComposeEntry(string Key, SourceLocation KeyLocation, int KeyDocument, ComposeNode Value);

/// <summary>A mapping with string keys, in document order; keys are unique (the last duplicate wins).</summary>
public sealed class ComposeMapping : ComposeNode
{
    private readonly Dictionary<string, int> _index;

    public ComposeMapping(IReadOnlyList<ComposeEntry> entries, SourceLocation location, int document, string? tag = null)
        : base(location, document, tag)
    {
        var list = new List<ComposeEntry>(entries.Count);
        _index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (_index.TryGetValue(entry.Key, out var at))
            {
                list[at] = entry;
            }
            else
            {
                _index[entry.Key] = list.Count;
                list.Add(entry);
            }
        }

        Entries = list;
    }

    public IReadOnlyList<ComposeEntry> Entries { get; }

    public override DocNodeKind Kind => DocNodeKind.Mapping;

    public ComposeNode? this[string key] => Entry(key)?.Value;

    public ComposeEntry? Entry(string key) => _index.TryGetValue(key, out var at) ? Entries[at] : null;

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <summary>A copy with entries changed; the position and tag stay.</summary>
    public ComposeMapping With(IReadOnlyList<ComposeEntry> entries) => new(entries, Location, Document, Tag);

    /// <summary>A copy without <paramref name="key"/>.</summary>
    public ComposeMapping Without(string key) =>
        ContainsKey(key) ? With([.. Entries.Where(e => !string.Equals(e.Key, key, StringComparison.Ordinal))]) : this;

    /// <summary>A copy with <paramref name="entry"/> replacing the entry of the same key, or appended.</summary>
    public ComposeMapping Set(ComposeEntry entry)
    {
        var list = Entries.ToList();
        if (_index.TryGetValue(entry.Key, out var at))
        {
            list[at] = entry;
        }
        else
        {
            list.Add(entry);
        }

        return With(list);
    }
}
