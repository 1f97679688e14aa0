namespace Bulwark.Images.Tests;

/// <summary>A folder of its own under the temp folder, removed at the end of the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bulwark-images-" + Guid.NewGuid().ToString("N"))).FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a folder left in the temp folder does no harm.
        }
        catch (UnauthorizedAccessException)
        {
            // umoci's rootless unpack can leave read-only folders; they do no harm either.
        }
    }
}
