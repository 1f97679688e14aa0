using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Reads pod fields the way the API server decodes them: an explicit <c>null</c> is the same as a missing
/// field, a struct field is set when its value is a mapping, and a value of the wrong type is treated as unset.
/// </summary>
internal static class PodFields
{
    /// <summary>The entry at <paramref name="key"/> when it is present and not null.</summary>
    public static DocEntry? Set(DocMapping? map, string key) =>
        map?.Entry(key) is { } entry && entry.Value is not DocScalar { IsNull: true } ? entry : null;

    /// <summary>The entry at <paramref name="key"/> when its value is a mapping (a non-nil struct pointer).</summary>
    public static DocEntry? StructEntry(DocMapping? map, string key) =>
        map?.Entry(key) is { Value: DocMapping } entry ? entry : null;

    public static DocMapping? Struct(DocMapping? map, string key) => map?[key] as DocMapping;

    public static bool? Bool(DocMapping? map, string key) => (map?[key] as DocScalar)?.AsBool();

    public static long? Int(DocMapping? map, string key) => (map?[key] as DocScalar)?.AsInt64();

    /// <summary>A string field; missing or null reads as the empty string.</summary>
    public static string String(DocMapping? map, string key) => OptionalString(map, key) ?? string.Empty;

    /// <summary>A string pointer field; missing or null reads as null.</summary>
    public static string? OptionalString(DocMapping? map, string key) =>
        map?[key] is DocScalar { IsNull: false } scalar ? scalar.Value : null;

    public static IEnumerable<DocNode> Items(DocMapping? map, string key) =>
        map?[key] is DocSequence sequence ? sequence.Items : [];

    public static IEnumerable<DocMapping> Mappings(DocMapping? map, string key) => Items(map, key).OfType<DocMapping>();

    /// <summary>The string value of a list item; a null item reads as the empty string.</summary>
    public static string ItemString(DocNode item) => item is DocScalar { IsNull: false } scalar ? scalar.Value : string.Empty;
}
