using System.Diagnostics;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>
/// Debian's <c>chromium</c>, headless, on a local file: a screenshot, or the DOM once the page's script ran. Each
/// run gets a profile folder of its own and a time limit; a browser that outlives it is killed with its children,
/// so a test never hangs.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(120);

    private readonly string _executable;
    private readonly string _profile = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "bulwark-chromium-" + Guid.NewGuid().ToString("N"))).FullName;

    private HeadlessChromium(string executable) => _executable = executable;

    /// <summary>The browser, or a skip saying it is missing (a failure when <c>BULWARK_REQUIRE_TOOLS=1</c>, as in CI).</summary>
    public static HeadlessChromium Start()
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
        if (executable is null)
        {
            const string Missing = "chromium (Debian package chromium) is not installed; the HTML report's browser tests need it (apt-get install chromium)";
            Assert.False(Environment.GetEnvironmentVariable("BULWARK_REQUIRE_TOOLS") == "1", Missing + ", and BULWARK_REQUIRE_TOOLS=1 requires it");
            Skip.If(true, Missing);
        }

        return new HeadlessChromium(executable!);
    }

    /// <summary>A PNG of the page in a window of this size.</summary>
    public byte[] Screenshot(string htmlFile, int width, int height)
    {
        var png = Path.Combine(_profile, "screenshot.png");
        Run($"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlFile).AbsoluteUri);
        Assert.True(File.Exists(png), $"chromium wrote no screenshot to {png}");
        return File.ReadAllBytes(png);
    }

    /// <summary>The page's DOM, serialized after it loaded (its script has run), opened at <paramref name="fragment"/> (<c>#…</c>).</summary>
    public string DumpDom(string htmlFile, string fragment = "") => Run("--dump-dom", new Uri(htmlFile).AbsoluteUri + fragment);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a profile left behind in the temp folder does no harm.
        }
    }

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // --no-sandbox: the sandbox needs user namespaces that containers and CI runners (running as root) lack.
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", $"--user-data-dir={_profile}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_executable}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeLimit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"chromium did not finish within {TimeLimit.TotalSeconds} s and was killed: {string.Join(' ', arguments)}");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {error.Result}");
        return output.Result;
    }
}
