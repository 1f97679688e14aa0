using System.Text.RegularExpressions;
using ImageName = Bulwark.Core.Model.ImageReference;

namespace Bulwark.Images.Sources;

/// <summary>
/// An image name as a registry is asked for it, normalised as docker does: no registry means Docker Hub
/// (<c>docker.io</c>, served at <c>registry-1.docker.io</c>), a one-part Hub name is under <c>library/</c>, no tag
/// means <c>latest</c>. Split by the one image-reference parser (<see cref="ImageName"/>); checked against the
/// distribution grammar here, because the parts go into URLs.
/// </summary>
internal sealed partial record RegistryImageName(string Registry, string Host, string Repository, string? Tag, string? Digest)
{
    /// <summary>The digest when pinned, else the tag: what <c>/v2/NAME/manifests/REF</c> asks for.</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    public static bool TryParse(string text, out RegistryImageName name, out string? problem)
    {
        name = null!;
        var parsed = ImageName.Parse(text);
        var registry = parsed.Registry is null or "index.docker.io" or "registry-1.docker.io" ? "docker.io" : parsed.Registry;
        var repository = registry == "docker.io" && !parsed.Repository.Contains('/', StringComparison.Ordinal)
            ? "library/" + parsed.Repository
            : parsed.Repository;
        problem = !HostPattern().IsMatch(registry) ? $"\"{registry}\" is not a registry host"
            : !RepositoryPattern().IsMatch(repository) ? $"\"{parsed.Repository}\" is not a repository name (lowercase letters, digits and . _ - / only)"
            : parsed.Tag is { } tag && !TagPattern().IsMatch(tag) ? $"\"{tag}\" is not a tag"
            : parsed.Digest is { } digest && !BlobDigest.IsSha256(digest) ? $"\"{digest}\" is not a sha256 digest"
            : null;
        if (problem is not null)
        {
            return false;
        }

        name = new RegistryImageName(registry, registry == "docker.io" ? "registry-1.docker.io" : registry, repository, parsed.Tag, parsed.Digest);
        return true;
    }

    /// <summary><c>registry/repository:tag</c> or <c>…@digest</c>, fully qualified.</summary>
    public override string ToString() =>
        Digest is not null ? $"{Registry}/{Repository}@{Digest}" : $"{Registry}/{Repository}:{Tag ?? "latest"}";

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
