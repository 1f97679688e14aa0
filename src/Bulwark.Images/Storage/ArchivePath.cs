namespace Bulwark.Images.Storage;

/// <summary>
/// Resolution of names and links inside an image archive or folder: <c>./a/../b</c> is <c>b</c>, and a path or link
/// that would leave the root is refused rather than followed.
/// </summary>
internal static class ArchivePath
{
    /// <summary>The normalised relative path, or null when <paramref name="path"/> climbs above the root.</summary>
    public static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>Where a link at <paramref name="linkPath"/> pointing at <paramref name="target"/> leads, or null if outside.</summary>
    public static string? ResolveLink(string linkPath, string target)
    {
        if (target.StartsWith('/'))
        {
            // An absolute link inside an archive cannot mean the host's file system: refuse it.
            return null;
        }

        var slash = linkPath.LastIndexOf('/');
        var parent = slash < 0 ? string.Empty : linkPath[..slash];
        return Normalize(parent.Length == 0 ? target : parent + "/" + target);
    }
}
