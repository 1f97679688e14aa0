namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// A fresh folder of its own for one update's downloads, readable only by the user on Unix, removed with everything in
/// it when disposed: staged feeds are imported from here and never kept, whether the update succeeded or not.
/// </summary>
public sealed class FeedStaging : IDisposable
{
    private FeedStaging(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>A new folder under <paramref name="parent"/>, or under the system's temp folder when it is null.</summary>
    public static FeedStaging Create(string? parent = null)
    {
        if (parent is null)
        {
            return new FeedStaging(Directory.CreateTempSubdirectory("bulwark-feeds-").FullName);
        }

        var folder = Path.Combine(parent, "bulwark-feeds-" + Guid.NewGuid().ToString("N"));
        return new FeedStaging(OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(folder).FullName
            : Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: nothing is left behind either way.
        }
    }
}
