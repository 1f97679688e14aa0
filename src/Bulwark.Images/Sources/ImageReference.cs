using System.Formats.Tar;
using System.IO.Compression;

namespace Bulwark.Images.Sources;

/// <summary>
/// What <c>bulwark image SOURCE</c> names: a Syft-style prefix (<c>docker-archive:</c>, <c>oci-archive:</c>,
/// <c>oci-dir:</c>, <c>dir:</c>, <c>docker:</c>, <c>registry:</c>) and its location, or a bare path whose kind is
/// detected from its content.
/// </summary>
public sealed record ImageReference(ImageSourceKind Kind, string Location)
{
    private static readonly (string Prefix, ImageSourceKind Kind)[] Prefixes =
    [
        ("docker-archive:", ImageSourceKind.DockerArchive),
        ("oci-archive:", ImageSourceKind.OciArchive),
        ("oci-dir:", ImageSourceKind.OciDirectory),
        ("dir:", ImageSourceKind.Directory),
        ("docker:", ImageSourceKind.Docker),
        ("registry:", ImageSourceKind.Registry),
    ];

    private static readonly string[] FileExtensions = [".tar", ".tgz", ".gz", ".zst", ".json", ".yaml", ".yml"];

    /// <summary>The reference as the user would write it with its prefix (a bare name has none), for messages.</summary>
    public override string ToString() => Kind == ImageSourceKind.Name ? Location : Prefixes.First(p => p.Kind == Kind).Prefix + Location;

    /// <summary>
    /// Parses <paramref name="text"/>. A bare path is detected: a folder with <c>oci-layout</c> is an OCI layout,
    /// another folder a root filesystem, a tar (gzip-wrapped or not) with <c>manifest.json</c> a docker-archive, one
    /// with <c>oci-layout</c> an oci-archive. Text that is no path but an image name (<c>nginx:1.27</c>,
    /// <c>ghcr.io/org/app@sha256:…</c>) is a <see cref="ImageSourceKind.Name"/>, looked up in the engine then the
    /// registry. Throws <see cref="ImageReadException"/> when nothing can be read there.
    /// </summary>
    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (prefix, kind) in Prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                var location = text[prefix.Length..];
                if (location.Length == 0)
                {
                    throw new ImageReadException($"\"{text}\" names no {prefix.TrimEnd(':')} image");
                }

                return new ImageReference(kind, location);
            }
        }

        return Detect(text);
    }

    private static ImageReference Detect(string path)
    {
        if (Directory.Exists(path))
        {
            return File.Exists(Path.Combine(path, "oci-layout"))
                ? new ImageReference(ImageSourceKind.OciDirectory, path)
                : new ImageReference(ImageSourceKind.Directory, path);
        }

        if (!File.Exists(path))
        {
            return LooksLikeImageName(path)
                ? new ImageReference(ImageSourceKind.Name, path)
                : throw new ImageReadException($"{path}: no such file or folder, nor an image name");
        }

        try
        {
            return DetectArchive(path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new ImageReadException($"{path}: not an image archive (a tar with manifest.json or oci-layout): {e.Message}", e);
        }
    }

    /// <summary>A valid image name that does not read as a mistyped file name (<c>image.tar</c>, <c>./app</c>).</summary>
    private static bool LooksLikeImageName(string text) =>
        RegistryImageName.TryParse(text, out _, out _)
        && !text.StartsWith('.')
        && !FileExtensions.Any(e => text.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static ImageReference DetectArchive(string path)
    {
        using var file = File.OpenRead(path);
        using var tar = ArchiveCompression.IsGzip(file) ? (Stream)new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(tar);
        var ociLayout = false;
        while (reader.GetNextEntry() is { } entry)
        {
            var name = entry.Name.TrimStart('.', '/');
            if (name == "manifest.json")
            {
                // Docker 25+ writes both; manifest.json is what every docker-archive has.
                return new ImageReference(ImageSourceKind.DockerArchive, path);
            }

            ociLayout |= name == "oci-layout";
        }

        return ociLayout
            ? new ImageReference(ImageSourceKind.OciArchive, path)
            : throw new ImageReadException($"{path}: a tar, but neither a docker-archive (no manifest.json) nor an oci-archive (no oci-layout)");
    }
}
