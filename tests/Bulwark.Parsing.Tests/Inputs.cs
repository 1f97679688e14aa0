using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;
using Bulwark.Scanning;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>Builds inputs and scans folders of them.</summary>
public static class Inputs
{
    /// <summary>A pod that the privileged-container rule (BW1001) reports, to prove scanning went on.</summary>
    public const string PrivilegedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: still-scanned
        spec:
          containers:
            - name: shell
              image: busybox:1.36
              securityContext:
                privileged: true

        """;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static SourceFile Parse(string path, byte[] bytes, DocumentLimits? limits = null) =>
        SourceFile.Parse(path, bytes, limits ?? DocumentLimits.Default, path.EndsWith(".json", StringComparison.Ordinal) ? true : null);

    /// <summary>Parses within bounds and returns the file's only error, which must name the file.</summary>
    public static (SourceFile File, InputError Error, long Allocated) ParseExpectingError(string path, byte[] bytes, DocumentLimits? limits = null)
    {
        var (file, allocated) = Bounded.Run(() => Parse(path, bytes, limits));
        var error = Assert.Single(file.Errors);
        Assert.Equal(path, error.File);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return (file, error, allocated);
    }

    /// <summary>
    /// Writes the hostile file beside a good one in a fresh folder and scans the folder: the hostile file must
    /// give exactly one error naming it, and the good file must still be scanned (its BW1001 finding reported).
    /// </summary>
    public static InputError AssertScanGoesOn(string hostileName, byte[] hostile, DocumentLimits? limits = null)
    {
        using var dir = new TempFolder();
        var hostilePath = Path.Combine(dir.Path, hostileName);
        var goodPath = Path.Combine(dir.Path, "z-good.yaml");
        File.WriteAllBytes(hostilePath, hostile);
        File.WriteAllText(goodPath, PrivilegedPod);

        var (result, _) = Bounded.Run(() => new ScanEngine().Scan(new ScanOptions
        {
            Paths = [dir.Path],
            Limits = limits ?? DocumentLimits.Default,
        }));

        var error = Assert.Single(result.Errors);
        Assert.Equal(hostilePath, error.File);
        Assert.Contains(result.Findings, f => f.Rule.Id == "BW1001" && f.Location.File == goodPath);
        return error;
    }
}

/// <summary>A temporary folder, deleted with everything in it when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bulwark-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind must not fail the test that used it.
        }
    }
}
