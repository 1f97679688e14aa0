namespace Bulwark.Parsing.Documents;

/// <summary>Typed lookups over document nodes that answer null for anything missing or of the wrong shape.</summary>
public static class DocNavigation
{
    public static DocMapping? AsMapping(this DocNode? node) => node as DocMapping;

    public static DocSequence? AsSequence(this DocNode? node) => node as DocSequence;

    public static DocScalar? AsScalar(this DocNode? node) => node is DocScalar { IsNull: false } s ? s : null;

    public static DocMapping? Mapping(this DocNode? node, string key) => (node as DocMapping)?[key] as DocMapping;

    public static DocSequence? Sequence(this DocNode? node, string key) => (node as DocMapping)?[key] as DocSequence;

    /// <summary>A non-null scalar value at <paramref name="key"/>.</summary>
    public static DocScalar? Scalar(this DocNode? node, string key) => (node as DocMapping)?[key] is DocScalar { IsNull: false } s ? s : null;

    public static string? String(this DocNode? node, string key) => node.Scalar(key)?.Value;

    /// <summary>The mapping at a dotted path such as <c>spec.template.spec</c>.</summary>
    public static DocNode? At(this DocNode? node, string path)
    {
        var current = node;
        foreach (var part in path.Split('.'))
        {
            current = (current as DocMapping)?[part];
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public static IEnumerable<DocNode> ItemsOf(this DocNode? node, string key) =>
        (node as DocMapping)?[key] is DocSequence seq ? seq.Items : [];

    public static IEnumerable<DocMapping> MappingsOf(this DocNode? node, string key) =>
        node.ItemsOf(key).OfType<DocMapping>();
}
