using System.Text;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Packages;

/// <summary>
/// Every package reader behind one door: which files of an image's tree they want (so a layer is streamed once and
/// only those files are read), and the packages a wanted file records. A reader is chosen by the entry, not only its
/// path: a Go binary is any executable regular file, a jar any file named so. Each reader has its own size bound, and
/// is handed the file as a stream it reads forward once (the layer streams past); the readers that need the whole file
/// get it as bytes, in one buffer of the size the entry declares. Paths are relative to the image root, '/' separators, no leading '/'.
/// </summary>
public static class PackageCatalog
{
    /// <summary>Largest package-database file read; dpkg status files of big images are a few MB, rpm databases tens.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Largest manifest of one language package (package.json, METADATA, a gemspec): they are a few KB.</summary>
    private const long MaxManifestBytes = 4L * 1024 * 1024;

    private sealed record Reader(Func<LayerEntry, bool> Wants, long MaxBytes, Func<LayerEntry, Stream, List<string>, List<InstalledPackage>> Read);

    // First match wins: the path-named databases and manifests before the readers that go by kind and mode.
    private static readonly Reader[] Readers =
    [
        Bytes(e => DpkgDatabase.IsDatabaseFile(e.Path), MaxFileBytes, (path, content, problems) => DpkgDatabase.Read(path, Text(content), problems)),
        Bytes(e => e.Path == ApkDatabase.InstalledFile, MaxFileBytes, (path, content, problems) => ApkDatabase.Read(path, Text(content), problems)),
        Bytes(e => RpmDatabase.IsSqliteFile(e.Path), MaxFileBytes, ReadRpmSqlite),
        Bytes(e => RpmDatabase.IsBerkeleyFile(e.Path), MaxFileBytes, RpmBerkeleyDatabase.Read),
        Bytes(e => RpmDatabase.IsNdbFile(e.Path), MaxFileBytes, RpmNdbDatabase.Read),
        Bytes(e => NpmPackages.IsInstalledManifest(e.Path), MaxManifestBytes, (path, content, problems) => NpmPackages.Read(path, content, problems) is { } npm ? [npm] : []),
        Bytes(e => PythonPackages.IsMetadata(e.Path), MaxManifestBytes, (path, content, problems) => PythonPackages.Read(path, Text(content), problems) is { } python ? [python] : []),
        Bytes(e => DotnetDeps.IsDepsFile(e.Path), MaxFileBytes, (path, content, problems) => DotnetDeps.Read(path, content, problems)),
        Bytes(e => RubyGemspec.IsInstalledSpec(e.Path), MaxManifestBytes, (path, content, problems) => RubyGemspec.Read(path, Text(content), problems) is { } gem ? [gem] : []),
        Bytes(e => JavaArchive.IsArchive(e.Path), JavaArchive.MaxArchiveBytes, JavaArchive.Read),
        new(GoBuildInfo.MayBeGoBinary, GoBuildInfo.MaxBinaryBytes, (entry, content, problems) => GoBuildInfo.Read(entry.Path, content, problems)),
    ];

    /// <summary>True when some reader wants the regular file <paramref name="entry"/> and it is within that reader's bound.</summary>
    public static bool Wants(LayerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Kind == LayerEntryKind.File && ReaderFor(entry) is { } reader && entry.Size <= reader.MaxBytes;
    }

    /// <summary>
    /// The packages the file <paramref name="entry"/> records, read from <paramref name="content"/> (forward only, once);
    /// what cannot be read is in <paramref name="problems"/>, each naming the file. A file no reader wants records none.
    /// </summary>
    public static List<InstalledPackage> Read(LayerEntry entry, Stream content, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(content);
        return ReaderFor(entry) is { } reader && entry.Size <= reader.MaxBytes ? reader.Read(entry, content, problems) : [];
    }

    private static Reader? ReaderFor(LayerEntry entry) => Array.Find(Readers, r => r.Wants(entry));

    private static Reader Bytes(Func<LayerEntry, bool> wants, long maxBytes, Func<string, byte[], List<string>, List<InstalledPackage>> parse) =>
        new(wants, maxBytes, (entry, content, problems) =>
        {
            // One buffer of the size the entry declares (within the reader's bound), filled once; a stream that holds
            // more than it declared is a problem, not a larger buffer.
            var bytes = new byte[entry.Size];
            var read = content.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (content.ReadByte() >= 0)
            {
                problems.Add($"{entry.Path}: longer than the {entry.Size} bytes its entry declares; skipped");
                return [];
            }

            return parse(entry.Path, read == bytes.Length ? bytes : bytes[..read], problems);
        });

    // SQLite reads files, not memory: the database goes to a private temporary file for as long as it is read.
    private static List<InstalledPackage> ReadRpmSqlite(string path, byte[] content, List<string> problems)
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
