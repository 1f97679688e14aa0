namespace Bulwark.Images.Tests.Packages;

/// <summary>
/// A tiny Go module built once per test run with Debian's <c>golang-go</c>, offline: <c>example.com/app</c> requires
/// <c>example.com/greet v1.2.3</c>, replaced by a local folder, so its build info has a main module, a dependency
/// and a replacement. <c>go version -m</c> on the same binary is what the reader is compared with.
/// </summary>
public static class GoProgram
{
    /// <summary>The linker flags of <see cref="StampedBinary"/>: a version, a variable that is not one, a quoted value.</summary>
    public const string LinkerFlags = "-s -X main.version=1.4.0 -X 'example.com/app/internal/build.Commit=abc def'";

    private static readonly Lazy<(string? Binary, Exception? Error)> Built = new(() => Build("app.bin"));

    private static readonly Lazy<(string? Binary, Exception? Error)> Stamped = new(() => Build("stamped.bin", "-ldflags", LinkerFlags));

    private static readonly TempFolder Folder = new();

    /// <summary>The built binary; skips or fails the calling test without Go, fails it when the build failed.</summary>
    public static string Binary
    {
        get
        {
            ImageTools.Require(ImageTools.Missing("go"), "golang-go");
            var (binary, error) = Built.Value;
            return binary ?? throw new InvalidOperationException("building the Go test program failed: " + error?.Message, error);
        }
    }

    /// <summary>The same program linked with <see cref="LinkerFlags"/>, as release builds stamp their version.</summary>
    public static string StampedBinary
    {
        get
        {
            _ = Binary;
            var (binary, error) = Stamped.Value;
            return binary ?? throw new InvalidOperationException("building the Go test program failed: " + error?.Message, error);
        }
    }

    /// <summary><c>go version -m</c>'s lines for <paramref name="binary"/>: the Go version, then each build-info line without its leading tab.</summary>
    public static (string GoVersion, List<string> Lines) VersionM(string binary)
    {
        var output = ImageTools.Run("go", "version", "-m", binary).Split('\n');
        var goVersion = output[0][(output[0].LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
        return (goVersion, [.. output.Skip(1).Where(l => l.Trim().Length > 0).Select(l => l[1..])]);
    }

    private static (string?, Exception?) Build(string name, params string[] flags)
    {
        try
        {
            // Both binaries build from the same sources, one after the other (StampedBinary waits for Binary).
            Write("greet/go.mod", "module example.com/greet\n\ngo 1.19\n");
            Write("greet/greet.go", "package greet\n\nfunc Hello() string { return \"hello\" }\n");
            Write("app/go.mod", "module example.com/app\n\ngo 1.19\n\nrequire example.com/greet v1.2.3\n\nreplace example.com/greet => ../greet\n");
            Write("app/main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/greet\"\n)\n\nfunc main() { fmt.Println(greet.Hello()) }\n");
            var binary = Folder[name];
            ImageTools.Run(
                "env",
                [
                    "-C", Folder["app"],
                    "GOPROXY=off", "GOFLAGS=-mod=mod -buildvcs=false", "GOTOOLCHAIN=local", "GOWORK=off",
                    "GOCACHE=" + Folder["cache"], "GOPATH=" + Folder["gopath"], "HOME=" + Folder.Path,
                    "go", "build", .. flags, "-o", binary, ".",
                ]);
            return (binary, null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            return (null, e);
        }
    }

    private static void Write(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Folder[relative])!);
        File.WriteAllText(Folder[relative], text);
    }
}
