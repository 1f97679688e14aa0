using System.Text;
using Bulwark.Scanning.Inputs;

namespace Bulwark.Reporting;

/// <summary>
/// A scanned file's path as a URI for reports that need one (SARIF): relative to a base directory, with
/// forward slashes and percent-escaping, when the file is under it; an absolute <c>file:</c> URI otherwise.
/// </summary>
public readonly record struct ArtifactUri(string Uri, bool IsRelative)
{
    /// <summary>The URI that stands for standard input, which has no path.</summary>
    public const string StandardInput = "stdin";

    public static ArtifactUri From(string path, string baseDirectory)
    {
        if (path == ScanInput.StandardInputName)
        {
            return new ArtifactUri(StandardInput, IsRelative: false);
        }

        var full = Path.GetFullPath(path, baseDirectory);
        var relative = Path.GetRelativePath(baseDirectory, full);
        if (!Path.IsPathRooted(relative) && relative != "." && relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return new ArtifactUri(EscapeSegments(relative), IsRelative: true);
        }

        return new ArtifactUri(FileUri(full), IsRelative: false);
    }

    /// <summary>The absolute <c>file:</c> URI of a directory, ending in a slash as SARIF requires of a base URI.</summary>
    public static string DirectoryUri(string directory)
    {
        var uri = FileUri(Path.GetFullPath(directory));
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    private static string FileUri(string fullPath)
    {
        var path = fullPath.Replace(Path.DirectorySeparatorChar, '/');
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            // A UNC path: the server becomes the URI's authority.
            return "file:" + EscapeSegments(path);
        }

        return "file://" + (path.StartsWith('/') ? string.Empty : "/") + EscapeSegments(path);
    }

    private static string EscapeSegments(string path)
    {
        var segments = path.Replace(Path.DirectorySeparatorChar, '/').Split('/');
        var uri = new StringBuilder(path.Length + 8);
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                uri.Append('/');
            }

            var segment = segments[i];
            // A Windows drive ("C:") stays as it is; escaping its colon would make it a different path.
            uri.Append(i <= 1 && IsDrive(segment) ? segment : System.Uri.EscapeDataString(segment));
        }

        return uri.ToString();
    }

    private static bool IsDrive(string segment) => segment is [var letter, ':'] && char.IsAsciiLetter(letter);
}
