namespace Bulwark.Images.Sbom;

/// <summary>Whether a purl type has, may have or must not have a namespace.</summary>
public enum NamespaceRequirement
{
    Optional,
    Required,
    Prohibited,
}

/// <summary>
/// What the purl type definitions (<c>purl-spec/types/*-definition.json</c>) say about one type, reduced to what
/// canonical form needs: which components are case-insensitive (and so lowercased), whether a namespace belongs,
/// and the name normalisation a type's ecosystem imposes. A type not listed here follows the spec's generic rules:
/// everything case-sensitive, a namespace optional.
/// </summary>
public sealed record PackageUrlType(
    string Type,
    NamespaceRequirement Namespace = NamespaceRequirement.Optional,
    bool NamespaceCaseSensitive = true,
    bool NameCaseSensitive = true,
    bool VersionCaseSensitive = true)
{
    private static readonly Dictionary<string, PackageUrlType> Known = new PackageUrlType[]
    {
        new("apk", NamespaceRequirement.Required, NamespaceCaseSensitive: false, NameCaseSensitive: false),
        new("cargo", NamespaceRequirement.Prohibited),
        new("deb", NamespaceRequirement.Required, NamespaceCaseSensitive: false, NameCaseSensitive: false),
        new("docker"),
        new("gem", NamespaceRequirement.Prohibited),

        // The definition's notes say "shall be lowercased" but its flags say case-sensitive; Go module paths are
        // case-sensitive (github.com/Masterminds/semver), so the flags win.
        new("golang", NamespaceRequirement.Required),
        new("maven", NamespaceRequirement.Required),
        new("npm"),
        new("nuget", NamespaceRequirement.Prohibited),
        new("oci", NamespaceRequirement.Prohibited, NameCaseSensitive: false, VersionCaseSensitive: false),
        new("pypi", NamespaceRequirement.Prohibited, NameCaseSensitive: false, VersionCaseSensitive: false),
        new("rpm", NamespaceRequirement.Required, NamespaceCaseSensitive: false),
    }.ToDictionary(t => t.Type, StringComparer.Ordinal);

    /// <summary>The types with a definition, each with its rules.</summary>
    public static IReadOnlyCollection<PackageUrlType> Defined => Known.Values;

    /// <summary>The rules of <paramref name="type"/> (already lowercased); the generic rules for a type without a definition.</summary>
    public static PackageUrlType Of(string type) => Known.TryGetValue(type, out var known) ? known : new PackageUrlType(type);

    internal string? CanonicalNamespace(string? value) => value is null || NamespaceCaseSensitive ? value : value.ToLowerInvariant();

    internal string? CanonicalVersion(string? value) => value is null || VersionCaseSensitive ? value : value.ToLowerInvariant();

    internal string CanonicalName(string value)
    {
        var name = NameCaseSensitive ? value : value.ToLowerInvariant();

        // PyPI treats '-' and '_' alike; the definition's rule is to write '-'.
        return Type == "pypi" ? name.Replace('_', '-') : name;
    }
}
