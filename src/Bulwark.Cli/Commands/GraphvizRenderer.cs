using System.Diagnostics;

namespace Bulwark.Cli.Commands;

/// <summary>Renders Graphviz source to SVG with the <c>dot</c> program on PATH (Debian package graphviz).</summary>
public static class GraphvizRenderer
{
    public static string? Render(string dotSource, out string problem)
    {
        var dot = FindOnPath("dot");
        if (dot is null)
        {
            problem = "--format svg needs Graphviz's dot program, which is not on PATH (Debian/Ubuntu: apt-get install graphviz); "
                + "or write --format dot and render it elsewhere";
            return null;
        }

        var start = new ProcessStartInfo(dot, "-Tsvg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start);
        if (process is null)
        {
            problem = $"could not start {dot}";
            return null;
        }

        // Read both streams while writing, so a large graph cannot dead-lock on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dotSource);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            problem = $"{dot} -Tsvg failed (exit {process.ExitCode}): {stderr.Result.Trim()}";
            return null;
        }

        problem = string.Empty;
        return stdout.Result;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
