namespace Bulwark.Kubernetes.Tests;

/// <summary>
/// Finds the shared conformance data, which lives beside the repository and is read in place: the
/// <c>BULWARK_SHARED</c> environment variable names the <c>shared</c> folder, else it is <c>../shared</c>
/// relative to the repository root (the folder holding <c>Bulwark.slnx</c>).
/// </summary>
internal static class SharedData
{
    public const string EnvironmentVariable = "BULWARK_SHARED";

    /// <summary>The <c>shared</c> folder, or null with the reason when it cannot be found.</summary>
    public static string? SharedFolder(out string searched)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            searched = $"{EnvironmentVariable}={fromEnvironment}";
            return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        }

        if (RepositoryRoot() is not { } root)
        {
            searched = $"no folder containing Bulwark.slnx above {AppContext.BaseDirectory}";
            return null;
        }

        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared"));
        searched = shared;
        return Directory.Exists(shared) ? shared : null;
    }

    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
