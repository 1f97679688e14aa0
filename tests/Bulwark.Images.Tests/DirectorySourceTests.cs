using Bulwark.Images.Layers;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>A <c>dir:</c> root filesystem: one layer, links listed and never followed, nothing that can block.</summary>
public sealed class DirectorySourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_root_filesystem_is_one_layer_whose_links_are_not_followed()
    {
        var root = Directory.CreateDirectory(_temp["rootfs"]).FullName;
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "os-release"), "ID=alpine\n");
        File.WriteAllText(Path.Combine(root, ".wh.not-a-whiteout"), "just a file here\n");
        File.CreateSymbolicLink(Path.Combine(root, "host-etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(root, "escape"), "../../../../etc/passwd");
        var analyzer = new RecordingAnalyzer("etc/os-release", "host-etc/passwd");

        using var image = ImageSources.Open(ImageReference.Parse("dir:" + root));
        var contents = ImageContents.Read(image, [analyzer]);

        Assert.Equal([".wh.not-a-whiteout", "escape", "etc", "etc/os-release", "host-etc"], contents.Files.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(LayerEntryKind.SymbolicLink, contents.Files.Files["host-etc"].Entry.Kind);
        Assert.Equal("/etc", contents.Files.Files["host-etc"].Entry.LinkTarget);
        Assert.Equal("ID=alpine\n", Assert.Single(analyzer.Contents).Value);
        Assert.Contains("symbolic link \"escape\" points outside the image root", Assert.Single(contents.Layers[0].Warnings), StringComparison.Ordinal);
        Assert.Null(contents.Layers[0].Layer.Digest);
    }

    [SkippableFact]
    public void A_fifo_in_the_root_filesystem_is_listed_without_blocking()
    {
        ImageTools.Require(ImageTools.Missing("mkfifo"), packages: "coreutils");
        var root = Directory.CreateDirectory(_temp["rootfs"]).FullName;
        ImageTools.Run("mkfifo", Path.Combine(root, "initctl"));
        var wantsEverything = new RecordingAnalyzer("initctl");

        using var image = ImageSources.Open(ImageReference.Parse("dir:" + root));
        var read = Task.Run(() => ImageContents.Read(image, [wantsEverything]));

        Assert.True(read.Wait(TimeSpan.FromSeconds(30)), "reading a folder with a FIFO blocked");
        Assert.True(read.Result.Files.Files.ContainsKey("initctl"));
        Assert.Equal(string.Empty, wantsEverything.Contents[(0, "initctl")]);
    }
}
