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
            if (fromEnv is { Length: > 0 })
            {
                return Directory.Exists(fromEnv)
                    ? fromEnv
                    : throw new DirectoryNotFoundException($"BULWARK_SHARED names {fromEnv}, which does not exist");
            }

            // The shared folder sits beside the checkout (../shared); a checkout nested deeper finds it further up.
            for (var dir = Directory.GetParent(Root); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "conformance")))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException($"shared test data (a folder \"shared\" with \"conformance\" in it) not found above {Root}; set BULWARK_SHARED to the shared folder");
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
