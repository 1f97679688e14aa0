using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Bulwark.Images.Packages;
using Bulwark.Images.Sbom;
using Bulwark.Images.Vulnerabilities;

namespace Bulwark.Bench.VulnMatch;

/// <summary>
/// Issue 13 §3: matching a 1,000-package SBOM against the database imported from every shared feed. One operation is
/// what <c>bulwark sbom</c> does after start-up: open the database, read the CycloneDX file, match every package.
/// The SBOM lists real package names from the feeds (npm, PyPI, Go, Alpine 3.11) at old versions, so most packages
/// have advisories to evaluate and many match.
/// </summary>
[MemoryDiagnoser]
public class MatchSbom
{
    private string _folder = null!;
    private string _database = null!;
    private string _sbom = null!;

    /// <summary>The number of vulnerabilities the last operation found (printed once, to show the work is real).</summary>
    public static int LastMatches { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var shared = Environment.GetEnvironmentVariable("BULWARK_SHARED") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared"));
        var vulndata = Path.Combine(shared, "conformance", "vulndata");
        _folder = Directory.CreateTempSubdirectory("bulwark-vulnmatch-").FullName;
        _database = Path.Combine(_folder, "vulnerabilities.db");
        VulnerabilityImporter.Import(_database, [vulndata]);
        _sbom = Path.Combine(_folder, "sbom.cdx.json");
        using var output = File.Create(_sbom);
        CycloneDxWriter.Write(output, new SbomSubject { Reference = "bench:1000" }, Inventory(vulndata, 1000));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public int OpenReadAndMatch()
    {
        using var database = VulnerabilityDatabase.Open(_database);
        var sbom = SbomReader.Read(_sbom);
        LastMatches = VulnerabilityMatcher.Match(sbom.Inventory, database).Matches.Count;
        return LastMatches;
    }

    /// <summary>Package names the feeds name, a quarter from each ecosystem, at versions old enough to be affected.</summary>
    public static ImageInventory Inventory(string vulndata, int count)
    {
        var npm = Directory.EnumerateFiles(Path.Combine(vulndata, "nodejs-security-wg-npm", "vuln", "npm"), "*.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .Where(e => e.TryGetProperty("module_name", out _))
            .Select(e => e.GetProperty("module_name").GetString()!).Distinct().Order(StringComparer.Ordinal);
        var pypi = Directory.EnumerateDirectories(Path.Combine(vulndata, "pypa-advisory-db", "vulns")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
        var go = Directory.EnumerateFiles(Path.Combine(vulndata, "go-vulndb-osv", "osv"), "*.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .SelectMany(e => e.TryGetProperty("affected", out var a) ? a.EnumerateArray().Select(p => p.GetProperty("package").GetProperty("name").GetString()!) : [])
            .Distinct().Order(StringComparer.Ordinal);
        var alpine = File.ReadLines(Path.Combine(vulndata, "alpine-secdb", "v3.11", "main.yaml"))
            .Select(l => l.Trim()).Where(l => l.StartsWith("name: ", StringComparison.Ordinal)).Select(l => l[6..]).Distinct().Order(StringComparer.Ordinal);
        var quarter = count / 4;
        var packages = npm.Take(quarter).Select(n => Package("npm", n, "0.0.1"))
            .Concat(pypi.Take(quarter).Select(n => Package("pypi", n, "0.1")))
            .Concat(go.Take(quarter).Select(n => Package("golang", n, n == "stdlib" ? "v1.19.8" : "v0.0.1")))
            .Concat(alpine.Take(count - 3 * quarter).Select(n => Package("apk", n, "0.1-r0")))
            .Select(p => new LocatedPackage(p, 0, "sha256:0"))
            .ToList();
        return new ImageInventory(new Bulwark.Images.Packages.OperatingSystem("alpine", "3.11.6", null, "Alpine Linux v3.11"), packages, []);
    }

    private static InstalledPackage Package(string type, string name, string version) =>
        new() { Type = type, Name = name, Version = version, SourceName = type == "apk" ? name : null, RecordedIn = "bench" };
}

public static class Program
{
    public static void Main(string[] args)
    {
        // --check: one operation, with what it read and found, to see the benchmark does real work.
        if (args is ["--check"])
        {
            var bench = new MatchSbom();
            bench.Setup();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            bench.OpenReadAndMatch();
            Console.WriteLine($"1,000 packages, {MatchSbom.LastMatches} vulnerabilities found, first run {watch.ElapsedMilliseconds} ms");
            bench.Cleanup();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
