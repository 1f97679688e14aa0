using Bulwark.Images.Packages;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// The Debian image read from a running engine (<c>docker:</c>, podman's Docker API) and pulled from a registry
/// (<c>registry:</c>, a real distribution registry with htpasswd auth and a test CA) gives the inventory the archives
/// give, which is dpkg-query's list (<see cref="DebianImageTests"/>).
/// </summary>
[Collection(DebianImage.Collection)]
public sealed class DebianRemoteSourceTests(DebianImage debian, PodmanEngine engine, LocalRegistry registry) : IClassFixture<PodmanEngine>, IClassFixture<LocalRegistry>
{
    [SkippableFact]
    public void The_engine_and_the_registry_give_the_inventory_the_archives_give()
    {
        debian.Require();
        engine.Require();
        registry.Require();
        var expected = Describe(debian.Read("docker-archive").Inventory);
        Assert.True(expected.Count > 50);

        var id = engine.Podman("pull", "-q", debian.Forms["docker-archive"]).Trim();
        engine.Podman("tag", id, "localhost/bulwark/debian:12");
        Assert.Equal(expected, Describe(Read("docker:localhost/bulwark/debian:12", engine.Options)));

        registry.Push(debian.Forms["oci-dir"]["oci-dir:".Length..] + ":test", registry.BasicHost, "bulwark/debian:12");
        var trusted = ImageReadOptions.Default with
        {
            Remote = new RemoteImageOptions { Username = LocalRegistry.User, Password = LocalRegistry.Password, CaCertificateFile = registry.CertificateFile },
        };
        Assert.Equal(expected, Describe(Read($"registry:{registry.BasicHost}/bulwark/debian:12", trusted)));
    }

    private static ImageInventory Read(string reference, ImageReadOptions options)
    {
        using var image = ImageSources.Open(ImageReference.Parse(reference), options);
        var analyzer = new PackageAnalyzer();
        return analyzer.Inventory(ImageContents.Read(image, [analyzer], options));
    }

    private static List<string> Describe(ImageInventory inventory) =>
    [
        $"os {inventory.OperatingSystem}",
        .. inventory.Packages.Select(p => $"{p.Package.Type} {p.Package.Name} {p.Package.Version} {p.Package.Architecture} {p.Package.SourceName} {p.Package.SourceVersion} {p.Package.RecordedIn} layer {p.LayerIndex} {p.LayerDiffId}"),
    ];
}
