using Microsoft.Data.Sqlite;

namespace Bulwark.Images.Packages;

/// <summary>
/// rpm's package database, one header blob per package (<see cref="RpmHeader"/>), in one of three forms: SQLite
/// (<c>rpmdb.sqlite</c>, rpm 4.16 and later: Fedora 33+, RHEL 9, CBL-Mariner), the <c>Packages</c> table here;
/// Berkeley DB (<c>Packages</c>: RHEL 8 and older, CentOS, Amazon Linux 2), <see cref="RpmBerkeleyDatabase"/>; NDB
/// (<c>Packages.db</c>: SUSE 15), <see cref="RpmNdbDatabase"/>. rpm keeps it in <c>var/lib/rpm</c>, SUSE and newer
/// Fedora in <c>usr/lib/sysimage/rpm</c>, CoreOS in <c>usr/share/rpm</c>.
/// </summary>
public static class RpmDatabase
{
    public const string SqliteFile = "var/lib/rpm/rpmdb.sqlite";

    private static readonly string[] Folders = ["var/lib/rpm/", "usr/lib/sysimage/rpm/", "usr/share/rpm/"];

    public static bool IsSqliteFile(string path) => IsIn(path, "rpmdb.sqlite");

    public static bool IsBerkeleyFile(string path) => IsIn(path, "Packages");

    public static bool IsNdbFile(string path) => IsIn(path, "Packages.db");

    private static bool IsIn(string path, string name) =>
        path.EndsWith(name, StringComparison.Ordinal) && Array.Exists(Folders, f => path.Length == f.Length + name.Length && path.StartsWith(f, StringComparison.Ordinal));

    /// <summary>The package a header blob records, or null with a problem naming <paramref name="path"/> and the record.</summary>
    internal static InstalledPackage? FromBlob(string path, ReadOnlySpan<byte> blob, int number, List<string> problems)
    {
        if (RpmHeader.Parse(blob, out var problem) is not { } header)
        {
            problems.Add($"{path}: package {number}: {problem}; skipped");
            return null;
        }

        if (From(header, path, number) is { } package)
        {
            return package;
        }

        problems.Add($"{path}: package {number} has no name or version; skipped");
        return null;
    }

    /// <summary>
    /// The packages of the database in <paramref name="file"/> (a copy on disk: SQLite reads files), named
    /// <paramref name="path"/> in what is reported. A database SQLite cannot read is one problem, not a crash.
    /// </summary>
    public static List<InstalledPackage> ReadSqlite(string path, string file, List<string> problems)
    {
        var packages = new List<InstalledPackage>();
        var connection = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            using var db = new SqliteConnection(connection);
            db.Open();
            using var query = db.CreateCommand();
            query.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum";
            using var rows = query.ExecuteReader();
            while (rows.Read())
            {
                var number = rows.GetInt64(0);
                if (FromBlob(path, (byte[])rows.GetValue(1), (int)number, problems) is { } package)
                {
                    packages.Add(package);
                }
            }
        }
        catch (Exception ex) when (ex is SqliteException or InvalidCastException)
        {
            problems.Add($"{path}: not a readable rpm SQLite database: {ex.Message}");
        }

        return packages;
    }

    /// <summary>
    /// A package from its header. The version is rpm's EVR (<c>[epoch:]version-release</c>), what vulnerability data
    /// for rpm distributions compares; the source package comes from <c>SOURCERPM</c> (<c>openssl-1.1.1k-7.cm2.src.rpm</c>).
    /// </summary>
    public static InstalledPackage? From(RpmHeader header, string path, int number)
    {
        var name = header.String(RpmHeader.Name);
        var version = header.String(RpmHeader.Version);
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
        {
            return null;
        }

        var release = header.String(RpmHeader.Release);
        var evr = (header.Integer(RpmHeader.Epoch) is { } epoch ? $"{epoch}:" : string.Empty) + version + (string.IsNullOrEmpty(release) ? string.Empty : "-" + release);
        var (sourceName, sourceVersion) = SourceOf(header.String(RpmHeader.SourceRpm));
        return new InstalledPackage
        {
            Type = "rpm",
            Name = name,
            Version = evr,
            Architecture = header.String(RpmHeader.Arch),
            SourceName = sourceName ?? name,
            SourceVersion = sourceVersion,
            License = header.String(RpmHeader.License),
            RecordedIn = path,
            Line = number,
        };
    }

    /// <summary><c>NAME-VERSION-RELEASE.src.rpm</c>: the name is everything before the last two dashes.</summary>
    internal static (string? Name, string? Version) SourceOf(string? sourceRpm)
    {
        if (string.IsNullOrEmpty(sourceRpm) || !sourceRpm.EndsWith(".src.rpm", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var stem = sourceRpm[..^".src.rpm".Length];
        var releaseDash = stem.LastIndexOf('-');
        var versionDash = releaseDash > 0 ? stem.LastIndexOf('-', releaseDash - 1) : -1;
        return versionDash > 0 ? (stem[..versionDash], stem[(versionDash + 1)..]) : (null, null);
    }
}
