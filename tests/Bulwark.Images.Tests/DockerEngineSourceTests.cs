using Bulwark.Images.Layers;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// <c>docker:</c> against a real engine (podman's Docker API on a private socket and store): the same image read from
/// the engine's streamed export and from a docker-archive gives the same config and file view, whatever order the
/// layers are asked for in; a built image's config is its own; an absent engine or image is a clear error.
/// </summary>
public sealed class DockerEngineSourceTests(RealImages images, PodmanEngine engine) : IClassFixture<RealImages>, IClassFixture<PodmanEngine>
{
    [SkippableFact]
    public void The_engine_export_gives_what_the_docker_archive_gives()
    {
        images.Require();
        engine.Require();
        var archive = images.Forms["podman save docker-archive"];
        Load(archive["docker-archive:".Length..], "localhost/bulwark/real:1");

        var expected = ImageSummary.Of(ImageReference.Parse(archive), ImageReadOptions.Default);
        foreach (var parallel in new[] { 1, 3 })
        {
            var options = engine.Options with { MaxParallelLayers = parallel };
            Assert.Equal(expected, ImageSummary.Of(ImageReference.Parse("docker:localhost/bulwark/real:1"), options));
        }
    }

    [SkippableFact]
    public void A_bare_name_the_engine_has_is_read_from_the_engine()
    {
        images.Require();
        engine.Require();
        Load(images.Forms["podman save docker-archive"]["docker-archive:".Length..], "localhost/bulwark/real:1");

        using var image = ImageSources.Open(ImageReference.Parse("localhost/bulwark/real:1"), engine.Options);

        Assert.Equal(new ImageReference(ImageSourceKind.Docker, "localhost/bulwark/real:1"), image.Reference);
        Assert.Equal(3, image.Layers.Count);
    }

    [SkippableFact]
    public void A_built_image_has_its_own_config_and_layers_in_any_order()
    {
        engine.Require();
        var name = Build();
        using var image = ImageSources.Open(ImageReference.Parse("docker:" + name), engine.Options);

        // The config first: podman's export puts it after the layers, so the layers need a second export.
        var config = image.Config!;
        Assert.Equal("1000:1000", config.User);
        Assert.Contains("API_KEY=abc123", config.Env);
        Assert.Equal(["8080/tcp"], config.ExposedPorts);
        Assert.Equal(["CMD", "/bin/true"], config.Healthcheck!.Test);
        Assert.Equal(3, config.DiffIds.Count);
        Assert.Contains(config.History, h => h.EmptyLayer && h.CreatedBy!.Contains("ENV API_KEY=abc123", StringComparison.Ordinal));
        Assert.Contains(name, image.Tags);

        var analyzer = new RecordingAnalyzer("data/a.txt", "data/b.txt");
        var options = engine.Options;
        var top = image.Layers[2].Read([analyzer], options);
        var bottom = image.Layers[0].Read([analyzer], options);
        var middle = image.Layers[1].Read([analyzer], options);
        Assert.Equal(["data/b.txt"], top.Entries.Where(e => e.Kind == LayerEntryKind.File).Select(e => e.Path));
        Assert.Contains(bottom.Entries, e => e.Path == "etc/hello");
        Assert.Equal("hello\n", analyzer.Contents[(1, "data/a.txt")]);
        Assert.Equal("hello\n", analyzer.Contents[(2, "data/b.txt")]);
        Assert.Equal(config.DiffIds[1], middle.Layer.DiffId);

        // A layer read again comes from a new export, analysed again.
        var again = new RecordingAnalyzer("data/a.txt");
        image.Layers[1].Read([again], options);
        Assert.Equal("hello\n", again.Contents[(1, "data/a.txt")]);
    }

    [SkippableFact]
    public void An_image_the_engine_does_not_have_is_named_with_the_engine()
    {
        engine.Require();
        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse("docker:localhost/bulwark/absent:1"), engine.Options));
        Assert.Contains("docker:localhost/bulwark/absent:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("no such image", error.Message, StringComparison.Ordinal);
        Assert.Contains(engine.Host, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_engine_at_DOCKER_HOST_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var host = "unix://" + temp["absent.sock"];
        var options = ImageReadOptions.Default with { Remote = new RemoteImageOptions { DockerHost = host } };

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse("docker:alpine:3.20"), options));

        Assert.Contains("DOCKER_HOST=" + host, error.Message, StringComparison.Ordinal);
        Assert.Contains("docker:alpine:3.20", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh://user@host")]
    [InlineData("npipe:////./pipe/docker_engine")]
    public void An_unsupported_DOCKER_HOST_is_refused(string host)
    {
        var options = ImageReadOptions.Default with { Remote = new RemoteImageOptions { DockerHost = host } };
        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse("docker:alpine"), options));
        Assert.Contains(host, error.Message, StringComparison.Ordinal);
        Assert.Contains("docker:alpine", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker:../../containers/json")]
    [InlineData("docker:alpine?all=1")]
    public void A_name_that_is_no_image_name_never_reaches_the_engine(string reference)
    {
        var options = ImageReadOptions.Default with { Remote = new RemoteImageOptions { DockerHost = "unix:///nonexistent.sock" } };
        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse(reference), options));
        Assert.Contains("not an image name", error.Message, StringComparison.Ordinal);
    }

    private void Load(string archive, string name)
    {
        var id = engine.Podman("pull", "-q", "docker-archive:" + archive).Trim();
        engine.Podman("tag", id, name);
    }

    /// <summary>An image built by podman: an imported base, COPY layers, and metadata-only steps (empty layers).</summary>
    private string Build()
    {
        const string name = "localhost/bulwark/built:2";
        var context = engine.Temp["context"];
        if (Directory.Exists(context))
        {
            return name;
        }

        Directory.CreateDirectory(engine.Temp["base/etc"]);
        File.WriteAllText(engine.Temp["base/etc/hello"], "hi\n");
        ImageTools.Run("tar", "-C", engine.Temp["base"], "-cf", engine.Temp["base.tar"], ".");
        engine.Podman("import", "-q", engine.Temp["base.tar"], "localhost/bulwark/base:1");
        Directory.CreateDirectory(Path.Combine(context, "files"));
        File.WriteAllText(Path.Combine(context, "files", "a.txt"), "hello\n");
        File.WriteAllText(Path.Combine(context, "Containerfile"),
            "FROM localhost/bulwark/base:1\nCOPY files /data\nENV API_KEY=abc123 MODE=prod\nUSER 1000:1000\nEXPOSE 8080/tcp\n"
            + "HEALTHCHECK CMD [\"/bin/true\"]\nCOPY files/a.txt /data/b.txt\n");
        engine.Podman("build", "-q", "--format", "docker", "-t", name, context);
        return name;
    }

}
