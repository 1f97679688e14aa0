namespace Bulwark.Core.Model;

/// <summary>
/// A parsed container image reference: <c>[registry[:port]/]repository[:tag][@digest]</c>,
/// following the Docker distribution reference grammar (a first path component counts as a registry
/// when it contains '.' or ':' or is <c>localhost</c>).
/// </summary>
public sealed record ImageReference(string Original, string? Registry, string Repository, string? Tag, string? Digest)
{
    public bool HasDigest => Digest is not null;

    /// <summary>True when the tag is missing (and so resolves to <c>latest</c>) or is <c>latest</c>.</summary>
    public bool IsMutableTag => Digest is null && (Tag is null || Tag == "latest");

    /// <summary>The repository without registry and without the implicit <c>library/</c> prefix.</summary>
    public string ShortName => Repository.StartsWith("library/", StringComparison.Ordinal) ? Repository["library/".Length..] : Repository;

    public static ImageReference Parse(string reference)
    {
        var text = reference.Trim();
        string? digest = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            text = text[..at];
        }

        string? registry = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = text[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                text = text[(slash + 1)..];
            }
        }

        string? tag = null;
        var colon = text.LastIndexOf(':');
        if (colon >= 0 && colon > text.LastIndexOf('/'))
        {
            tag = text[(colon + 1)..];
            text = text[..colon];
        }

        return new ImageReference(reference, registry, text, tag is { Length: > 0 } ? tag : null, digest is { Length: > 0 } ? digest : null);
    }
}
