using System.Text;

namespace Bulwark.Images.Packages;

/// <summary>
/// Every package reader behind one door: which files of an image's tree they want (so a layer is streamed once and
/// only those files are kept), and the packages a wanted file records. Paths are relative to the image root, with
/// '/' separators and no leading '/'.
/// </summary>
public static class PackageCatalog
{
    /// <summary>Largest package-database file read; dpkg status files of big images are a few MB, rpm databases tens.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    public static bool Wants(string path) =>
        DpkgDatabase.IsDatabaseFile(path) || path == ApkDatabase.InstalledFile || path == RpmDatabase.SqliteFile
        || NpmPackages.IsInstalledManifest(path) || PythonPackages.IsMetadata(path) || DotnetDeps.IsDepsFile(path);

    /// <summary>The packages <paramref name="path"/> records; what cannot be read is in <paramref name="problems"/>.</summary>
    public static List<InstalledPackage> Read(string path, byte[] content, List<string> problems)
    {
        if (DpkgDatabase.IsDatabaseFile(path))
        {
            return DpkgDatabase.Read(path, Text(content), problems);
        }

        if (path == ApkDatabase.InstalledFile)
        {
            return ApkDatabase.Read(path, Text(content), problems);
        }

        if (path == RpmDatabase.SqliteFile)
        {
            return ReadRpm(path, content, problems);
        }

        if (NpmPackages.IsInstalledManifest(path))
        {
            return NpmPackages.Read(path, content, problems) is { } npm ? [npm] : [];
        }

        if (PythonPackages.IsMetadata(path))
        {
            return PythonPackages.Read(path, Text(content), problems) is { } python ? [python] : [];
        }

        return DotnetDeps.IsDepsFile(path) ? DotnetDeps.Read(path, content, problems) : [];
    }

    // SQLite reads files, not memory: the database goes to a private temporary file for as long as it is read.
    private static List<InstalledPackage> ReadRpm(string path, byte[] content, List<string> problems)
    {
        var file = Path.Combine(Path.GetTempPath(), "bulwark-rpmdb-" + Guid.NewGuid().ToString("N") + ".sqlite");
        try
        {
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
            }

            return RpmDatabase.ReadSqlite(path, file, problems);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Text(byte[] content) => new UTF8Encoding(false, false).GetString(content);
}
