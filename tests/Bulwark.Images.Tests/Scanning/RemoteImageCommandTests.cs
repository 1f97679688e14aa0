using System.Text.Json;
using Xunit;

namespace Bulwark.Images.Tests.Scanning;

/// <summary><c>bulwark image</c> pulling from a real registry on loopback with the command line's credentials and CA.</summary>
public sealed class RemoteImageCommandTests(RealImages images, LocalRegistry registry) : IClassFixture<RealImages>, IClassFixture<LocalRegistry>
{
    [SkippableFact]
    public void A_registry_image_is_read_with_the_credentials_given_and_a_bare_name_says_where_it_was_found()
    {
        registry.Require();
        images.Require();
        registry.Push(images.Forms["oci-dir"]["oci-dir:".Length..] + ":img", registry.BasicHost, "bulwark/cli:1");
        var name = $"{registry.BasicHost}/bulwark/cli:1";
        string[] common = ["--username", LocalRegistry.User, "--password-stdin", "--ca-cert", registry.CertificateFile, "--format", "json", "--no-cache"];

        var pulled = ImageCommandTests.RunWithInput(LocalRegistry.Password + "\n", ["image", "registry:" + name, .. common]);
        Assert.True(pulled.ExitCode == 1, pulled.Error + pulled.Out);
        using (var json = JsonDocument.Parse(pulled.Out))
        {
            var image = Assert.Single(json.RootElement.GetProperty("images").EnumerateArray());
            Assert.Equal("registry", image.GetProperty("source").GetString());
            Assert.Contains(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("file").GetString() == "/app/key.pem");
        }

        // No engine answers on this socket, so the bare name is the registry's.
        var bare = ImageCommandTests.RunWithInput(LocalRegistry.Password, ["image", name, "--docker-host", "unix:///nonexistent/docker.sock", .. common]);
        Assert.True(bare.ExitCode == 1, bare.Error + bare.Out);
        Assert.Contains($"read from the registry as registry:{name}", bare.Error, StringComparison.Ordinal);

        var wrong = ImageCommandTests.RunWithInput("not-the-password", ["image", "registry:" + name, .. common]);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("401", wrong.Error, StringComparison.Ordinal);
    }
}
