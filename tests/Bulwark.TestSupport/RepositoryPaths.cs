namespace Bulwark.TestSupport;

/// <summary>
/// Locates the repository root and the shared test data (<c>../shared</c> next to the repository, or
/// <c>BULWARK_SHARED</c>). Shared data is read in place, never copied into the repository.
/// </summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("BULWARK_SHARED");
            var path = fromEnv is { Length: > 0 } ? fromEnv : Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"shared test data not found at {path}; set BULWARK_SHARED to the shared folder");
            }

            return path;
        }
    }

    public static string InShared(params string[] parts) => Path.Combine([Shared, .. parts]);

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (Bulwark.slnx) not found above " + AppContext.BaseDirectory);
    }
}
