using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// <c>registry:</c> against real distribution registries on loopback (TLS with a test CA; Basic and Bearer auth;
/// plain HTTP): the pulled image is the one pushed, credentials come from options or the docker config, and a wrong
/// password, a missing tag, an untrusted certificate or plain HTTP without <c>--insecure</c> are clear errors.
/// </summary>
public sealed class RegistrySourceTests(RealImages images, LocalRegistry registry) : IClassFixture<RealImages>, IClassFixture<LocalRegistry>
{
    [SkippableTheory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public void The_pulled_image_gives_what_the_layout_gives(string auth)
    {
        var host = PushReal(auth);
        var granted = registry.Tokens!.Granted;

        var expected = ImageSummary.Of(ImageReference.Parse(images.Forms["oci-dir"]), ImageReadOptions.Default);
        foreach (var parallel in new[] { 1, 3 })
        {
            var actual = ImageSummary.Of(ImageReference.Parse($"registry:{host}/bulwark/real:1"), Trusted() with { MaxParallelLayers = parallel });
            Assert.Equal(expected, actual);
        }

        if (auth == "bearer")
        {
            Assert.True(registry.Tokens.Granted > granted, "the Bearer token flow did not run");
        }
    }

    [SkippableFact]
    public void Credentials_come_from_the_docker_config()
    {
        var host = PushReal("basic");
        var config = registry.Temp["config-good.json"];
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{LocalRegistry.User}:{LocalRegistry.Password}"));
        File.WriteAllText(config, new JsonObject { ["auths"] = new JsonObject { [host] = new JsonObject { ["auth"] = auth } } }.ToJsonString());
        var options = ImageReadOptions.Default with { Remote = new RemoteImageOptions { DockerConfigPath = config, CaCertificateFile = registry.CertificateFile } };

        using var image = ImageSources.Open(ImageReference.Parse($"registry:{host}/bulwark/real:1"), options);

        Assert.Equal($"{host}/bulwark/real:1", image.Tags[0]);
        Assert.Equal("1000:1000", image.Config!.User);
    }

    [SkippableTheory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public void A_wrong_password_is_a_clear_401(string auth)
    {
        var host = PushReal(auth);
        var options = Trusted() with { Remote = Trusted().Remote with { Password = "wrong" } };

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse($"registry:{host}/bulwark/real:1"), options));

        Assert.Contains("401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Contains($"refused the credentials of {LocalRegistry.User}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Without_credentials_the_error_says_where_they_were_looked_for()
    {
        var host = PushReal("basic");
        var config = registry.Temp["config-helper.json"];
        File.WriteAllText(config, """{"auths": {"other.example": {"auth": "eDp5"}}, "credsStore": "desktop"}""");
        var options = ImageReadOptions.Default with { Remote = new RemoteImageOptions { DockerConfigPath = config, CaCertificateFile = registry.CertificateFile } };

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse($"registry:{host}/bulwark/real:1"), options));

        Assert.Contains("needs credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains(config, error.Message, StringComparison.Ordinal);
        Assert.Contains("docker-credential-desktop", error.Message, StringComparison.Ordinal);
        Assert.Contains("--password-stdin", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_missing_tag_is_a_clear_error()
    {
        var host = PushReal("basic");

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse($"registry:{host}/bulwark/real:nosuchtag"), Trusted()));

        Assert.Contains($"{host}/bulwark/real:nosuchtag is not in the registry", error.Message, StringComparison.Ordinal);
        Assert.Contains("MANIFEST_UNKNOWN", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_untrusted_certificate_is_refused_unless_insecure_is_asked()
    {
        var host = PushReal("basic");
        var remote = Trusted().Remote with { CaCertificateFile = null };
        var reference = ImageReference.Parse($"registry:{host}/bulwark/real:1");

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(reference, ImageReadOptions.Default with { Remote = remote }));
        Assert.Contains("--insecure", error.Message, StringComparison.Ordinal);

        using var image = ImageSources.Open(reference, ImageReadOptions.Default with { Remote = remote with { Insecure = true } });
        Assert.Equal(3, image.Layers.Count);
    }

    [SkippableFact]
    public void Plain_HTTP_is_read_only_with_insecure()
    {
        registry.Require();
        images.Require();
        registry.Push(LayoutImage, registry.PlainHost, "bulwark/real:1");
        var reference = ImageReference.Parse($"registry:{registry.PlainHost}/bulwark/real:1");

        Assert.Throws<ImageReadException>(() => ImageSources.Open(reference, ImageReadOptions.Default));

        var options = ImageReadOptions.Default with { Remote = new RemoteImageOptions { Insecure = true } };
        var expected = ImageSummary.Of(ImageReference.Parse(images.Forms["oci-dir"]), ImageReadOptions.Default);
        Assert.Equal(expected, ImageSummary.Of(reference, options));
    }

    [SkippableFact]
    public void The_platform_is_chosen_from_a_pushed_index()
    {
        registry.Require();
        var layout = MultiPlatformLayout();
        registry.Push(layout + ":multi", registry.BasicHost, "bulwark/multi:1", all: true);
        var reference = ImageReference.Parse($"registry:{registry.BasicHost}/bulwark/multi:1");

        Assert.Equal("ID=amd64\n", OsRelease(reference, Trusted()));
        Assert.Equal("ID=arm64\n", OsRelease(reference, Trusted() with { Platform = ImagePlatform.Parse("linux/arm64") }));
        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(reference, Trusted() with { Platform = ImagePlatform.Parse("linux/s390x") }));
        Assert.Contains("no image for platform linux/s390x", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_bare_name_the_engine_lacks_is_pulled_from_the_registry()
    {
        var host = PushReal("basic");
        var remote = Trusted().Remote with { DockerHost = "unix://" + registry.Temp["no-engine.sock"] };

        using var image = ImageSources.Open(ImageReference.Parse($"{host}/bulwark/real:1"), ImageReadOptions.Default with { Remote = remote });

        Assert.Equal(new ImageReference(ImageSourceKind.Registry, $"{host}/bulwark/real:1"), image.Reference);
        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(ImageReference.Parse($"{host}/bulwark/absent:1"), ImageReadOptions.Default with { Remote = remote }));
        Assert.Contains("not in the engine", error.Message, StringComparison.Ordinal);
        Assert.Contains("not in the registry", error.Message, StringComparison.Ordinal);
    }

    private string LayoutImage => images.Forms["oci-dir"]["oci-dir:".Length..] + ":img";

    private ImageReadOptions Trusted() => ImageReadOptions.Default with
    {
        Remote = new RemoteImageOptions
        {
            Username = LocalRegistry.User,
            Password = LocalRegistry.Password,
            CaCertificateFile = registry.CertificateFile,
            DockerConfigPath = registry.Temp["no-config.json"],
        },
    };

    private string PushReal(string auth)
    {
        registry.Require();
        images.Require();
        var host = auth == "basic" ? registry.BasicHost : registry.BearerHost;
        registry.Push(LayoutImage, host, "bulwark/real:1");
        return host;
    }

    private static string OsRelease(ImageReference reference, ImageReadOptions options)
    {
        using var image = ImageSources.Open(reference, options);
        var analyzer = new RecordingAnalyzer("etc/os-release");
        ImageContents.Read(image, [analyzer], options);
        return analyzer.Contents.Single().Value;
    }

    /// <summary>An index of an amd64 and an arm64 image and a buildx-style attestation, with true sizes so skopeo pushes it.</summary>
    private string MultiPlatformLayout()
    {
        var root = registry.Temp["multi"];
        if (Directory.Exists(root))
        {
            return root;
        }

        var layout = new OciLayoutWriter(root);
        JsonObject Described(string digest, string? platform, string mediaType = "application/vnd.oci.image.manifest.v1+json", JsonObject? annotations = null)
        {
            var descriptor = OciLayoutWriter.Descriptor(digest, platform, mediaType, annotations);
            descriptor["size"] = new FileInfo(layout.BlobFile(digest)).Length;
            return descriptor;
        }

        string Image(string architecture)
        {
            var tar = new TarBuilder().File("etc/os-release", $"ID={architecture}\n").ToArray();
            return layout.AddImage([(layout.AddBlob(TarBuilder.Gzip(tar)), "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(tar))], architecture: architecture);
        }

        var amd64 = Image("amd64");
        var arm64 = Image("arm64");
        var attestation = Image("amd64");
        var index = layout.AddIndex(
            Described(arm64, "linux/arm64"),
            Described(amd64, "linux/amd64"),
            Described(attestation, "unknown/unknown", annotations: new JsonObject { ["vnd.docker.reference.type"] = "attestation-manifest", ["vnd.docker.reference.digest"] = amd64 }));
        layout.WriteIndex(Described(index, null, "application/vnd.oci.image.index.v1+json", new JsonObject { ["org.opencontainers.image.ref.name"] = "multi" }));
        return root;
    }
}
