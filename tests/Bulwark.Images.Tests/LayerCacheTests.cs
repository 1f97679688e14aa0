using Bulwark.Images.Caching;
using Bulwark.Images.Layers;
using Bulwark.Images.Packages;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

public sealed class LayerCacheTests
{
    private const string Status = "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\nSource: glibc\n";

    private static string Layout(TempFolder folder, out OciLayoutWriter layout)
    {
        layout = new OciLayoutWriter(folder["layout"]);
        layout.SingleImage(
            new TarBuilder().File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n").File("var/lib/dpkg/status", Status)
                .Symlink("bin", "usr/bin").File("etc/secret", "x").ToArray(),
            new TarBuilder().File("etc/.wh.secret", string.Empty).File("app/node_modules/a/package.json", """{"name":"a","version":"1.0.0"}""").ToArray());
        return "oci-dir:" + layout.Root;
    }

    private static void BreakEveryBlob(OciLayoutWriter layout)
    {
        foreach (var blob in Directory.GetFiles(Path.Combine(layout.Root, "blobs", "sha256")))
        {
            // Layers only: the manifest and config are JSON and must stay readable.
            if (File.ReadAllBytes(blob)[0] != (byte)'{')
            {
                File.WriteAllBytes(blob, new byte[new FileInfo(blob).Length]);
            }
        }
    }

    [Fact]
    public void A_second_read_comes_from_the_cache_whole_without_reading_the_layers()
    {
        using var folder = new TempFolder();
        var reference = ImageReference.Parse(Layout(folder, out var layout));
        var options = ImageReadOptions.Default with { Cache = new LayerCache(folder["cache"]) };
        var analyzer = new PackageAnalyzer();

        ImageContents first, second;
        using (var image = ImageSources.Open(reference))
        {
            first = ImageContents.Read(image, [analyzer], options);
        }

        BreakEveryBlob(layout);
        var progress = new List<LayerProgress>();
        using (var image = ImageSources.Open(reference))
        {
            second = ImageContents.Read(image, [analyzer], options with { Progress = new SynchronousProgress(progress) });
        }

        Assert.All(progress, p => Assert.Equal(LayerProgressState.Cached, p.State));
        Assert.Equal(2, progress.Count);
        for (var i = 0; i < first.Layers.Count; i++)
        {
            Assert.Equal(first.Layers[i].Layer, second.Layers[i].Layer);
            Assert.Equal(first.Layers[i].Entries, second.Layers[i].Entries);
            Assert.Equal(first.Layers[i].Whiteouts, second.Layers[i].Whiteouts);
        }

        Assert.Equal(first.Files.Files.Keys.Order(), second.Files.Files.Keys.Order());
        var before = analyzer.Inventory(first);
        var after = analyzer.Inventory(second);
        Assert.Equal(before.OperatingSystem, after.OperatingSystem);
        Assert.Equal(before.Packages.Select(p => (p.Package, p.LayerIndex, p.LayerDiffId)), after.Packages.Select(p => (p.Package, p.LayerIndex, p.LayerDiffId)));
        Assert.Equal(["a", "libc6"], after.Packages.Select(p => p.Package.Name).Order());
    }

    [Fact]
    public void Another_set_of_analysers_misses_the_cache_and_reads_the_layers()
    {
        using var folder = new TempFolder();
        var reference = ImageReference.Parse(Layout(folder, out var layout));
        var options = ImageReadOptions.Default with { Cache = new LayerCache(folder["cache"]) };
        using (var image = ImageSources.Open(reference))
        {
            ImageContents.Read(image, [new PackageAnalyzer()], options);
        }

        BreakEveryBlob(layout);
        using (var image = ImageSources.Open(reference))
        {
            var error = Assert.Throws<ImageReadException>(() => ImageContents.Read(image, [new PackageAnalyzer(), new RecordingAnalyzer("etc/os-release")], options));
            Assert.Contains("layer 1 of 2", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_damaged_cache_file_is_a_miss_and_is_replaced()
    {
        using var folder = new TempFolder();
        var reference = ImageReference.Parse(Layout(folder, out _));
        var options = ImageReadOptions.Default with { Cache = new LayerCache(folder["cache"]) };
        var analyzer = new RecordingAnalyzer("etc/os-release");
        using (var image = ImageSources.Open(reference))
        {
            ImageContents.Read(image, [analyzer], options);
        }

        var stored = Directory.GetFiles(folder["cache"], "*.json.gz", SearchOption.AllDirectories);
        Assert.Equal(2, stored.Length);
        foreach (var file in stored)
        {
            File.WriteAllText(file, "not gzip");
        }

        analyzer.Contents.Clear();
        using (var image = ImageSources.Open(reference))
        {
            var contents = ImageContents.Read(image, [analyzer], options);
            Assert.Equal("ID=debian\nVERSION_ID=\"12\"\n", analyzer.Contents[(0, "etc/os-release")]);
            Assert.Equal("ID=debian\nVERSION_ID=\"12\"\n", Assert.Single(analyzer.ResultsIn(contents)).Value);
        }

        Assert.All(Directory.GetFiles(folder["cache"], "*.json.gz", SearchOption.AllDirectories), f => Assert.NotEqual("not gzip", File.ReadAllText(f)));
    }

    [Fact]
    public void A_cache_folder_that_cannot_be_written_is_no_error()
    {
        using var folder = new TempFolder();
        var reference = ImageReference.Parse(Layout(folder, out _));
        File.WriteAllText(folder["file"], "a file where the cache folder should be");
        using var image = ImageSources.Open(reference);
        var contents = ImageContents.Read(image, [new PackageAnalyzer()], ImageReadOptions.Default with { Cache = new LayerCache(folder["file"]) });
        Assert.Equal(2, contents.Layers.Count);
    }

    private sealed class SynchronousProgress(List<LayerProgress> into) : IProgress<LayerProgress>
    {
        public void Report(LayerProgress value) => into.Add(value);
    }
}
