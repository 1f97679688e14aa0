using System.Globalization;

namespace Bulwark.Parsing.Documents;

public enum DocNodeKind
{
    Scalar,
    Sequence,
    Mapping,
}

/// <summary>
/// A node of a parsed YAML or JSON document, with its 1-based position. The tree is the same for both
/// formats, so everything after parsing is format-blind. Aliases share the anchored node (the tree is a DAG);
/// the builder bounds how far aliases may expand.
/// </summary>
public abstract class DocNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public abstract DocNodeKind Kind { get; }

    /// <summary>An explicit YAML tag (e.g. <c>!reset</c>), without the implicit ones.</summary>
    public string? Tag { get; internal set; }

    /// <summary>Nodes in this subtree with aliases expanded; used to bound alias expansion.</summary>
    /// <remarks>Stored only on collections: a scalar is always 1, and scalars are most nodes of a large scan.</remarks>
    internal virtual long ExpandedSize
    {
        get => 1;
        set => throw new InvalidOperationException("a scalar's expanded size is always 1");
    }
}

/// <summary>
/// A scalar. <see cref="IsPlain"/> is true for unquoted, untagged YAML scalars and for JSON numbers,
/// booleans and null: only those resolve to non-string types.
/// </summary>
public sealed class DocScalar(string value, bool isPlain, int line, int column) : DocNode(line, column)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    public override DocNodeKind Kind => DocNodeKind.Scalar;

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>
    /// The boolean a Kubernetes API server would read. sigs.k8s.io/yaml decodes with YAML 1.1 rules, so
    /// plain <c>yes/no/on/off</c> are booleans too.
    /// </summary>
    public bool? AsBool()
    {
        if (!IsPlain)
        {
            return null;
        }

        return Value switch
        {
            "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y" => true,
            "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N" => false,
            _ => null,
        };
    }

    public long? AsInt64()
    {
        if (!IsPlain)
        {
            return null;
        }

        var text = Value.Replace("_", string.Empty, StringComparison.Ordinal);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        // JSON numbers such as 1000.0 or 1e3 are integers when they have no fraction.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue)
        {
            return (long)d;
        }

        return null;
    }

    public override string ToString() => Value;
}

public sealed class DocSequence(int line, int column) : DocNode(line, column)
{
    public List<DocNode> Items { get; } = [];

    internal override long ExpandedSize { get; set; } = 1;

    public override DocNodeKind Kind => DocNodeKind.Sequence;
}

/// <summary>A mapping entry. <see cref="KeyText"/> is null for non-scalar keys, which lookups never match.</summary>
public readonly record struct DocEntry(DocNode Key, string? KeyText, DocNode Value);

public sealed class DocMapping(int line, int column) : DocNode(line, column)
{
    public List<DocEntry> Entries { get; } = [];

    internal override long ExpandedSize { get; set; } = 1;

    public override DocNodeKind Kind => DocNodeKind.Mapping;

    /// <summary>
    /// Completes a mapping with YAML merge keys (<c>&lt;&lt;</c>): explicit keys win over merged ones, and among
    /// the merged mappings the first one listed wins. A set, not a scan of the entries per merged key, so merging
    /// a large mapping into a large one stays linear.
    /// </summary>
    internal void MergeFrom(IEnumerable<DocMapping> sources)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (entry.KeyText is { } key)
            {
                present.Add(key);
            }
        }

        foreach (var source in sources)
        {
            foreach (var entry in source.Entries)
            {
                if (entry.KeyText is null || present.Add(entry.KeyText))
                {
                    Entries.Add(entry);
                }
            }
        }
    }

    /// <summary>The value of <paramref name="key"/>; with duplicate keys the last one wins, as in JSON decoding.</summary>
    public DocNode? this[string key]
    {
        get
        {
            for (var i = Entries.Count - 1; i >= 0; i--)
            {
                if (string.Equals(Entries[i].KeyText, key, StringComparison.Ordinal))
                {
                    return Entries[i].Value;
                }
            }

            return null;
        }
    }

    public DocEntry? Entry(string key)
    {
        for (var i = Entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Entries[i].KeyText, key, StringComparison.Ordinal))
            {
                return Entries[i];
            }
        }

        return null;
    }
}
