using System.Text.Json.Nodes;
using Bulwark.Images.Sources;
using Xunit;
using ZstdSharp;

namespace Bulwark.Images.Tests;

/// <summary>OCI layouts as multi-platform builders write them: nested indexes, platforms, attestations, zstd.</summary>
public sealed class OciLayoutTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_platform_is_chosen_through_nested_indexes_and_attestations_are_skipped()
    {
        var layout = MultiPlatformLayout();

        Assert.Equal("ID=amd64\n", OsRelease(layout, ImageReadOptions.Default));
        using (var image = ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout)))
        {
            Assert.Equal(["1.0"], image.Tags);
        }

        Assert.Equal("ID=arm64\n", OsRelease(layout, ImageReadOptions.Default with { Platform = ImagePlatform.Parse("linux/arm64") }));
    }

    [Fact]
    public void A_platform_the_image_does_not_have_is_an_error_listing_those_it_has()
    {
        var layout = MultiPlatformLayout();

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(
            new ImageReference(ImageSourceKind.OciDirectory, layout), ImageReadOptions.Default with { Platform = ImagePlatform.Parse("linux/s390x") }));

        Assert.Contains("no image for platform linux/s390x", error.Message, StringComparison.Ordinal);
        Assert.Contains("linux/amd64", error.Message, StringComparison.Ordinal);
        Assert.Contains("linux/arm64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_without_a_platform_is_judged_by_its_config()
    {
        var layout = new OciLayoutWriter(_temp["arm"]);
        var tar = new TarBuilder().File("etc/os-release", "ID=arm64\n").ToArray();
        layout.WriteIndex(OciLayoutWriter.Descriptor(
            layout.AddImage([(layout.AddBlob(tar), "application/vnd.oci.image.layer.v1.tar", TarBuilder.Sha256(tar))], architecture: "arm64"), null));

        Assert.Throws<ImageReadException>(() => ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout.Root)));
        Assert.Equal("ID=arm64\n", OsRelease(layout.Root, ImageReadOptions.Default with { Platform = ImagePlatform.Parse("linux/arm64") }));
    }

    [Fact]
    public void Zstd_gzip_and_plain_layers_are_told_apart_by_content_not_media_type()
    {
        var layout = new OciLayoutWriter(_temp["mixed"]);
        var plain = new TarBuilder().File("a", "plain").ToArray();
        var gzip = new TarBuilder().File("b", "gzip").ToArray();
        var zstd = new TarBuilder().File("c", "zstd").ToArray();
        using var compressor = new Compressor();
        // Media types deliberately say otherwise: Docker archives and some writers mislabel layers.
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage(
        [
            (layout.AddBlob(plain), "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(plain)),
            (layout.AddBlob(TarBuilder.Gzip(gzip)), "application/vnd.oci.image.layer.v1.tar", TarBuilder.Sha256(gzip)),
            (layout.AddBlob(compressor.Wrap(zstd).ToArray()), "application/vnd.oci.image.layer.v1.tar+zstd", TarBuilder.Sha256(zstd)),
        ]), null));
        var analyzer = new RecordingAnalyzer("a", "b", "c");

        using var image = ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout.Root));
        var contents = ImageContents.Read(image, [analyzer]);

        Assert.Equal("plain", analyzer.Contents[(0, "a")]);
        Assert.Equal("gzip", analyzer.Contents[(1, "b")]);
        Assert.Equal("zstd", analyzer.Contents[(2, "c")]);
        Assert.Equal([0, 1, 2], contents.Files.Files.Values.Select(f => f.LayerIndex).Order());
    }

    [Fact]
    public void The_config_is_parsed_into_the_fields_rules_need()
    {
        var layout = new OciLayoutWriter(_temp["config"]);
        var tar = new TarBuilder().File("x", "x").ToArray();
        var config = JsonNode.Parse("""
            {
              "User": "",
              "Env": ["PATH=/usr/bin", "API_KEY=abc"],
              "ExposedPorts": {"22/tcp": {}, "8080/tcp": {}},
              "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost"], "Interval": 30000000000, "Retries": 3},
              "Entrypoint": ["/app/run"],
              "Cmd": "serve",
              "WorkingDir": "/app",
              "Labels": {"org.opencontainers.image.source": "https://example.org/app", "odd": 5}
            }
            """)!.AsObject();
        layout.WriteIndex(OciLayoutWriter.Descriptor(
            layout.AddImage([(layout.AddBlob(tar), "application/vnd.oci.image.layer.v1.tar", TarBuilder.Sha256(tar))], containerConfig: config), "linux/amd64"));

        using var image = ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout.Root));
        var parsed = image.Config!;

        Assert.Equal(string.Empty, parsed.User);
        Assert.Equal(["PATH=/usr/bin", "API_KEY=abc"], parsed.Env);
        Assert.Equal(["22/tcp", "8080/tcp"], parsed.ExposedPorts);
        Assert.Equal(["CMD-SHELL", "curl -f localhost"], parsed.Healthcheck!.Test);
        Assert.Equal(30_000_000_000, parsed.Healthcheck.IntervalNanoseconds);
        Assert.Equal(3, parsed.Healthcheck.Retries);
        Assert.False(parsed.Healthcheck.Disabled);
        Assert.Equal(["/app/run"], parsed.Entrypoint);
        Assert.Equal(["serve"], parsed.Cmd);
        Assert.Equal("/app", parsed.WorkingDir);
        Assert.Equal("https://example.org/app", parsed.Labels["org.opencontainers.image.source"]);
        Assert.False(parsed.Labels.ContainsKey("odd"));
        Assert.Equal([TarBuilder.Sha256(tar)], parsed.DiffIds);
        Assert.Equal("linux", parsed.OperatingSystem);
        Assert.Equal("amd64", parsed.Architecture);
    }

    private string MultiPlatformLayout()
    {
        var layout = new OciLayoutWriter(_temp["multi"]);
        string Image(string arch)
        {
            var tar = new TarBuilder().File("etc/os-release", $"ID={arch}\n").ToArray();
            return layout.AddImage([(layout.AddBlob(TarBuilder.Gzip(tar)), "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(tar))], architecture: arch);
        }

        var amd64 = Image("amd64");
        var arm64 = Image("arm64");
        // buildx's attestation manifest: unknown/unknown, pointing at the image it describes.
        var attestation = OciLayoutWriter.Descriptor(Image("amd64"), "unknown/unknown", annotations: new JsonObject
        {
            ["vnd.docker.reference.type"] = "attestation-manifest",
            ["vnd.docker.reference.digest"] = amd64,
        });
        var nested = layout.AddIndex(attestation, OciLayoutWriter.Descriptor(arm64, "linux/arm64"), OciLayoutWriter.Descriptor(amd64, "linux/amd64"));
        layout.WriteIndex(OciLayoutWriter.Descriptor(nested, null, "application/vnd.oci.image.index.v1+json", new JsonObject { ["org.opencontainers.image.ref.name"] = "1.0" }));
        return layout.Root;
    }

    private static string OsRelease(string layout, ImageReadOptions options)
    {
        var analyzer = new RecordingAnalyzer("etc/os-release");
        using var image = ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout), options);
        ImageContents.Read(image, [analyzer], options);
        return Assert.Single(analyzer.Contents).Value;
    }
}
