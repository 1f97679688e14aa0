using System.Text;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>Image names as docker normalises them for a registry, bare names told from paths, and docker config credentials.</summary>
public sealed class RegistryNameTests : IDisposable
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("nginx", "docker.io", "registry-1.docker.io", "library/nginx", "latest", "docker.io/library/nginx:latest")]
    [InlineData("nginx:1.27", "docker.io", "registry-1.docker.io", "library/nginx", "1.27", "docker.io/library/nginx:1.27")]
    [InlineData("bitnami/redis", "docker.io", "registry-1.docker.io", "bitnami/redis", "latest", "docker.io/bitnami/redis:latest")]
    [InlineData("index.docker.io/library/nginx:1", "docker.io", "registry-1.docker.io", "library/nginx", "1", "docker.io/library/nginx:1")]
    [InlineData("docker.io/nginx", "docker.io", "registry-1.docker.io", "library/nginx", "latest", "docker.io/library/nginx:latest")]
    [InlineData("localhost:5000/app:v2", "localhost:5000", "localhost:5000", "app", "v2", "localhost:5000/app:v2")]
    [InlineData("127.0.0.1:5917/team/app", "127.0.0.1:5917", "127.0.0.1:5917", "team/app", "latest", "127.0.0.1:5917/team/app:latest")]
    [InlineData("ghcr.io/org/app@" + Digest, "ghcr.io", "ghcr.io", "org/app", Digest, "ghcr.io/org/app@" + Digest)]
    public void Names_are_normalised_as_docker_does(string text, string registry, string host, string repository, string reference, string full)
    {
        Assert.True(RegistryImageName.TryParse(text, out var name, out var problem), problem);
        Assert.Equal((registry, host, repository, reference, full), (name.Registry, name.Host, name.Repository, name.Reference, name.ToString()));
    }

    [Theory]
    [InlineData("Nginx:1")]
    [InlineData("nginx:bad tag")]
    [InlineData("app@sha512:abcd")]
    [InlineData("/tmp/image.tar")]
    [InlineData("a//b")]
    [InlineData("ghcr.io/org/app/../x")]
    public void What_is_no_image_name_is_refused(string text) =>
        Assert.False(RegistryImageName.TryParse(text, out _, out _));

    [Theory]
    [InlineData("nginx:1.27")]
    [InlineData("ghcr.io/org/app@" + Digest)]
    [InlineData("alpine")]
    public void A_bare_name_that_is_no_path_is_an_image_name(string text)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(ImageSourceKind.Name, reference.Kind);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("image.tar")]
    [InlineData("./app")]
    [InlineData("build/out.tar.gz")]
    public void A_missing_file_stays_a_missing_file(string text) =>
        Assert.Contains("no such file or folder", Assert.Throws<ImageReadException>(() => ImageReference.Parse(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("docker.io", "https://index.docker.io/v1/")]
    [InlineData("ghcr.io", "ghcr.io")]
    [InlineData("ghcr.io", "https://ghcr.io")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    public void Credentials_are_found_under_the_keys_docker_login_writes(string registry, string key)
    {
        var config = WriteConfig(Auths(("other.example", "x:y"), (key, "me:pa:ss")));

        var credentials = RegistryCredentials.For(registry, new RemoteImageOptions { DockerConfigPath = config }, "test");

        Assert.Equal(("me", "pa:ss"), (credentials.Username, credentials.Password));
    }

    [Fact]
    public void Explicit_credentials_win_and_must_come_in_pairs()
    {
        var config = WriteConfig(Auths(("ghcr.io", "me:pass")));

        var explicitOnes = RegistryCredentials.For("ghcr.io", new RemoteImageOptions { DockerConfigPath = config, Username = "ci", Password = "token" }, "test");
        Assert.Equal(("ci", "token", "--username"), (explicitOnes.Username, explicitOnes.Password, explicitOnes.Origin));
        Assert.Throws<ImageReadException>(() => RegistryCredentials.For("ghcr.io", new RemoteImageOptions { Username = "ci" }, "test"));
    }

    [Fact]
    public void A_credential_helper_is_named_not_run()
    {
        var config = WriteConfig("""{"auths": {"ghcr.io": {}}, "credsStore": "desktop", "credHelpers": {"123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"}}""");

        var store = RegistryCredentials.For("ghcr.io", new RemoteImageOptions { DockerConfigPath = config }, "test");
        var helper = RegistryCredentials.For("123.dkr.ecr.us-east-1.amazonaws.com", new RemoteImageOptions { DockerConfigPath = config }, "test");

        Assert.False(store.Present);
        Assert.Contains("docker-credential-desktop", store.Note, StringComparison.Ordinal);
        Assert.Contains("docker-credential-ecr-login", helper.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_docker_config_is_a_clear_error()
    {
        var config = WriteConfig("""{"auths": {"ghcr.io": {"auth": "not base64!"}}}""");
        var error = Assert.Throws<ImageReadException>(() => RegistryCredentials.For("ghcr.io", new RemoteImageOptions { DockerConfigPath = config }, "test"));
        Assert.Contains(config, error.Message, StringComparison.Ordinal);
    }

    private static string Auths(params (string Key, string UserPassword)[] entries)
    {
        var auths = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, userPassword) in entries)
        {
            auths[key] = new System.Text.Json.Nodes.JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(userPassword)) };
        }

        return new System.Text.Json.Nodes.JsonObject { ["auths"] = auths }.ToJsonString();
    }

    private string WriteConfig(string json)
    {
        var path = _temp[Guid.NewGuid().ToString("N") + ".json"];
        File.WriteAllText(path, json);
        return path;
    }
}
