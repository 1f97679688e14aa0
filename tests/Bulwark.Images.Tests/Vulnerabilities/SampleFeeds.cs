using System.IO.Compression;
using System.Text.Json;
using Bulwark.TestSupport;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>
/// The shared feed samples as a mirror would serve them, built once per test run from the files in place: OSV exports
/// as zip archives of records (Go from golang/vulndb, PyPI from pypa/advisory-db, the other ecosystems from the
/// osv-schema samples that name them), the Debian tracker and Alpine secdb JSON as they are, and the Node.js
/// security WG advisories in a zip laid out like GitHub's archive of the repository.
/// </summary>
public static class SampleFeeds
{
    private static readonly Lazy<Dictionary<string, byte[]>> Files = new(Build);

    /// <summary>The Alpine branch of the secdb samples (3.11's main and community repositories).</summary>
    public const string AlpineBranch = "v3.11";

    /// <summary>File bytes by path on the mirror: <c>osv/Go/all.zip</c>, <c>debian/json</c>, <c>alpine/v3.11/main.json</c>, <c>nodejs/main.zip</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> ByPath => Files.Value;

    /// <summary>Serves every sample on <paramref name="server"/> and returns the update options that point at it.</summary>
    public static string[] ServeAll(FeedServer server)
    {
        foreach (var (path, bytes) in ByPath)
        {
            server.Serve("/" + path, bytes);
        }

        return LocationOptions(server.Base);
    }

    /// <summary>The <c>--*-url</c> options that point the update at a mirror laid out as <see cref="ByPath"/>.</summary>
    public static string[] LocationOptions(Uri mirror) =>
    [
        "--osv-url", new Uri(mirror, "osv").ToString(),
        "--debian-url", new Uri(mirror, "debian/json").ToString(),
        "--alpine-url", new Uri(mirror, "alpine/").ToString(),
        "--nodejs-url", new Uri(mirror, "nodejs/main.zip").ToString(),
        "--alpine-branch", AlpineBranch,
    ];

    public static byte[] Zip(IEnumerable<(string Name, string File)> entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, file) in entries)
            {
                archive.CreateEntryFromFile(file, name, CompressionLevel.Fastest);
            }
        }

        return buffer.ToArray();
    }

    private static Dictionary<string, byte[]> Build()
    {
        var data = RepositoryPaths.InShared("conformance", "vulndata");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["osv/Go/all.zip"] = Zip(Directory.EnumerateFiles(Path.Combine(data, "go-vulndb-osv", "osv"), "*.json").Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFileName(f), f))),
            ["osv/PyPI/all.zip"] = Zip(Directory.EnumerateFiles(Path.Combine(data, "pypa-advisory-db", "vulns"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFileName(f), f))),
            ["debian/json"] = File.ReadAllBytes(Path.Combine(data, "debian-tracker", "tracker-json-sample.json")),
            [$"alpine/{AlpineBranch}/main.json"] = File.ReadAllBytes(Path.Combine(data, "alpine-secdb-json-samples", "311-main.json")),
            [$"alpine/{AlpineBranch}/community.json"] = File.ReadAllBytes(Path.Combine(data, "alpine-secdb-json-samples", "311-community.json")),
            ["nodejs/main.zip"] = Zip(Directory.EnumerateFiles(Path.Combine(data, "nodejs-security-wg-npm", "vuln", "npm"), "*.json").Order(StringComparer.Ordinal)
                .Select(f => ("security-wg-main/vuln/npm/" + Path.GetFileName(f), f))),
        };

        var schemaSamples = Directory.EnumerateFiles(Path.Combine(data, "osv-schema"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("schema.json", StringComparison.Ordinal) && !f.EndsWith("ecosystems.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        foreach (var ecosystem in new[] { "npm", "Maven", "NuGet", "RubyGems", "crates.io" })
        {
            files[$"osv/{ecosystem}/all.zip"] = Zip(schemaSamples.Where(f => Ecosystems(f).Contains(ecosystem)).Select(f => (Path.GetFileName(f), f)));
        }

        return files;
    }

    private static HashSet<string> Ecosystems(string osvFile)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(osvFile));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("affected", out var affected) && affected.ValueKind == JsonValueKind.Array
                ? [.. affected.EnumerateArray()
                    .Where(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("package", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("ecosystem", out _))
                    .Select(a => a.GetProperty("package").GetProperty("ecosystem").GetString() ?? string.Empty)]
                : [];
        }
        catch (JsonException)
        {
            // The linter's broken samples: not a record of any ecosystem.
            return [];
        }
    }
}
