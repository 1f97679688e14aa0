namespace Bulwark.TestSupport;

/// <summary>
/// Locates the repository root and the shared test data (<c>../shared</c> next to the repository, or
/// <c>BULWARK_SHARED</c>). Shared data is read in place, never copied into the repository.
/// </summary>
public static class RepositoryPaths
{
    public const string SharedVariable = "BULWARK_SHARED";

    /// <summary>Set to <c>1</c> (as .ci/run does), missing shared data fails the tests that need it instead of skipping them.</summary>
    public const string RequireSharedVariable = "BULWARK_REQUIRE_SHARED";

    public static string Root { get; } = FindRoot();

    /// <summary>The shared folder; throws, naming <c>BULWARK_SHARED</c>, when there is none.</summary>
    public static string Shared => SharedIfPresent ?? throw new DirectoryNotFoundException(
        $"shared test data (a folder \"shared\" with \"conformance\" in it) not found above {Root}; set {SharedVariable} to the shared folder");

    /// <summary>
    /// The shared folder, or null when a checkout has none beside it (a fresh clone). A <c>BULWARK_SHARED</c> that
    /// names no folder is a mistake, not an absence: it throws.
    /// </summary>
    public static string? SharedIfPresent
    {
        get
        {
            if (ExplicitShared is { } fromEnv)
            {
                return Directory.Exists(fromEnv)
                    ? fromEnv
                    : throw new DirectoryNotFoundException($"{SharedVariable} names {fromEnv}, which does not exist");
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

            return null;
        }
    }

    /// <summary>
    /// Why the tests that read shared data are skipped, or null when they run: they run when the data is there,
    /// when <c>BULWARK_SHARED</c> is set (a wrong value must fail, not skip), and when <c>BULWARK_REQUIRE_SHARED=1</c>.
    /// </summary>
    public static string? SharedSkipReason { get; } = LeaveNotice(
        ExplicitShared is null && Environment.GetEnvironmentVariable(RequireSharedVariable) != "1" && SharedIfPresent is null
            ? $"shared test data not found (no folder \"shared\" with \"conformance\" in it above {Root}): set {SharedVariable} "
              + $"to the shared folder to run the tests that read it; {RequireSharedVariable}=1 makes its absence a failure"
            : null);

    /// <summary>
    /// The file in the test output folder that holds <see cref="SharedSkipReason"/> when tests were skipped for it.
    /// <c>dotnet test</c> shows no skip reasons, so tests/Directory.Build.targets turns the file into a warning.
    /// </summary>
    public const string SkipNoticeFile = "shared-data-skipped.txt";

    public static string InShared(params string[] parts) => Path.Combine([Shared, .. parts]);

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string? LeaveNotice(string? reason)
    {
        var notice = Path.Combine(AppContext.BaseDirectory, SkipNoticeFile);
        try
        {
            if (reason is null)
            {
                File.Delete(notice);
            }
            else
            {
                File.WriteAllText(notice, reason + "\n");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The notice only explains the skips; the skips themselves do not depend on it.
        }

        return reason;
    }

    private static string? ExplicitShared => Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } value ? value : null;

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
