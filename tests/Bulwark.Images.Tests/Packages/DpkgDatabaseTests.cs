using System.Text.RegularExpressions;
using Bulwark.Images.Packages;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

/// <summary>
/// The dpkg reader against dpkg itself: <c>dpkg-query --admindir</c> over the same status file lists the installed
/// packages, their versions, architectures and source packages, and the reader must agree on every one.
/// </summary>
public sealed partial class DpkgDatabaseTests
{
    private const string Format = "${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n";

    [SkippableFact]
    public void Every_shared_status_file_reads_as_dpkg_query_lists_it()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var fixtures = Directory.GetFiles(RepositoryPaths.InShared("conformance", "pkgdb", "dpkg"), "*.txtar");
        Assert.NotEmpty(fixtures);
        var compared = 0;
        foreach (var fixture in fixtures)
        {
            if (Sections(File.ReadAllText(fixture)).TryGetValue(DpkgDatabase.StatusFile, out var status))
            {
                AssertAgreesWithDpkgQuery(fixture, status);
                compared++;
            }
        }

        Assert.True(compared >= 5, $"only {compared} fixtures had a status file");
    }

    [SkippableFact]
    public void This_machines_own_database_reads_as_dpkg_query_lists_it()
    {
        Skip.IfNot(File.Exists("/var/lib/dpkg/status"), "not a dpkg-based machine");
        AssertAgreesWithDpkgQuery("/var/lib/dpkg/status", File.ReadAllText("/var/lib/dpkg/status"));
    }

    [Fact]
    public void Only_installed_packages_count_and_the_source_package_is_kept()
    {
        const string status = """
            Package: libssl3
            Status: install ok installed
            Architecture: amd64
            Source: openssl
            Version: 3.0.15-1~deb12u1
            Description: Secure Sockets Layer toolkit
             shared libraries

            Package: removed-but-configured
            Status: deinstall ok config-files
            Version: 1.0-1

            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Source: glibc (2.36-9+deb12u9)
            Version: 2.36-9+deb12u9+b1

            Package: half
            Status: install reinstreq half-installed
            Version: 2
            """;
        var problems = new List<string>();

        var packages = DpkgDatabase.Read("var/lib/dpkg/status", status, problems);

        Assert.Empty(problems);
        Assert.Collection(
            packages,
            p =>
            {
                Assert.Equal(("libssl3", "3.0.15-1~deb12u1", "openssl", null), (p.Name, p.Version, p.SourceName, p.SourceVersion));
                Assert.Equal(1, p.Line);
            },
            p =>
            {
                Assert.Equal(("libc6", "2.36-9+deb12u9+b1", "glibc", "2.36-9+deb12u9"), (p.Name, p.Version, p.SourceName, p.SourceVersion));
                Assert.Equal(13, p.Line);
            });
    }

    [Fact]
    public void Distroless_records_without_a_status_are_installed_and_only_their_files_are_read()
    {
        var problems = new List<string>();
        const string record = "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n";
        var packages = DpkgDatabase.Read("var/lib/dpkg/status.d/tzdata", record, problems);

        Assert.Equal("tzdata", Assert.Single(packages).Name);
        Assert.Empty(DpkgDatabase.Read("var/lib/dpkg/status", record, problems)); // dpkg reads it as not installed
        Assert.True(DpkgDatabase.IsDatabaseFile("var/lib/dpkg/status.d/tzdata"));
        Assert.True(DpkgDatabase.IsDatabaseFile("var/lib/dpkg/status"));
        Assert.False(DpkgDatabase.IsDatabaseFile("var/lib/dpkg/status.d/tzdata.md5sums"));
        Assert.False(DpkgDatabase.IsDatabaseFile("var/lib/dpkg/status.d/"));
        Assert.False(DpkgDatabase.IsDatabaseFile("var/lib/dpkg/status-old"));
    }

    [Theory]
    [InlineData("Package: nover\nStatus: install ok installed\n", "var/lib/dpkg/status:1: a package record without Version; skipped")]
    [InlineData("\n\nVersion: 1\nStatus: install ok installed\n", "var/lib/dpkg/status:3: a package record without Package; skipped")]
    public void A_broken_record_is_a_problem_naming_its_line_and_the_rest_is_read(string broken, string problem)
    {
        var problems = new List<string>();
        var packages = DpkgDatabase.Read("var/lib/dpkg/status", broken + "\nPackage: ok\nStatus: install ok installed\nVersion: 1.0\n", problems);

        Assert.Equal(problem, Assert.Single(problems));
        Assert.Equal("ok", Assert.Single(packages).Name);
    }

    [Fact]
    public void Garbage_is_not_a_crash()
    {
        var problems = new List<string>();
        var text = "\u0000\u0001:::\n :\n\t\nPackage\nPackage:\n" + new string(':', 10_000) + "\n\r\n";
        Assert.Empty(DpkgDatabase.Read("var/lib/dpkg/status", text, problems));
    }

    private static void AssertAgreesWithDpkgQuery(string name, string status)
    {
        var admin = Directory.CreateTempSubdirectory("bulwark-dpkg-");
        try
        {
            File.WriteAllText(Path.Combine(admin.FullName, "status"), status);
            var expected = DpkgQuery(admin.FullName)
                .Where(line => line[0] == "installed")
                .Select(line => (Name: line[1], Version: line[2], Arch: line[3], Source: line[4], SourceVersion: line[5]))
                .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Arch, StringComparer.Ordinal)
                .ToList();
            var problems = new List<string>();
            var actual = DpkgDatabase.Read(DpkgDatabase.StatusFile, status, problems)
                .Select(p => (p.Name, p.Version, Arch: p.Architecture ?? string.Empty, Source: p.SourceName ?? p.Name, SourceVersion: p.SourceVersion ?? p.Version))
                .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Arch, StringComparer.Ordinal)
                .ToList();

            Assert.True(expected.Count > 0, name + ": dpkg-query lists no installed package");
            Assert.Equal(expected, actual);
        }
        finally
        {
            admin.Delete(recursive: true);
        }
    }

    private static List<string[]> DpkgQuery(string admindir)
    {
        ImageTools.Require(ImageTools.Missing("dpkg-query"), "dpkg");
        var output = ImageTools.Run("dpkg-query", "--admindir=" + admindir, "-W", "-f", Format);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))];
    }

    /// <summary>Go's txtar: a comment, then <c>-- path --</c> lines each followed by that file's content.</summary>
    private static Dictionary<string, string> Sections(string text)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = SectionHeader().Matches(text);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : text.Length;
            sections[matches[i].Groups[1].Value] = text[start..end].TrimStart('\n');
        }

        return sections;
    }

    [GeneratedRegex(@"^-- (.+) --$", RegexOptions.Multiline)]
    private static partial Regex SectionHeader();
}
