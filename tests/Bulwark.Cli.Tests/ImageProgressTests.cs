using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>The progress bar of <c>bulwark image</c>: on a terminal only, erased when done, off with <c>--no-progress</c>.</summary>
public sealed class ImageProgressTests
{
    private static readonly string Rootfs = "dir:" + RepositoryPaths.InRepo("examples", "image", "rootfs");

    [Theory]
    [InlineData(true, new string[0], true)]
    [InlineData(true, new[] { "--no-progress" }, false)]
    [InlineData(false, new string[0], false)]
    public void The_bar_shows_only_on_a_terminal(bool terminal, string[] extra, bool shown)
    {
        var result = CliRunner.RunProcess(RepositoryPaths.Root, string.Empty, new Dictionary<string, string?> { ["TERM"] = "xterm" }, terminal, ["image", Rootfs, "--no-cache", .. extra]);

        // Under script(1) standard error is the terminal too, so the bar is in the captured output.
        var output = result.Out + result.Error;
        Assert.Contains("secret-file-in-image", output, StringComparison.Ordinal);
        Assert.Equal(shown, output.Contains("] layer 1/1", StringComparison.Ordinal));
    }
}
