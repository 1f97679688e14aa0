using System.Diagnostics;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// The Debian tools the image tests use (debootstrap, umoci, skopeo, podman build real images; dpkg-query, rpm, npm are oracles): found on PATH and run with a time
/// limit. A missing tool skips the test with a message saying what to install, and fails it when
/// <c>BULWARK_REQUIRE_TOOLS=1</c> (CI), so CI never passes by skipping.
/// </summary>
public static class ImageTools
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(120);

    /// <summary>The tools in <paramref name="names"/> that are not on PATH.</summary>
    public static IReadOnlyList<string> Missing(params string[] names) =>
        [.. names.Where(name => !(Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name))))];

    /// <summary>Skips (or, under BULWARK_REQUIRE_TOOLS=1, fails) when <paramref name="missing"/> is not empty.</summary>
    /// <param name="packages">The Debian packages holding them, when not named as the tools are.</param>
    public static void Require(IReadOnlyList<string> missing, string? packages = null)
    {
        if (missing.Count == 0)
        {
            return;
        }

        Unavailable($"{string.Join(", ", missing)} not installed (Debian: apt-get install {packages ?? string.Join(' ', missing)}); the image tests need them");
    }

    /// <summary>Skips the calling test for <paramref name="reason"/>, or fails it under BULWARK_REQUIRE_TOOLS=1.</summary>
    public static void Unavailable(string reason)
    {
        Assert.False(Environment.GetEnvironmentVariable("BULWARK_REQUIRE_TOOLS") == "1", reason + ", and BULWARK_REQUIRE_TOOLS=1 requires them");
        Skip.If(true, reason);
    }

    /// <summary>Runs a tool to completion; its standard output, or a failure with its standard error.</summary>
    public static string Run(string tool, params string[] arguments) => Run(TimeLimit, tool, arguments);

    /// <summary>Runs a tool that may take longer than <see cref="TimeLimit"/> (debootstrap downloads a system).</summary>
    public static string Run(TimeSpan timeLimit, string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} ran longer than {timeLimit}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        }

        return output.Result;
    }
}
