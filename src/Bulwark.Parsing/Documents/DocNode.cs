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

    /// <summary>Mappings up to this size look for duplicate keys by comparing every pair: cheaper than a set.</summary>
    private const int PairwiseDuplicateScanLimit = 16;

    /// <summary>
    /// Drops every entry whose key is set again later in the mapping, keeping the last value as the API server does
    /// (sigs.k8s.io/yaml with <c>fieldValidation=Warn</c>, JSON decoding), and adds one problem per repeated key to
    /// <paramref name="problems"/>: <c>kubectl</c> with strict field validation, go-yaml v3 and docker compose reject
    /// such a file. Call it on a complete mapping before merge keys are resolved: a key set beside a merge key
    /// overrides the merged one legitimately, and merge keys never become entries.
    /// </summary>
    internal void RemoveDuplicateKeys(ref List<DocumentException>? problems)
    {
        var count = Entries.Count;
        if (count < 2 || !HasDuplicateKeys())
        {
            return;
        }

        // Rare: where each key is first and last set, then the problems, then the entries to keep.
        var first = new Dictionary<string, int>(count, StringComparer.Ordinal);
        var last = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (Entries[i].KeyText is not { } key)
            {
                continue;
            }

            if (first.TryGetValue(key, out var firstIndex))
            {
                var repeated = Entries[i].Key;
                problems ??= [];
                problems.Add(new DocumentException(DuplicateKeyMessage(key, Entries[firstIndex].Key.Line), repeated.Line, repeated.Column));
            }
            else
            {
                first[key] = i;
            }

            last[key] = i;
        }

        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var entry = Entries[i];
            if (entry.KeyText is not { } key || last[key] == i)
            {
                Entries[kept++] = entry;
            }
        }

        Entries.RemoveRange(kept, count - kept);
    }

    internal static string DuplicateKeyMessage(string key, int firstLine)
    {
        var shown = key.Length > 60 ? string.Concat(key.AsSpan(0, 57), "...") : key;
        shown = shown.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $"duplicate key \"{shown}\" (first set at line {firstLine}): kubectl with strict field validation and docker compose reject this; the last value is used");
    }

    private bool HasDuplicateKeys()
    {
        var count = Entries.Count;
        if (count <= PairwiseDuplicateScanLimit)
        {
            for (var i = 1; i < count; i++)
            {
                if (Entries[i].KeyText is not { } key)
                {
                    continue;
                }

                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(Entries[j].KeyText, key, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (entry.KeyText is { } key && !seen.Add(key))
            {
                return true;
            }
        }

        return false;
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
