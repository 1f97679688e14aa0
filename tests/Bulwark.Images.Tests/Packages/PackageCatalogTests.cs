using Bulwark.Images.Layers;
using Bulwark.Images.Packages;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

public sealed class PackageCatalogTests
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Plain = (UnixFileMode)0b110_100_100;

    [SkippableFact]
    public void Each_database_and_manifest_goes_to_its_reader()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var problems = new List<string>();
        var pkgdb = RepositoryPaths.InShared("conformance", "pkgdb");

        Assert.Equal(129, Read("var/lib/rpm/rpmdb.sqlite", File.ReadAllBytes(Path.Combine(pkgdb, "rpm", "cbl-mariner-2.0", "rpmdb.sqlite")), problems).Count(p => p.Type == "rpm"));
        Assert.Equal("libuuid", Assert.Single(Read("var/lib/rpm/Packages", File.ReadAllBytes(Path.Combine(pkgdb, "rpm", "libuuid", "Packages")), problems)).Name);
        Assert.Equal(35, Read("usr/lib/sysimage/rpm/Packages.db", File.ReadAllBytes(Path.Combine(pkgdb, "rpm", "sle15-bci", "Packages.db")), problems).Count);
        Assert.All(Read(ApkDatabase.InstalledFile, File.ReadAllBytes(Path.Combine(pkgdb, "apk", "installed")), problems), p => Assert.Equal("apk", p.Type));
        Assert.Equal("deb", Assert.Single(Read("var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 12.4\n"u8.ToArray(), problems)).Type);
        Assert.Equal("npm", Assert.Single(Read("node_modules/x/package.json", """{"name":"x","version":"1.0.0"}"""u8.ToArray(), problems)).Type);
        Assert.Equal("gem", Assert.Single(Read("usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.3.gemspec", File.ReadAllBytes(Path.Combine(pkgdb, "lang", "ruby", "normal00.gemspec")), problems)).Type);
        Assert.Equal("maven", Assert.Single(Read("app/lib/a.jar", JavaArchiveTests.Jar(JavaArchiveTests.Pom("g", "a", "1")), problems)).Type);

        Assert.Empty(Read("etc/passwd", [1, 2, 3], problems));
        Assert.Single(problems); // the apk fixture's record without a version
    }

    [Theory]
    [InlineData("var/lib/dpkg/status", 1000, Plain, true)]
    [InlineData("var/lib/rpm/Packages", 1000, Plain, true)]
    [InlineData("app/lib/x.jar", 1000, Plain, true)]
    [InlineData("app/lib/x.jar", JavaArchive.MaxArchiveBytes + 1, Plain, false)]
    [InlineData("usr/local/bin/app", 2_000_000, Executable, true)]
    [InlineData("usr/local/bin/app", 2_000_000, Plain, false)]
    [InlineData("usr/local/bin/tiny", 1000, Executable, false)]
    [InlineData("node_modules/x/package.json", 5L * 1024 * 1024, Plain, false)]
    [InlineData("etc/passwd", 1000, Plain, false)]
    public void A_file_is_wanted_by_its_path_kind_mode_and_the_readers_size_bound(string path, long size, UnixFileMode mode, bool wanted)
    {
        Assert.Equal(wanted, PackageCatalog.Wants(Entry(path, size, mode)));
    }

    [Fact]
    public void Only_regular_files_are_wanted()
    {
        Assert.False(PackageCatalog.Wants(new LayerEntry("var/lib/dpkg/status", LayerEntryKind.SymbolicLink, 0, Plain, 0, 0, "status-old", DateTimeOffset.UnixEpoch)));
        Assert.False(PackageCatalog.Wants(new LayerEntry("app/lib/x.jar", LayerEntryKind.Directory, 0, Executable, 0, 0, null, DateTimeOffset.UnixEpoch)));
    }

    [Fact]
    public void A_file_larger_than_its_entry_said_is_a_problem_not_an_unbounded_read()
    {
        var problems = new List<string>();
        var lying = Entry("node_modules/x/package.json", 10, Plain);
        Assert.Empty(PackageCatalog.Read(lying, new MemoryStream(new byte[5 * 1024 * 1024]), problems));
        Assert.Equal("node_modules/x/package.json: longer than the 10 bytes its entry declares; skipped", Assert.Single(problems));
    }

    internal static LayerEntry Entry(string path, long size, UnixFileMode mode = Plain) =>
        new(path, LayerEntryKind.File, size, mode, 0, 0, null, DateTimeOffset.UnixEpoch);

    private static List<InstalledPackage> Read(string path, byte[] content, List<string> problems) =>
        PackageCatalog.Read(Entry(path, content.Length), new MemoryStream(content), problems);
}
