using Bulwark.Core.Findings;

namespace Bulwark.Scanning.Inputs;

/// <summary>
/// What to read: a file on disk, or standard input. <c>Explicit</c>: named on the command line (or standard
/// input), not found by a folder walk.
/// </summary>
public sealed record ScanInput(string Path, bool IsStandardInput = false, bool Explicit = false)
{
    public const string StandardInputName = "<stdin>";

    /// <summary>The path named on the command line this input came from (the file itself, its folder, or <c>-</c>).</summary>
    public string Origin { get; init; } = Path;
}

/// <summary>
/// Expands the paths given on the command line into input files: files as given, folders recursively
/// (skipping <c>.git</c>, <c>bin</c>, <c>obj</c>, <c>node_modules</c> and excluded globs), <c>-</c> for stdin.
/// </summary>
public static class InputDiscovery
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules" };

    public static List<ScanInput> Discover(IEnumerable<string> paths, IReadOnlyList<GlobPattern> excludes, List<InputError> errors)
    {
        var inputs = new List<ScanInput>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (path == "-")
            {
                inputs.Add(new ScanInput(ScanInput.StandardInputName, IsStandardInput: true, Explicit: true) { Origin = path });
            }
            else if (File.Exists(path))
            {
                // A file named explicitly is read whatever its name; excludes apply to what folders yield.
                if (seen.Add(Path.GetFullPath(path)))
                {
                    inputs.Add(new ScanInput(path, Explicit: true));
                }
            }
            else if (Directory.Exists(path))
            {
                Walk(path, path, excludes, inputs, seen, errors);
            }
            else
            {
                errors.Add(new InputError(path, 0, 0, "no such file or directory"));
            }
        }

        return inputs;
    }

    /// <summary>Files a folder scan reads: those a registered reader takes by name (YAML and JSON, Compose files, Dockerfiles).</summary>
    public static bool IsManifestFile(string path) => Sources.SourceReaders.IsCandidateName(path);

    private static void Walk(string root, string folder, IReadOnlyList<GlobPattern> excludes, List<ScanInput> inputs, HashSet<string> seen, List<InputError> errors)
    {
        IEnumerable<string> files;
        IEnumerable<string> folders;
        try
        {
            files = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ToList();
            folders = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder is part of the input left out: say so, or a scan of it could pass unseen.
            errors.Add(new InputError(folder, 0, 0, $"cannot list the folder: {ex.Message}"));
            return;
        }

        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root, file);
            if (IsManifestFile(file) && !excludes.Any(g => g.IsMatch(relative)) && seen.Add(Path.GetFullPath(file)))
            {
                inputs.Add(new ScanInput(file) { Origin = root });
            }
        }

        foreach (var sub in folders)
        {
            var name = Path.GetFileName(sub);
            var relative = Path.GetRelativePath(root, sub);
            var info = new DirectoryInfo(sub);
            if (SkippedFolders.Contains(name) || info.LinkTarget is not null || excludes.Any(g => g.IsMatch(relative)))
            {
                continue;
            }

            Walk(root, sub, excludes, inputs, seen, errors);
        }
    }
}
