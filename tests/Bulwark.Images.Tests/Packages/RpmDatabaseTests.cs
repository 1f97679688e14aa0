using System.Buffers.Binary;
using System.Text;
using Bulwark.Images.Packages;
using Bulwark.TestSupport;
using CsCheck;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

/// <summary>
/// The rpm readers against Debian's rpm 4.18, which reads the same SQLite and Berkeley DB databases (<c>rpm --dbpath</c>);
/// Berkeley DB files of every page size and byte order are written for the test by Berkeley DB's own <c>db5.3_load</c>.
/// Debian's rpm cannot read NDB: that fixture is checked against go-rpmdb's published list for it.
/// </summary>
public sealed class RpmDatabaseTests
{
    private const string QueryFormat = "%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\t%{LICENSE}\n";

    [SkippableFact]
    public void The_shared_berkeley_database_reads_as_rpm_lists_it()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var file = RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "libuuid", "Packages");
        var problems = new List<string>();

        var packages = RpmBerkeleyDatabase.Read("var/lib/rpm/Packages", File.ReadAllBytes(file), problems);

        Assert.Empty(problems);
        Assert.Equal(RpmQuery(file, "Packages", "bdb_ro"), Listed(packages));
        Assert.Equal(("libuuid", "2.32.1-42.el8_8", "util-linux", 1), (packages[0].Name, packages[0].Version, packages[0].SourceName, packages[0].Line));
    }

    [SkippableTheory]
    [InlineData(512, "1234")]
    [InlineData(4096, "1234")]
    [InlineData(65536, "1234")]
    [InlineData(4096, "4321")]
    public void A_berkeley_database_written_by_berkeley_db_reads_as_rpm_lists_it(int pageSize, string byteOrder)
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        using var folder = new TempFolder();
        var file = BerkeleyDatabaseOfMarinersHeaders(folder, pageSize, byteOrder);
        var problems = new List<string>();

        var packages = RpmBerkeleyDatabase.Read("var/lib/rpm/Packages", File.ReadAllBytes(file), problems);

        Assert.Empty(problems);
        Assert.Equal(129, packages.Count);
        if (byteOrder == "1234")
        {
            Assert.Equal(RpmQuery(file, "Packages", "bdb_ro"), Listed(packages));
        }
        else
        {
            // rpm reads only databases in its own byte order; the little-endian twin is the expected list.
            using var twin = new TempFolder();
            Assert.Equal(Listed(RpmBerkeleyDatabase.Read("Packages", File.ReadAllBytes(BerkeleyDatabaseOfMarinersHeaders(twin, pageSize, "1234")), problems)), Listed(packages));
        }
    }

    [SkippableFact]
    public void The_shared_ndb_database_reads_as_go_rpmdb_lists_it()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var file = RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "sle15-bci", "Packages.db");
        var problems = new List<string>();

        var packages = RpmNdbDatabase.Read("usr/lib/sysimage/rpm/Packages.db", File.ReadAllBytes(file), problems);

        Assert.Empty(problems);

        // go-rpmdb's expected list for this copy of the database (SLE15WithNDB in pkg/rpmdb_testcase_test.go of the
        // fixture's time; its later packages.csv belongs to a newer copy): 35 packages, in slot order. Spot checks:
        Assert.Equal(35, packages.Count);
        Assert.Equal(("system-user-root", "20190513-3.3.1", "noarch"), (packages[0].Name, packages[0].Version, packages[0].Architecture));
        Assert.Equal(("rpm-ndb", "4.14.3-40.1", "x86_64"), (packages[^1].Name, packages[^1].Version, packages[^1].Architecture));
        Assert.Equal(("glibc", "2.31-9.3.2"), (packages[2].Name, packages[2].Version));
        Assert.Equal(("ca-certificates-mozilla-prebuilt", "2.44-21.1", "noarch"), (packages[17].Name, packages[17].Version, packages[17].Architecture));
        var libstdcxx = packages.Single(p => p.Name == "libstdc++6");
        Assert.Equal(("11.2.1+git610-1.3.9", "gcc11"), (libstdcxx.Version, libstdcxx.SourceName));
        Assert.Equal(packages.Count, packages.Select(p => p.Name).Distinct().Count());
    }

    [SkippableFact]
    public void Page_numbers_and_offsets_out_of_range_and_overflow_cycles_are_problems_naming_the_file()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var original = File.ReadAllBytes(RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "libuuid", "Packages"));
        const int PageSize = 4096, ValueItem = (2 * PageSize) + 4079; // page 2's off-page item: page 3, 80880 bytes

        var cycle = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(cycle.AsSpan((22 * PageSize) + 16), 3); // the last overflow page links back to the first
        BinaryPrimitives.WriteUInt32LittleEndian(cycle.AsSpan(ValueItem + 8), 90_000); // and the value claims more than the chain holds
        Assert.Equal("var/lib/rpm/Packages: package 1: its overflow pages form a cycle; skipped", ReadProblem(cycle));

        var pastEnd = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(pastEnd.AsSpan(ValueItem + 4), 9999);
        Assert.Equal("var/lib/rpm/Packages: package 1: overflow page 9999 is past the end of the file; skipped", ReadProblem(pastEnd));

        var huge = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(ValueItem + 8), uint.MaxValue);
        Assert.Equal("var/lib/rpm/Packages: package 1: a value of 4294967295 bytes, larger than the file; skipped", ReadProblem(huge));

        var outside = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(outside.AsSpan((2 * PageSize) + 26 + 2), 5000);
        Assert.Equal("var/lib/rpm/Packages: page 2 item 1 lies outside its page; skipped", ReadProblem(outside));

        var claims = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(claims.AsSpan(32), 1_000_000);
        var problems = new List<string>();
        Assert.Single(RpmBerkeleyDatabase.Read("var/lib/rpm/Packages", claims, problems));
        Assert.Equal("var/lib/rpm/Packages: claims 1000001 pages but holds 23; the rest are not read", Assert.Single(problems));

        Assert.Equal("var/lib/rpm/Packages: not a Berkeley DB hash database; skipped", ReadProblem(Encoding.UTF8.GetBytes(new string('x', 5000))));

        string ReadProblem(byte[] db)
        {
            var found = new List<string>();
            Assert.Empty(RpmBerkeleyDatabase.Read("var/lib/rpm/Packages", db, found));
            return Assert.Single(found);
        }
    }

    [SkippableFact]
    public void Ndb_slots_and_blobs_out_of_range_are_problems_naming_the_file()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var original = File.ReadAllBytes(RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "sle15-bci", "Packages.db"));
        const string Path = "usr/lib/sysimage/rpm/Packages.db";

        var outside = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(outside.AsSpan(32 + 8), uint.MaxValue); // the first slot's block offset
        var problems = new List<string>();
        Assert.Equal(34, RpmNdbDatabase.Read(Path, outside, problems).Count);
        Assert.StartsWith($"{Path}: package 1: its blob at byte ", Assert.Single(problems), StringComparison.Ordinal);

        var longBlob = (byte[])original.Clone();
        var firstBlob = BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(32 + 8)) * 16;
        BinaryPrimitives.WriteUInt32LittleEndian(longBlob.AsSpan((int)firstBlob + 12), int.MaxValue);
        problems.Clear();
        Assert.Equal(34, RpmNdbDatabase.Read(Path, longBlob, problems).Count);
        Assert.Contains("runs past the end of the file", Assert.Single(problems), StringComparison.Ordinal);

        var manyPages = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(manyPages.AsSpan(12), 100_000);
        problems.Clear();
        Assert.Empty(RpmNdbDatabase.Read(Path, manyPages, problems));
        Assert.Equal($"{Path}: NDB version 0 with 100000 slot pages is not one rpm writes; skipped", Assert.Single(problems));

        problems.Clear();
        var half = RpmNdbDatabase.Read(Path, original[..(original.Length / 2)], problems);
        Assert.InRange(half.Count, 1, 34);
        Assert.Equal(35, half.Count + problems.Count); // each package whose blob was cut off is one problem
    }

    [SkippableFact]
    public void Damage_anywhere_in_a_berkeley_or_ndb_database_is_at_worst_a_problem()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var bdb = File.ReadAllBytes(RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "libuuid", "Packages"));
        var ndb = File.ReadAllBytes(RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "sle15-bci", "Packages.db"))[..65536];

        Gen.Select(Gen.Bool, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 8]).Sample(
            damage =>
            {
                var (isBerkeley, flips) = damage;
                var spoiled = (byte[])(isBerkeley ? bdb : ndb).Clone();
                foreach (var (at, value) in flips)
                {
                    // Most flips land in the first pages, where the metadata, slots and items are.
                    spoiled[at % Math.Min(spoiled.Length, 3 * 4096)] = value;
                }

                _ = isBerkeley ? RpmBerkeleyDatabase.Read("Packages", spoiled, []) : RpmNdbDatabase.Read("Packages.db", spoiled, []);
            },
            iter: 2000);
    }

    [Theory]
    [InlineData("var/lib/rpm/Packages", "bdb")]
    [InlineData("usr/lib/sysimage/rpm/Packages", "bdb")]
    [InlineData("usr/lib/sysimage/rpm/Packages.db", "ndb")]
    [InlineData("var/lib/rpm/Packages.db", "ndb")]
    [InlineData("usr/share/rpm/rpmdb.sqlite", "sqlite")]
    [InlineData("var/lib/rpm/rpmdb.sqlite", "sqlite")]
    [InlineData("opt/var/lib/rpm/Packages", null)]
    [InlineData("var/lib/rpm/Name", null)]
    public void The_three_forms_are_found_where_rpm_keeps_them(string path, string? form)
    {
        var found = RpmDatabase.IsBerkeleyFile(path) ? "bdb" : RpmDatabase.IsNdbFile(path) ? "ndb" : RpmDatabase.IsSqliteFile(path) ? "sqlite" : null;
        Assert.Equal(form, found);
    }

    private static List<string> Listed(IEnumerable<InstalledPackage> packages) =>
        [.. packages.Select(p => $"{p.Name}\t{p.Version}\t{p.Architecture}\t{p.License}").Order(StringComparer.Ordinal)];

    /// <summary>
    /// A Berkeley DB hash database holding the SQLite fixture's 129 headers under their header numbers, as rpm's
    /// <c>Packages</c> holds them, written by <c>db5.3_load</c> with the page size and byte order asked for.
    /// </summary>
    private static string BerkeleyDatabaseOfMarinersHeaders(TempFolder folder, int pageSize, string byteOrder)
    {
        ImageTools.Require(ImageTools.Missing("db5.3_load"), "db5.3-util");
        var dump = new StringBuilder($"VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize={pageSize}\nHEADER=END\n");
        var source = RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "cbl-mariner-2.0", "rpmdb.sqlite");
        using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            db.Open();
            using var query = db.CreateCommand();
            query.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum";
            using var rows = query.ExecuteReader();
            while (rows.Read())
            {
                var key = new byte[4];
                var number = (uint)rows.GetInt64(0);
                if (byteOrder == "1234")
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(key, number);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32BigEndian(key, number);
                }

                dump.Append(' ').Append(Convert.ToHexStringLower(key)).Append('\n');
                dump.Append(' ').Append(Convert.ToHexStringLower((byte[])rows.GetValue(1))).Append('\n');
            }
        }

        dump.Append("DATA=END\n");
        File.WriteAllText(folder["dump.txt"], dump.ToString());
        ImageTools.Run("db5.3_load", "-f", folder["dump.txt"], "-c", "db_lorder=" + byteOrder, folder["Packages"]);
        return folder["Packages"];
    }

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
            Listed(packages));
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

    private static List<string> RpmQuery(string file, string name = "rpmdb.sqlite", string backend = "sqlite")
    {
        var dbpath = Directory.CreateTempSubdirectory("bulwark-rpmdb-");
        try
        {
            File.Copy(file, Path.Combine(dbpath.FullName, name));
            ImageTools.Require(ImageTools.Missing("rpm"));
            var output = ImageTools.Run("rpm", "--dbpath", dbpath.FullName, "--define", "_db_backend " + backend, "-qa", "--qf", QueryFormat);
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
        }
        finally
        {
            dbpath.Delete(recursive: true);
        }
    }
}
