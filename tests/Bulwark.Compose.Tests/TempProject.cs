using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Parsing.Compose;
using Xunit;

namespace Bulwark.Compose.Tests;

/// <summary>A throw-away project directory for loader tests; deleted on dispose.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "bulwark-compose-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public string Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public ComposeProject Load(string relative = "compose.yaml", ComposeLoadOptions? options = null) =>
        ComposeLoader.Load(PathOf(relative), options ?? ComposeLoadOptions.Default);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not fail a test.
        }
    }
}

internal static class Expect
{
    public static void At<T>(Located<T>? value, T expected, string file, int line)
    {
        Assert.True(value.HasValue, $"expected {expected} at {file}:{line}, got nothing");
        Assert.Equal(expected, value.Value.Value);
        At(value.Value.Location, file, line);
    }

    public static void At(SourceLocation location, string file, int line)
    {
        Assert.Equal(file, location.File);
        Assert.Equal(line, location.Line);
    }

    public static void NoErrors(ComposeProject project) =>
        Assert.True(project.Errors.Count == 0, "unexpected errors: " + string.Join("; ", project.Errors));
}
