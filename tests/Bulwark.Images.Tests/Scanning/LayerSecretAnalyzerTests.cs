using Bulwark.Images.Layers;
using Bulwark.Scanning.Images;
using Xunit;

namespace Bulwark.Images.Tests.Scanning;

public sealed class LayerSecretAnalyzerTests
{
    private static readonly LayerSecretAnalyzer Analyzer = new();

    private static LayerEntry File(string path, long size = 100) =>
        new(path, LayerEntryKind.File, size, (UnixFileMode)0b110_100_100, 0, 0, null, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("app/.env", true)]
    [InlineData("root/.docker/config.json", true)]
    [InlineData("home/dev/.git-credentials", true)]
    [InlineData("etc/app/settings.yaml", true)]
    [InlineData("usr/lib/python3/dist-packages/x/config.py", false)]
    [InlineData("usr/share/doc/bash/README", false)]
    [InlineData("app/node_modules/left-pad/index.js", false)]
    [InlineData("app/static/logo.png", false)]
    [InlineData("usr/share/doc/libfoo/examples/id_rsa", false)]
    [InlineData("root/.ssh/id_rsa", true)]
    [InlineData("etc/ssl/private/ssl-cert-snakeoil.key", true)]
    [InlineData("app/certs/server.p12", true)]
    public void Reads_the_files_credentials_live_in_and_skips_what_packages_own(string path, bool wanted) =>
        Assert.Equal(wanted, Analyzer.Wants(File(path)));

    [Fact]
    public void Large_and_empty_files_are_not_read() =>
        Assert.False(Analyzer.Wants(File("app/.env", LayerSecretAnalyzer.MaxBytes + 1)) || Analyzer.Wants(File("app/.env", 0)));

    [Theory]
    [InlineData("root/.docker/config.json", "{\n  \"auths\": {\n    \"registry.example.com\": {\n      \"auth\": \"ZGVwbG95OnM0bmRib3gtQ2w0c3MhZmllZA==\"\n    }\n  }\n}\n", 4)]
    [InlineData("app/.env", "DEBUG=false\nDATABASE_PASSWORD=Zk8#qLr2!vWm\n", 2)]
    [InlineData("home/ci/.git-credentials", "https://ci-bot:ghp_R2d4x8Lq0vYk3Zs7NwPjEa5Ht9Ub1Cm6Fg0I@github.com\n", 1)]
    public void Finds_the_credential_and_its_line(string path, string text, int line)
    {
        var found = Analyze(path, text);
        Assert.Equal(line, Assert.Single(found!).Line);
    }

    [Fact]
    public void Binary_files_and_placeholders_give_nothing_but_a_binary_keystore_by_its_name()
    {
        Assert.Null(Analyze("app/blob.dat", "PASSWORD=Zk8#qLr2!vWm\0\0\0"));
        Assert.Null(Analyze("app/.env", "API_TOKEN=changeme\n"));
        Assert.Equal("a private key or keystore", Assert.Single(Analyze("app/certs/server.p12", "\u0030\u0082\0\0binary")!).Kind);
    }

    private static List<FileSecret>? Analyze(string path, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var info = new ImageLayerInfo("test", 0, 1, null, null, null);
        return Analyzer.Analyze(info, File(path, bytes.Length), new MemoryStream(bytes));
    }
}
