using System.Text;

namespace Bulwark.Cli.Tests;

/// <summary>Runs the CLI in-process with captured streams.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args) => RunWithInput(string.Empty, args);

    public static Result RunWithInput(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin)));
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A temporary folder of files, deleted afterwards.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "bulwark-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does no harm.
        }
    }
}
