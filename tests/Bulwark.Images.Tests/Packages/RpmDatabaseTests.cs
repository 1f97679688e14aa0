using Bulwark.Images.Packages;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

/// <summary>The rpm reader against Debian's rpm 4.18, which reads the same SQLite database (<c>rpm --dbpath</c>).</summary>
public sealed class RpmDatabaseTests
{
    [SkippableFact]
    public void The_shared_sqlite_database_reads_as_rpm_lists_it()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var file = RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "cbl-mariner-2.0", "rpmdb.sqlite");
        var problems = new List<string>();

        var packages = RpmDatabase.ReadSqlite(RpmDatabase.SqliteFile, file, problems);

        Assert.Empty(problems);
        var expected = RpmQuery(file);
        Assert.Equal(129, expected.Count);
        Assert.Equal(
            expected,
            packages.Select(p => $"{p.Name}\t{p.Version}\t{p.Architecture}\t{p.License}").Order(StringComparer.Ordinal).ToList());
        var openssl = packages.First(p => p.Name == "openssl-libs");
        Assert.Equal(("openssl", "1.1.1k-7.cm2"), (openssl.SourceName, openssl.SourceVersion));
    }

    [Fact]
    public void A_header_that_lies_about_its_size_is_a_problem_not_a_read_past_its_end()
    {
        byte[] lying = [0, 0, 0, 2, 0x7f, 0xff, 0xff, 0xff, .. new byte[40]];
        Assert.Null(RpmHeader.Parse(lying, out var problem));
        Assert.Contains("do not fit", problem, StringComparison.Ordinal);

        // One NAME entry whose string runs to the end of the data without a terminator.
        byte[] unterminated = [0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0x03, 0xe8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'a', (byte)'b', (byte)'c'];
        Assert.Null(RpmHeader.Parse(unterminated, out problem));
        Assert.Contains("not terminated", problem, StringComparison.Ordinal);

        Assert.Null(RpmHeader.Parse([1, 2, 3], out problem));
    }

    [Fact]
    public void A_file_that_is_not_an_rpm_database_is_one_problem()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not a database at all, just text that a stranger put where rpmdb.sqlite should be");
            var problems = new List<string>();
            Assert.Empty(RpmDatabase.ReadSqlite(RpmDatabase.SqliteFile, file, problems));
            Assert.StartsWith("var/lib/rpm/rpmdb.sqlite: not a readable rpm SQLite database", Assert.Single(problems), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static List<string> RpmQuery(string file)
    {
        var dbpath = Directory.CreateTempSubdirectory("bulwark-rpmdb-");
        try
        {
            File.Copy(file, Path.Combine(dbpath.FullName, "rpmdb.sqlite"));
            ImageTools.Require(ImageTools.Missing("rpm"));
            var output = ImageTools.Run("rpm", "--dbpath", dbpath.FullName, "--define", "_db_backend sqlite", "-qa", "--qf", "%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\t%{LICENSE}\n");
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
        }
        finally
        {
            dbpath.Delete(recursive: true);
        }
    }
}
