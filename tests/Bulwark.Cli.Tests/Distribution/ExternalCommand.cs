using System.Diagnostics;

namespace Bulwark.Cli.Tests.Distribution;

/// <summary>Runs a program outside the test process, as a user's shell would, and captures what it prints.</summary>
public static class ExternalCommand
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string Transcript => $"exit code {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
    }

    public static Result Run(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // The test runner's MSBuild, VSTest and Git variables describe the runner, not a user's shell: a dotnet or git
        // started with them would build or commit in the runner's context instead of its own.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("GIT_", StringComparison.Ordinal) || name is "MSBuildExtensionsPath" or "MSBuildSDKsPath")
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {limit}");
        }

        // A grandchild that outlives the program (a build server) can keep the pipes open: do not wait for it.
        var finished = Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(30));
        return new Result(process.ExitCode, finished ? stdout.Result : string.Empty, finished ? stderr.Result : "(output not closed: a child process kept it open)");
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
