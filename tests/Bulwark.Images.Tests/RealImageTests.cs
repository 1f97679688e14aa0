using Bulwark.Images.Layers;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// The same real image in every form gives the same config and the same merged file view; the deleted key is gone
/// from the view but still in the layer that added it.
/// </summary>
public sealed class RealImageTests(RealImages images) : IClassFixture<RealImages>
{
    private static readonly string[] ExpectedPaths =
    [
        "app", "app/bin", "app/bin/greet", "app/conf", "app/conf/a.conf", "app/link", "app/node_modules", "app/node_modules/.package-lock.json",
        "app/node_modules/@bulwark", "app/node_modules/@bulwark/greet-js", "app/node_modules/@bulwark/greet-js/index.js",
        "app/node_modules/@bulwark/greet-js/package.json", "app/package-lock.json", "app/package.json", "etc", "etc/os-release", "opt", "opt/new", "usr", "usr/bin", "usr/bin/tool",
    ];

    [SkippableFact]
    public void Every_form_gives_the_same_config_and_file_view()
    {
        images.Require();
        var reference = Read(images.Forms["oci-dir"]);
        Assert.Equal(ExpectedPaths, reference.Paths.Select(p => p.Path));
        Assert.Equal(11, images.Forms.Count);

        foreach (var (name, form) in images.Forms)
        {
            // Half the forms read their layers in parallel: the result must not depend on it.
            var read = Read(form, name.Length % 2 == 0 ? 1 : 3);
            Assert.True(reference.Config.SequenceEqual(read.Config), $"{name}: the config differs");
            Assert.True(reference.Paths.SequenceEqual(read.Paths), $"{name}: the file view differs:\n{string.Join('\n', read.Paths)}");
            Assert.True(reference.Layers.SequenceEqual(read.Layers), $"{name}: the layers' whiteouts, opaque dirs or analysed files differ");
            Assert.Equal(3, read.LayerCount);
        }
    }

    [SkippableFact]
    public void The_config_has_what_umoci_set()
    {
        images.Require();
        using var image = ImageSources.Open(ImageReference.Parse(images.Forms["skopeo docker-archive"]));
        var config = image.Config!;

        Assert.Equal("1000:1000", config.User);
        Assert.Contains("API_KEY=abc123", config.Env);
        Assert.Equal(["8080/tcp"], config.ExposedPorts);
        Assert.Equal(["/app/run"], config.Entrypoint);
        Assert.Equal("/app", config.WorkingDir);
        Assert.Equal("images", config.Labels["org.example.team"]);
        Assert.Equal(("linux", "amd64"), (config.OperatingSystem, config.Architecture));
        Assert.Equal(3, config.DiffIds.Count);
        Assert.Equal("RUN rm /app/key.pem", config.HistoryOfLayer(1)!.CreatedBy);
        Assert.Contains(config.History, h => h.EmptyLayer && h.CreatedBy == "ENV API_KEY=abc123");
        Assert.Contains("docker.io/bulwark/test:1", image.Tags);
    }

    [SkippableFact]
    public void A_deleted_key_is_gone_from_the_view_but_still_in_its_layer()
    {
        images.Require();
        using var image = ImageSources.Open(ImageReference.Parse(images.Forms["podman save docker-archive"]));
        var analyzer = new RecordingAnalyzer("app/key.pem", "etc/os-release");

        var contents = ImageContents.Read(image, [analyzer]);

        Assert.False(contents.Files.Files.ContainsKey("app/key.pem"));
        Assert.Equal(RealImages.PrivateKey, analyzer.Contents[(0, "app/key.pem")]);
        Assert.Equal(["app/key.pem"], contents.Layers[1].Whiteouts);
        Assert.Equal(["opt"], contents.Layers[2].OpaqueDirectories);
        Assert.Equal(2, contents.Files.Files["opt/new"].LayerIndex);
        Assert.Equal("../etc/os-release", contents.Files.Files["app/link"].Entry.LinkTarget);
        Assert.Equal((UnixFileMode)0b111_101_101, contents.Files.Files["usr/bin/tool"].Entry.Mode);
        Assert.All(contents.Layers, l => Assert.NotNull(l.Layer.DiffId));
    }

    [SkippableFact]
    public void The_zstd_layout_really_has_zstd_layers()
    {
        images.Require();
        using var image = ImageSources.Open(ImageReference.Parse(images.Forms["zstd OCI layout"]));

        foreach (var layer in image.Layers)
        {
            var blob = File.ReadAllBytes(Path.Combine(images.ZstdLayout, "blobs", "sha256", layer.Info.Digest![7..]));
            Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, blob[..4]);
        }
    }

    [SkippableFact]
    public void The_unpacked_root_filesystem_is_one_layer_with_the_same_files()
    {
        images.Require();
        using var image = ImageSources.Open(ImageReference.Parse(images.RootFilesystem));
        var analyzer = new RecordingAnalyzer("etc/os-release");

        var contents = ImageContents.Read(image, [analyzer]);

        Assert.Equal(ImageSourceKind.Directory, image.Reference.Kind);
        Assert.Null(image.Config);
        Assert.Single(contents.Layers);
        Assert.Equal(ExpectedPaths, contents.Files.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(LayerEntryKind.SymbolicLink, contents.Files.Files["app/link"].Entry.Kind);
        Assert.Equal(contents.Files.Files["etc/os-release"].Entry.Size, analyzer.Contents[(0, "etc/os-release")].Length);
        Assert.StartsWith("PRETTY_NAME=", analyzer.Contents[(0, "etc/os-release")], StringComparison.Ordinal);
    }

    private static Summary Read(string form, int parallelLayers = 1)
    {
        using var image = ImageSources.Open(ImageReference.Parse(form));
        var analyzer = new RecordingAnalyzer("etc/os-release", "app/key.pem", "opt/new");
        var contents = ImageContents.Read(image, [analyzer], ImageReadOptions.Default with { MaxParallelLayers = parallelLayers });
        var paths = contents.Files.Files
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => (f.Key, f.Value.Entry.Kind, f.Value.Entry.Size, f.Value.Entry.Mode, f.Value.Entry.LinkTarget, f.Value.LayerIndex))
            .ToList();
        var layers = contents.Layers
            .Select(l => string.Join('|', l.Whiteouts) + "/" + string.Join('|', l.OpaqueDirectories) + "/" + l.Entries.Count)
            .Concat(analyzer.Contents.OrderBy(c => c.Key).Select(c => $"{c.Key.Layer}:{c.Key.Path}={c.Value}"))
            .ToList();
        return new Summary(image.ConfigJson!.Value.ToArray(), paths, layers, image.Layers.Count);
    }

    private sealed record Summary(byte[] Config, List<(string Path, LayerEntryKind Kind, long Size, UnixFileMode Mode, string? Link, int Layer)> Paths, List<string> Layers, int LayerCount);
}
