using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// How <c>docker:</c> finds layers in an export it can only read forward, for every export layout engines write,
/// served over <c>tcp://</c> DOCKER_HOST: layers named by diff_id are read in one export; Docker ≤24's
/// <c>ID/layer.tar</c>, known only from manifest.json at the end, takes a second; either way the result is the
/// docker-archive's.
/// </summary>
public sealed class EngineExportTests(RealImages images) : IClassFixture<RealImages>
{
    [SkippableTheory]
    [InlineData("skopeo docker-archive", 1)]
    [InlineData("podman save docker-archive", 1)]
    [InlineData("Docker ≤24 docker-archive", 2)]
    [InlineData("Docker 25+ OCI-in-tar docker-archive", 2)]
    public void Every_export_layout_reads_as_its_archive(string form, int maxExports)
    {
        images.Require();
        var archive = images.Forms[form];
        using var engine = new ArchiveEngine(archive["docker-archive:".Length..], "bulwark/test:1");

        var expected = ImageSummary.Of(ImageReference.Parse(archive), ImageReadOptions.Default);
        var actual = ImageSummary.Of(ImageReference.Parse("docker:bulwark/test:1"), engine.Options);

        Assert.Equal(expected, actual);
        Assert.InRange(engine.Exports, 1, maxExports);
    }

    [SkippableFact]
    public void Layers_read_before_the_config_take_one_export()
    {
        images.Require();
        var archive = images.Forms["podman save docker-archive"];
        using var engine = new ArchiveEngine(archive["docker-archive:".Length..], "bulwark/test:1");
        using var image = ImageSources.Open(ImageReference.Parse("docker:bulwark/test:1"), engine.Options);

        var contents = ImageContents.Read(image, [], engine.Options);

        Assert.Equal(3, contents.Layers.Count);
        Assert.Equal("1000:1000", image.Config!.User);
        Assert.Equal(1, engine.Exports);
    }

    [SkippableFact]
    public void An_export_that_breaks_off_is_an_error_naming_the_image()
    {
        images.Require();
        using var temp = new TempFolder();
        var archive = images.Forms["podman save docker-archive"]["docker-archive:".Length..];
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(temp["cut.tar"], bytes[..(bytes.Length / 2)]);
        using var engine = new ArchiveEngine(archive, "bulwark/test:1", export: temp["cut.tar"]);
        using var image = ImageSources.Open(ImageReference.Parse("docker:bulwark/test:1"), engine.Options);

        var error = Assert.Throws<ImageReadException>(() => ImageContents.Read(image, [], engine.Options));

        Assert.Contains("docker:bulwark/test:1", error.Message, StringComparison.Ordinal);
    }
}
