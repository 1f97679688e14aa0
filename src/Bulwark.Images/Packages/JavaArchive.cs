using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Images.Packages;

/// <summary>
/// Java archives (<c>.jar</c>, <c>.war</c>, <c>.ear</c>, <c>.par</c>) and the archives nested in them (Spring Boot's
/// <c>BOOT-INF/lib/*.jar</c>, a web app's <c>WEB-INF/lib/*.jar</c>). An archive names what it is in
/// <c>META-INF/maven/GROUP/ARTIFACT/pom.properties</c> (one per Maven artifact it holds: a shaded jar has several), else
/// in <c>META-INF/MANIFEST.MF</c> (the <c>Implementation-*</c>, <c>Specification-*</c> and <c>Bundle-*</c> fields, in
/// Trivy's order of preference), else only in its file name (<c>NAME-VERSION.jar</c>). One that names itself nowhere
/// (an <c>app.jar</c> of bare classes) is no package, and no problem either: nothing went wrong reading it.
/// A package's name is <c>GROUP:ARTIFACT</c> (the purl's namespace and name), or the artifact alone when no group is
/// known; a nested archive's packages are recorded in <c>OUTER.jar!/INNER.jar</c>, Java's own notation for it.
/// An archive is a stranger's zip: its nesting depth, its entries and the bytes inflated from it are all bounded,
/// and a bound reached, or a zip that does not read, is a problem naming the archive.
/// </summary>
public static partial class JavaArchive
{
    /// <summary>Largest archive read; it is held in memory (a zip is read from its end).</summary>
    public const long MaxArchiveBytes = 256L * 1024 * 1024;

    /// <summary>Archives nested in archives: a Spring Boot jar in an ear is three levels.</summary>
    public const int MaxDepth = 4;

    /// <summary>Entries of an archive and its nested ones together: the largest real fat jars hold tens of thousands.</summary>
    public const int MaxEntries = 200_000;

    /// <summary>Largest nested archive inflated: it is held in memory while read. Spring Boot's libraries are a few MB each.</summary>
    public const int MaxNestedArchiveBytes = 64 * 1024 * 1024;

    /// <summary>Bytes inflated from an archive and its nested ones together.</summary>
    public const long MaxInflatedBytes = 256L * 1024 * 1024;

    private const int MaxPropertiesBytes = 1024 * 1024;

    private static readonly string[] Extensions = [".jar", ".war", ".ear", ".par"];

    public static bool IsArchive(string path) => Array.Exists(Extensions, e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase) && path.Length > e.Length && path[^(e.Length + 1)] != '/');

    public static List<InstalledPackage> Read(string path, byte[] content, List<string> problems)
    {
        var packages = new List<InstalledPackage>();
        var budget = new Budget();
        try
        {
            ReadArchive(path, content, depth: 1, budget, packages, problems);
        }
        catch (BoundReachedException ex)
        {
            problems.Add($"{path}: {ex.Message}; the rest of the archive is not read");
        }

        return packages;
    }

    private static void ReadArchive(string recordedIn, byte[] content, int depth, Budget budget, List<InstalledPackage> packages, List<string> problems)
    {
        var start = packages.Count;
        if (EndRecordEntries(content) is not { } declared)
        {
            problems.Add($"{recordedIn}: not a zip archive; skipped");
            return;
        }

        budget.Count(declared);
        ZipArchive? archive = null;
        IReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            entries = archive.Entries; // the central directory is read here, all of it
        }
        catch (InvalidDataException ex)
        {
            archive?.Dispose();
            problems.Add($"{recordedIn}: not a readable zip archive ({ex.Message}); skipped");
            return;
        }

        using (archive)
        {
            var found = new List<InstalledPackage>();
            Dictionary<string, string>? manifest = null;
            foreach (var entry in entries)
            {
                var name = entry.FullName;
                try
                {
                    if (IsPomProperties(name))
                    {
                        if (FromPomProperties(Properties(InflateText(entry, MaxPropertiesBytes, budget))) is { } pom)
                        {
                            found.Add(Package(pom.Group, pom.Artifact, pom.Version, recordedIn));
                        }
                    }
                    else if (name.Equals("META-INF/MANIFEST.MF", StringComparison.OrdinalIgnoreCase))
                    {
                        manifest = Manifest(InflateText(entry, MaxPropertiesBytes, budget));
                    }
                    else if (IsArchive(name))
                    {
                        if (depth >= MaxDepth)
                        {
                            problems.Add($"{recordedIn}!/{name}: nested more than {MaxDepth} archives deep; skipped");
                            continue;
                        }

                        ReadArchive($"{recordedIn}!/{name}", Inflate(entry, MaxNestedArchiveBytes, budget), depth + 1, budget, packages, problems);
                    }
                }
                catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
                {
                    problems.Add($"{recordedIn}!/{name}: cannot be inflated ({ex.Message}); skipped");
                }
            }

            if (found.Count == 0 && manifest is not null && FromManifest(manifest) is { } described)
            {
                found.Add(Package(described.Group, described.Artifact, described.Version, recordedIn));
            }

            if (found.Count == 0 && FromFileName(recordedIn) is { } named)
            {
                found.Add(Package(null, named.Artifact, named.Version, recordedIn));
            }

            packages.InsertRange(start, found); // an archive before the ones nested in it
        }
    }

    private static InstalledPackage Package(string? group, string artifact, string version, string recordedIn) => new()
    {
        Type = "maven",
        Name = string.IsNullOrEmpty(group) ? artifact : group + ":" + artifact,
        Version = version,
        RecordedIn = recordedIn,
    };

    private static bool IsPomProperties(string name) =>
        name.StartsWith("META-INF/maven/", StringComparison.Ordinal) && name.EndsWith("/pom.properties", StringComparison.Ordinal);

    private static (string Group, string Artifact, string Version)? FromPomProperties(Dictionary<string, string> properties) =>
        properties.GetValueOrDefault("groupId") is { Length: > 0 } group
        && properties.GetValueOrDefault("artifactId") is { Length: > 0 } artifact
        && properties.GetValueOrDefault("version") is { Length: > 0 } version
            ? (group, artifact, version)
            : null;

    private static (string Group, string Artifact, string Version)? FromManifest(Dictionary<string, string> manifest)
    {
        string? Field(params string[] names) => names.Select(n => manifest.GetValueOrDefault(n)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

        // Bundle-SymbolicName is the group and artifact in one (com.fasterxml.jackson.core.jackson-databind): its group is
        // all but the last segment. Directives after ';' (singleton:=true) are not part of it.
        var symbolic = Field("Bundle-SymbolicName")?.Split(';')[0].Trim();
        var group = Field("Implementation-Vendor-Id")
            ?? (symbolic is not null && symbolic.LastIndexOf('.') is > 0 and var dot ? symbolic[..dot] : symbolic)
            ?? Field("Implementation-Vendor", "Specification-Vendor");
        var artifact = Field("Implementation-Title", "Specification-Title", "Bundle-Name");
        var version = Field("Implementation-Version", "Specification-Version", "Bundle-Version");
        return group is not null && artifact is not null && version is not null ? (group, artifact, version) : null;
    }

    /// <summary><c>commons-lang3-3.12.0.jar</c>: the version starts at the first dash followed by a digit.</summary>
    private static (string Artifact, string Version)? FromFileName(string recordedIn)
    {
        var name = recordedIn[(recordedIn.LastIndexOf('/') + 1)..];
        var match = FileName().Match(name);
        return match.Success ? (match.Groups["artifact"].Value, match.Groups["version"].Value) : null;
    }

    /// <summary>Java properties as Maven writes them: <c>key=value</c> lines, <c>#</c> comments.</summary>
    private static Dictionary<string, string> Properties(string text)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] is '#' or '!')
            {
                continue;
            }

            var separator = line.IndexOfAny('=', ':');
            if (separator > 0)
            {
                properties.TryAdd(line[..separator].Trim().ToString(), line[(separator + 1)..].Trim().ToString());
            }
        }

        return properties;
    }

    /// <summary>The main section of a manifest: <c>Name: value</c>, lines over 72 bytes continued by a line starting with one space.</summary>
    private static Dictionary<string, string> Manifest(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd('\r');
            if (line.IsEmpty)
            {
                break; // per-entry sections follow the main one
            }

            if (line[0] == ' ' && last is not null)
            {
                fields[last] += line[1..].ToString();
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                last = line[..colon].Trim().ToString();
                fields[last] = line[(colon + 1)..].Trim().ToString();
            }
        }

        return fields;
    }

    /// <summary>An entry's bytes, inflated at most to <paramref name="max"/> and to what the budget has left.</summary>
    private static byte[] Inflate(ZipArchiveEntry entry, int max, Budget budget)
    {
        using var input = entry.Open();
        using var output = new MemoryStream((int)Math.Clamp(entry.Length, 0, Math.Min(max, 1024 * 1024))); // the declared size may lie
        var chunk = new byte[81920];
        int read;
        while ((read = input.Read(chunk)) > 0)
        {
            budget.Inflate(read);
            if (output.Length + read > max)
            {
                throw new InvalidDataException($"larger than the {max} bytes read of one entry");
            }

            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }

    private static string InflateText(ZipArchiveEntry entry, int max, Budget budget) =>
        new UTF8Encoding(false, false).GetString(Inflate(entry, max, budget));

    /// <summary>
    /// The entry count the end-of-central-directory record declares (zip64's when the classic field is saturated),
    /// read before the zip library materialises every entry; null when there is no such record.
    /// </summary>
    private static long? EndRecordEntries(ReadOnlySpan<byte> zip)
    {
        const int EndRecordSize = 22;
        var searchFrom = Math.Max(0, zip.Length - EndRecordSize - ushort.MaxValue);
        var end = zip[searchFrom..].LastIndexOf("PK\x05\x06"u8);
        if (end < 0 || searchFrom + end + EndRecordSize > zip.Length)
        {
            return null;
        }

        end += searchFrom;
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(zip[(end + 10)..]);
        const int LocatorSize = 20;
        if (entries == ushort.MaxValue && end >= LocatorSize && zip.Slice(end - LocatorSize, 4).SequenceEqual("PK\x06\x07"u8))
        {
            var record = BinaryPrimitives.ReadUInt64LittleEndian(zip[(end - LocatorSize + 8)..]);
            if (record <= (ulong)(zip.Length - 56) && zip.Slice((int)record, 4).SequenceEqual("PK\x06\x06"u8))
            {
                entries = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(zip[((int)record + 32)..]), long.MaxValue);
            }
        }

        return entries;
    }

    private sealed class Budget
    {
        private long _entries;
        private long _inflated;

        public void Count(long entries)
        {
            _entries += entries;
            if (_entries > MaxEntries)
            {
                throw new BoundReachedException($"more than {MaxEntries} entries in it and the archives nested in it");
            }
        }

        public void Inflate(long bytes)
        {
            _inflated += bytes;
            if (_inflated > MaxInflatedBytes)
            {
                throw new BoundReachedException($"inflates to more than {MaxInflatedBytes / (1024 * 1024)} MiB with the archives nested in it");
            }
        }
    }

    private sealed class BoundReachedException(string message) : Exception(message);

    [GeneratedRegex(@"^(?<artifact>.+?)-(?<version>\d[^/]*)\.(?:jar|war|ear|par)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FileName();
}
