using Bulwark.Images.Packages;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

public sealed class PackageAnalyzerTests
{
    private const string Debian12 = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

    private static string Status(params string[] packages) =>
        string.Join("\n", packages.Select(p => $"Package: {p.Split('=')[0]}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {p.Split('=')[1]}\n"));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Packages_come_from_the_final_view_each_with_the_layer_that_added_it(int parallelLayers)
    {
        using var folder = new TempFolder();
        var layout = new OciLayoutWriter(folder.Path);
        layout.SingleImage(
            new TarBuilder().File("usr/lib/os-release", Debian12).Symlink("etc/os-release", "../usr/lib/os-release")
                .File("var/lib/dpkg/status", Status("base-files=12.4", "libc6=2.36-9")).ToArray(),
            new TarBuilder().File("var/lib/dpkg/status", Status("base-files=12.4", "libc6=2.36-9+deb12u9", "curl=7.88.1-10"))
                .File("app/node_modules/left-pad/package.json", """{"name":"left-pad","version":"1.3.0"}""")
                .File("app/node_modules/gone/package.json", """{"name":"gone","version":"0.1.0"}""").ToArray(),
            new TarBuilder().File("app/node_modules/.wh.gone", string.Empty).ToArray());

        using var image = ImageSources.Open(ImageReference.Parse("oci-dir:" + folder.Path));
        var analyzer = new PackageAnalyzer();
        var contents = ImageContents.Read(image, [analyzer], ImageReadOptions.Default with { MaxParallelLayers = parallelLayers });
        var inventory = analyzer.Inventory(contents);

        Assert.Equal(new Bulwark.Images.Packages.OperatingSystem("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)"), inventory.OperatingSystem);
        Assert.Empty(inventory.Problems);
        Assert.Equal(
            [("npm", "left-pad", "1.3.0", 1), ("deb", "base-files", "12.4", 0), ("deb", "libc6", "2.36-9+deb12u9", 1), ("deb", "curl", "7.88.1-10", 1)],
            inventory.Packages.Select(p => (p.Package.Type, p.Package.Name, p.Package.Version, p.LayerIndex)));
        Assert.All(inventory.Packages, p => Assert.StartsWith("sha256:", p.LayerDiffId, StringComparison.Ordinal));
    }

    [Fact]
    public void A_deleted_database_lists_nothing_and_a_broken_record_is_a_problem_naming_the_layer()
    {
        using var folder = new TempFolder();
        var layout = new OciLayoutWriter(folder.Path);
        layout.SingleImage(
            new TarBuilder().File("lib/apk/db/installed", "P:musl\nV:1.2.5-r0\no:musl\n\nP:broken\n").File("var/lib/dpkg/status", Status("x=1")).ToArray(),
            new TarBuilder().File("var/lib/dpkg/.wh.status", string.Empty).ToArray());

        using var image = ImageSources.Open(ImageReference.Parse("oci-dir:" + folder.Path));
        var analyzer = new PackageAnalyzer();
        var inventory = analyzer.Inventory(ImageContents.Read(image, [analyzer]));

        Assert.Equal([("apk", "musl")], inventory.Packages.Select(p => (p.Package.Type, p.Package.Name)));
        Assert.Equal("layer 1: lib/apk/db/installed:5: a package record without V: (version); skipped", Assert.Single(inventory.Problems));
        Assert.Null(inventory.OperatingSystem);
    }

    [SkippableFact]
    public void A_go_binary_a_jar_and_a_gemspec_in_an_image_are_listed_with_their_paths_and_layers()
    {
        var binary = File.ReadAllBytes(GoProgram.Binary);
        var (goVersion, _) = GoProgram.VersionM(GoProgram.Binary);
        const UnixFileMode rwxr_xr_x = (UnixFileMode)0b111_101_101;
        const string Gemspec = "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"3.1.8\"\n  s.licenses = [\"MIT\".freeze]\nend\n";
        var jar = JavaArchiveTests.Jar(
            JavaArchiveTests.Pom("org.acme", "service", "2.0.0"),
            ("BOOT-INF/lib/guava-33.0.0-jre.jar", JavaArchiveTests.Jar(JavaArchiveTests.Pom("com.google.guava", "guava", "33.0.0-jre"))));
        using var folder = new TempFolder();
        new OciLayoutWriter(folder.Path).SingleImage(
            new TarBuilder().File("usr/local/bin/app", binary, rwxr_xr_x)
                .File("usr/local/bin/script", "#!/bin/sh\n" + new string('#', 300_000), rwxr_xr_x)
                .File("usr/lib/ruby/gems/3.1.0/specifications/rack-3.1.8.gemspec", Gemspec).ToArray(),
            new TarBuilder().File("srv/service.jar", jar).ToArray());

        using var image = ImageSources.Open(ImageReference.Parse("oci-dir:" + folder.Path));
        var analyzer = new PackageAnalyzer();
        var inventory = analyzer.Inventory(ImageContents.Read(image, [analyzer]));

        Assert.Empty(inventory.Problems);
        Assert.Equal(
            [
                ("maven", "org.acme:service", "2.0.0", "srv/service.jar", 1),
                ("maven", "com.google.guava:guava", "33.0.0-jre", "srv/service.jar!/BOOT-INF/lib/guava-33.0.0-jre.jar", 1),
                ("gem", "rack", "3.1.8", "usr/lib/ruby/gems/3.1.0/specifications/rack-3.1.8.gemspec", 0),
                ("golang", "stdlib", "v" + goVersion[2..], "usr/local/bin/app", 0),
                ("golang", "example.com/app", string.Empty, "usr/local/bin/app", 0),
                ("golang", "example.com/greet", string.Empty, "usr/local/bin/app", 0),
            ],
            inventory.Packages.Select(p => (p.Package.Type, p.Package.Name, p.Package.Version, p.Package.RecordedIn, p.LayerIndex)));
    }
}
