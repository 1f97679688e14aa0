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

    /// <summary>
    /// Runs the built CLI as a process: for what in-process runs cannot show (the working folder, the
    /// environment, a terminal). With <paramref name="terminal"/>, under util-linux's <c>script</c>, which gives
    /// it a pseudo-terminal as standard output; output then has CRLF line ends.
    /// </summary>
    public static Result RunProcess(string workingDirectory, string stdin, IReadOnlyDictionary<string, string?> environment, bool terminal, params string[] args)
    {
        var bulwark = Path.Combine(AppContext.BaseDirectory, "bulwark");
        var start = terminal
            ? new System.Diagnostics.ProcessStartInfo("script", ["-qec", string.Join(' ', new[] { bulwark }.Concat(args).Select(Quote)), "/dev/null"])
            : new System.Diagnostics.ProcessStartInfo(bulwark, args);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("bulwark did not finish within 60 s: " + string.Join(' ', args));
        }

        return new Result(process.ExitCode, output.Result, error.Result);

        static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
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
