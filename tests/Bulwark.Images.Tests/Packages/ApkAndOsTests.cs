using Bulwark.Images.Packages;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

public sealed class ApkAndOsTests
{
    [SkippableFact]
    public void The_shared_apk_database_reads_every_package_with_its_origin()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var path = RepositoryPaths.InShared("conformance", "pkgdb", "apk", "installed");
        var text = File.ReadAllText(path);
        var problems = new List<string>();

        var packages = ApkDatabase.Read(ApkDatabase.InstalledFile, text, problems);

        // Counted independently: a record is a paragraph with a P: line; the one without V: is the fixture's broken one.
        var records = text.Split("\n\n").Count(p => p.Split('\n').Any(l => l.StartsWith("P:", StringComparison.Ordinal)));
        Assert.Equal(records - 1, packages.Count);
        Assert.Equal("lib/apk/db/installed:", Assert.Single(problems)[..21]);
        Assert.Contains("without V: (version)", problems[0], StringComparison.Ordinal);
        var musl = packages.First(p => p.Name == "musl");
        Assert.Equal(("apk", "1.1.14-r10", "x86_64", "musl", "MIT"), (musl.Type, musl.Version, musl.Architecture, musl.SourceName, musl.License));
        Assert.All(packages, p => Assert.False(string.IsNullOrEmpty(p.SourceName)));
    }

    [Fact]
    public void Apk_origin_is_the_source_package_and_keys_are_case_sensitive()
    {
        const string installed = "P:libcrypto3\nV:3.3.2-r0\nA:x86_64\no:openssl\nL:Apache-2.0\nF:usr/lib\nR:libcrypto.so.3\na:0:0:755\n\nP:busybox\nV:1.36.1-r29\nO:x\n";
        var problems = new List<string>();

        var packages = ApkDatabase.Read(ApkDatabase.InstalledFile, installed, problems);

        Assert.Empty(problems);
        Assert.Equal([("libcrypto3", "openssl", 1), ("busybox", "busybox", 10)], packages.Select(p => (p.Name, p.SourceName!, p.Line)));
    }

    [Theory]
    [InlineData("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n", "debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)")]
    [InlineData("usr/lib/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME='Alpine Linux v3.20'\n# a comment\nHOME_URL=\"https://alpinelinux.org/\"\n", "alpine", "3.20.3", null, "Alpine Linux v3.20")]
    [InlineData("etc/os-release", "ID=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nPRETTY_NAME=\"say \\\"hi\\\"\"\nbroken line\n=nokey\n", "ubuntu", "24.04", null, "say \"hi\"")]
    [InlineData("etc/alpine-release", "3.19.1\n", "alpine", "3.19.1", null, "Alpine Linux 3.19.1")]
    [InlineData("etc/debian_version", "12.7\n", "debian", "12.7", null, "Debian GNU/Linux 12.7")]
    public void The_operating_system_comes_from_os_release_or_the_distributions_version_file(string path, string text, string id, string? version, string? codename, string? pretty)
    {
        Assert.Equal(new Bulwark.Images.Packages.OperatingSystem(id, version, codename, pretty), Bulwark.Images.Packages.OperatingSystem.FromFile(path, text));
    }

    [Theory]
    [InlineData("etc/os-release", "NAME=Nothing\n")]
    [InlineData("etc/os-release", "")]
    [InlineData("etc/alpine-release", "\n")]
    [InlineData("etc/hostname", "ID=debian\n")]
    public void A_file_that_names_no_distribution_gives_none(string path, string text)
    {
        Assert.Null(Bulwark.Images.Packages.OperatingSystem.FromFile(path, text));
    }

    [SkippableFact]
    public void This_machines_os_release_reads()
    {
        Skip.IfNot(File.Exists("/etc/os-release"), "no /etc/os-release here");
        var os = Bulwark.Images.Packages.OperatingSystem.FromOsRelease(File.ReadAllText("/etc/os-release"));
        Assert.NotNull(os);
        Assert.Matches("^[a-z0-9._-]+$", os.Id);
    }
}
