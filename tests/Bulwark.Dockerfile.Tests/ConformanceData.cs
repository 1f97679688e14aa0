using Bulwark.TestSupport;

namespace Bulwark.Dockerfile.Tests;

/// <summary>Locates BuildKit's parser conformance data in the shared folder (read in place, never copied).</summary>
internal static class ConformanceData
{
    public static string Root
    {
        get
        {
            var path = RepositoryPaths.InShared("conformance", "dockerfile-parser", "frontend", "dockerfile");
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException(
                    $"BuildKit conformance data not found at {path}; it belongs in shared/conformance/dockerfile-parser (see its PROVENANCE.md)");
            }

            return path;
        }
    }

    public static string Parser(params string[] parts) => Path.Combine([Root, "parser", .. parts]);

    public static string Shell(params string[] parts) => Path.Combine([Root, "shell", .. parts]);

    public static string Corpus
    {
        get
        {
            var path = RepositoryPaths.InShared("corpus", "dockerfiles", "binnacle-gold");
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"Dockerfile corpus not found at {path}");
            }

            return path;
        }
    }

    public static IEnumerable<string> CaseNames(string folder)
    {
        var dir = Parser(folder);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"conformance folder missing: {dir}");
        }

        return Directory.GetDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
    }
}
