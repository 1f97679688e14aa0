namespace Bulwark.Core.Model;

/// <summary>
/// A parsed container image reference: <c>[registry[:port]/]repository[:tag][@digest]</c>,
/// following the Docker distribution reference grammar (a first path component counts as a registry
/// when it contains '.' or ':' or is <c>localhost</c>).
/// </summary>
public sealed record ImageReference(string Original, string? Registry, string Repository, string? Tag, string? Digest)
{
    public bool HasDigest => Digest is not null;

    /// <summary>True when, without a digest, the tag does not name a version: missing (so <c>latest</c>), <c>latest</c>, or a moving channel.</summary>
    public bool IsMutableTag => TagKind is ImageTagKind.Missing or ImageTagKind.Latest or ImageTagKind.Channel;

    /// <summary>What the tag names (a digest pins the image whatever the tag says).</summary>
    public ImageTagKind TagKind => Digest is not null ? ImageTagKind.Version : ImageTagKinds.Classify(Repository, Tag);

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

/// <summary>What an image tag names.</summary>
public enum ImageTagKind
{
    /// <summary>A version (<c>1</c>, <c>3.12-slim</c>, <c>v1.2.3-alpine</c>, <c>20240101</c>, <c>sha-1a2b3c4</c>, <c>bookworm</c> for Debian), or a digest pins the image.</summary>
    Version,

    /// <summary>No tag: the registry serves <c>latest</c>.</summary>
    Missing,

    /// <summary>The tag <c>latest</c>.</summary>
    Latest,

    /// <summary>A moving channel or a variant of the newest release, not a version: <c>alpine</c>, <c>stable</c>, <c>edge</c>, <c>main</c>, <c>nightly</c>, <c>lts-alpine</c>, <c>latest-debian</c>.</summary>
    Channel,

    /// <summary>Not a valid tag (a template placeholder such as <c>{{ .Values.tag }}</c>): nothing can be said.</summary>
    Unknown,
}

/// <summary>
/// Which tags name a version. A tag is a version when one of its dash- or underscore-separated parts starts with
/// a digit (<c>3.12-slim</c>, <c>v1.2.3</c>, <c>20240101</c>, <c>sha-1a2b3c4</c>), when a part holds a digit and is
/// not a variant with a number (<c>ltsc2022</c>, <c>g1a2b3c</c> but not <c>alpine3.20</c> or <c>jdk17</c>), or when it
/// is the release codename of the distribution the image is (<c>debian:bookworm</c>, <c>ubuntu:jammy</c>,
/// <c>node:iron</c>; images named after Debian or Ubuntu count too, such as <c>bitnami/minideb</c>). A version tag may still receive patch rebuilds; pinning exactly is the digest's job
/// (<c>image-not-pinned-by-digest</c>). A tag with no version in it follows whatever its maintainers publish
/// next, as <c>latest</c> does: <c>alpine</c> is the newest release built on Alpine, <c>python:bookworm</c> the
/// newest Python on Debian 12, and <c>stable</c>, <c>edge</c>, <c>main</c>, <c>nightly</c> or <c>lts</c> name channels
/// even beside a variant number (<c>lts-alpine3.20</c>).
/// </summary>
internal static class ImageTagKinds
{
    private static readonly HashSet<string> Channels = new(StringComparer.Ordinal)
    {
        "latest", "stable", "edge", "main", "master", "head", "trunk", "nightly", "develop", "development", "dev", "devel", "lts",
        "current", "rolling", "mainline", "testing", "unstable", "sid", "experimental", "canary", "next", "snapshot", "beta", "alpha",
        "preview", "insiders", "oldstable", "oldoldstable",
    };

    // Release codenames that are the version of the image itself (not of the distribution an application image is built on).
    private static readonly Dictionary<string, HashSet<string>> Codenames = new(StringComparer.Ordinal)
    {
        ["debian"] = ["jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke"],
        ["ubuntu"] = ["trusty", "xenial", "bionic", "focal", "jammy", "kinetic", "lunar", "mantic", "noble", "oracular", "plucky", "questing", "resolute"],
        ["node"] = ["argon", "boron", "carbon", "dubnium", "erbium", "fermium", "gallium", "hydrogen", "iron", "jod", "krypton"],
    };

    // Parts that name a variant with its own number (the base distribution's or the runtime's), not the image's version.
    private static readonly string[] VariantPrefixes = ["alpine", "jdk", "jre", "java", "openjdk", "python", "py", "node", "nodejs", "debian", "ubuntu", "bookworm", "bullseye", "buster", "trixie"];

    public static ImageTagKind Classify(string repository, string? tag)
    {
        if (tag is null)
        {
            return ImageTagKind.Missing;
        }

        if (!IsValidTag(tag))
        {
            return ImageTagKind.Unknown;
        }

        if (tag == "latest")
        {
            return ImageTagKind.Latest;
        }

        var parts = tag.ToLowerInvariant().Split('-', '_');
        if (parts.Any(StartsLikeVersion))
        {
            return ImageTagKind.Version;
        }

        if (parts.Any(p => Channels.Contains(p) || Channels.Contains(p.Split('.')[0])))
        {
            return ImageTagKind.Channel;
        }

        if (parts.Any(p => p.Any(char.IsAsciiDigit) && !VariantPrefixes.Any(v => p.StartsWith(v, StringComparison.Ordinal) && p.Length > v.Length && !char.IsAsciiLetter(p[v.Length]))))
        {
            return ImageTagKind.Version;
        }

        return CodenamesOf(repository).Any(c => parts.Any(c.Contains)) ? ImageTagKind.Version : ImageTagKind.Channel;
    }

    // A distribution image (debian, bitnami/minideb, linuxserver/baseimage-ubuntu) is versioned by its codename;
    // buildpack-deps has Debian and Ubuntu tags.
    private static IEnumerable<HashSet<string>> CodenamesOf(string repository)
    {
        var name = repository[(repository.LastIndexOf('/') + 1)..];
        if (name.Contains("debian", StringComparison.Ordinal) || name.Contains("minideb", StringComparison.Ordinal) || name == "buildpack-deps")
        {
            yield return Codenames["debian"];
        }

        if (name.Contains("ubuntu", StringComparison.Ordinal) || name == "buildpack-deps")
        {
            yield return Codenames["ubuntu"];
        }

        if (name == "node")
        {
            yield return Codenames["node"];
        }
    }

    private static bool StartsLikeVersion(string part) =>
        part.Length > 0 && (char.IsAsciiDigit(part[0]) || (part.Length > 1 && part[0] == 'v' && char.IsAsciiDigit(part[1])));

    // The tag grammar of the distribution reference: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
    private static bool IsValidTag(string tag) =>
        tag.Length is > 0 and <= 128 && (char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_')
        && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
