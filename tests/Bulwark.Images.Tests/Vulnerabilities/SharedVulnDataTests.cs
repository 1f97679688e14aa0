using System.Text.Json;
using Bulwark.Images.Vulnerabilities;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>The whole shared vulndata folder imported once (with the OSV formats only, so the counts do not move when more formats are added).</summary>
public sealed class SharedVulnData : IDisposable
{
    private readonly TempFolder _folder = new();

    public SharedVulnData()
    {
        if (RepositoryPaths.SharedSkipReason is not null)
        {
            return;
        }

        Root = RepositoryPaths.InShared("conformance", "vulndata");
        DatabasePath = _folder["vulnerabilities.db"];
        Report = VulnerabilityImporter.Import(DatabasePath, [Root], [OsvFormat.Json, OsvFormat.Yaml]);
    }

    public string Root { get; } = "";

    public string DatabasePath { get; } = "";

    public ImportReport? Report { get; }

    public static void Require() => Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);

    public void Dispose() => _folder.Dispose();
}

public sealed class SharedVulnDataTests(SharedVulnData data) : IClassFixture<SharedVulnData>
{
    [SkippableFact]
    public void Every_go_and_pypa_record_is_stored_except_the_withdrawn_ones()
    {
        SharedVulnData.Require();
        var go = Directory.GetFiles(Path.Combine(data.Root, "go-vulndb-osv", "osv"), "*.json").Select(GoRecord).ToList();
        var pypa = Directory.GetFiles(Path.Combine(data.Root, "pypa-advisory-db", "vulns"), "*.yaml", SearchOption.AllDirectories).Select(PypaRecord).ToList();

        // The valid records of the OSV linter's samples and the Red Hat sample; GHSA-9v2f-6vcg-3hgv twice (its
        // "nopackage" twin names a package that does not exist on PyPI, which only the registry can tell).
        string[] samples = ["CVE-2018-5407", "GHSA-9v2f-6vcg-3hgv", "GO-2020-0001", "GO-2024-2963", "MAL-2024-10238", "PYSEC-2023-74", "RHSA-2024:4546"];
        var expected = go.Concat(pypa).Where(r => !r.Withdrawn).Select(r => r.Id).Concat(samples).ToHashSet(StringComparer.Ordinal);
        var withdrawn = go.Concat(pypa).Where(r => r.Withdrawn).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        var report = data.Report!;
        Assert.Equal(expected.Count, report.Advisories);
        Assert.Equal(withdrawn.Count, report.Withdrawn);
        Assert.Equal(new Dictionary<string, int> { ["osv"] = expected.Count }, report.Sources);

        using var database = VulnerabilityDatabase.Open(data.DatabasePath);
        var status = database.Status();
        var osv = Assert.Single(status.Sources);
        Assert.Equal(("osv", expected.Count), (osv.Name, osv.Advisories));
        Assert.True(osv.AffectedPackages >= expected.Count, $"{osv.AffectedPackages} affected rows");
        Assert.Equal(DatabaseSchema.Version, status.SchemaVersion);
        Assert.Equal(new FileInfo(data.DatabasePath).Length, status.SizeBytes);
        Assert.NotNull(status.UpdatedAt);
    }

    [SkippableFact]
    public void The_linters_broken_samples_are_listed_with_file_line_and_reason()
    {
        SharedVulnData.Require();
        var invalid = data.Report!.Invalid.ToDictionary(p => Path.GetFileName(p.File), p => p);

        Assert.Equal(
            ["RHSA-2022_0216.json", "SUSE-FU-2022_0444-1.json", "nointroduced-CVE-2023-41045.json", "nondistinct-CVE-2018-5407.json"],
            invalid.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("has no introduced event", invalid["nointroduced-CVE-2023-41045.json"].Reason, StringComparison.Ordinal);
        Assert.Contains("introduced and fixed at the same version e818b74be2170fbe957a07b0da4401c2b694b3b8", invalid["nondistinct-CVE-2018-5407.json"].Reason, StringComparison.Ordinal);
        Assert.Contains("no affected packages", invalid["SUSE-FU-2022_0444-1.json"].Reason, StringComparison.Ordinal);
        Assert.Contains("no affected packages", invalid["RHSA-2022_0216.json"].Reason, StringComparison.Ordinal);
        Assert.All(invalid.Values, p => Assert.True(p.Line > 0, p.ToString()));

        // The good twin of nointroduced- names no package (GIT ranges only): valid, but nothing to store.
        Assert.Equal(1, data.Report.WithoutPackages);
    }

    [SkippableFact]
    public void Files_in_formats_not_read_yet_are_skipped_not_invalid()
    {
        SharedVulnData.Require();
        var all = Directory.GetFiles(data.Root, "*", SearchOption.AllDirectories);
        var osv = Directory.GetFiles(Path.Combine(data.Root, "go-vulndb-osv", "osv")).Length
            + Directory.GetFiles(Path.Combine(data.Root, "pypa-advisory-db", "vulns"), "*.yaml", SearchOption.AllDirectories).Length
            + Directory.GetFiles(Path.Combine(data.Root, "osv-schema", "linter-testdata")).Length
            + Directory.GetFiles(Path.Combine(data.Root, "osv-schema", "redhat-osv")).Length;

        Assert.Equal(osv, data.Report!.Files);
        Assert.Equal(all.Length - osv, data.Report.SkippedFiles);

        // RustSec (TOML in Markdown), RubySec (YAML without an OSV id) and grype's samples are among them.
        var unread = all.Count(f => f.Contains("rustsec-advisory-db", StringComparison.Ordinal) || f.Contains("rubysec-advisory-db", StringComparison.Ordinal) || f.Contains("grype-vunnel-samples", StringComparison.Ordinal));
        Assert.True(data.Report.SkippedFiles >= unread, $"{data.Report.SkippedFiles} skipped, {unread} RustSec/RubySec/grype files");
    }

    [SkippableFact]
    public void Lookup_finds_the_go_standard_library_advisories()
    {
        SharedVulnData.Require();
        using var database = VulnerabilityDatabase.Open(data.DatabasePath);

        var stdlib = database.Lookup("Go", "stdlib");
        var record = Assert.Single(stdlib, s => s.Advisory.Id == "GO-2024-2963");
        Assert.Equal("osv", record.Advisory.Source);
        Assert.Contains("CVE-2024-24791", record.Advisory.Aliases);
        Assert.Equal(("Go", "stdlib"), (record.Package.Ecosystem, record.Package.Name));
        var range = Assert.Single(record.Package.Ranges);
        Assert.Equal(RangeKind.Semver, range.Kind);
        Assert.Equal(new RangeEvent(RangeEventKind.Introduced, "0"), range.Events[0]);
        Assert.Contains(new RangeEvent(RangeEventKind.Fixed, "1.21.12"), range.Events);
        Assert.Equal("https://pkg.go.dev/vuln/GO-2024-2963", record.Advisory.Url);
        Assert.Empty(record.Advisory.Affected);

        // As many as the Go database has records naming stdlib (withdrawn ones aside), and the ecosystem's case does not matter.
        var expected = Directory.GetFiles(Path.Combine(data.Root, "go-vulndb-osv", "osv"), "*.json").Select(GoRecord)
            .Count(r => !r.Withdrawn && r.Packages.Contains("stdlib"));
        Assert.Equal(expected, stdlib.Count);
        Assert.Equal(stdlib.Select(s => s.Advisory.Id), database.Lookup("go", "stdlib").Select(s => s.Advisory.Id));
    }

    [SkippableFact]
    public void Lookup_normalizes_pypi_names_and_leaves_withdrawn_records_out()
    {
        SharedVulnData.Require();
        using var database = VulnerabilityDatabase.Open(data.DatabasePath);

        var iotdb = Assert.Single(database.Lookup("pypi", "Apache_IoTDB"), s => s.Advisory.Id == "PYSEC-2022-42972");
        Assert.Equal(("PyPI", "apache-iotdb"), (iotdb.Package.Ecosystem, iotdb.Package.Name));
        Assert.Contains("0.12.2", iotdb.Package.Versions);
        Assert.Equal(4, iotdb.Package.Ranges.Single().Events.Count);

        var django = database.Lookup("PyPI", "Django");
        var record = Assert.Single(django, s => s.Advisory.Id == "PYSEC-2023-100");
        Assert.Equal(new DateTimeOffset(2023, 7, 3, 13, 15, 0, TimeSpan.Zero), record.Advisory.Published);
        Assert.StartsWith("In Django 3.2 before 3.2.20,", record.Advisory.Summary, StringComparison.Ordinal);

        var withdrawn = Directory.GetFiles(Path.Combine(data.Root, "go-vulndb-osv", "osv"), "*.json").Select(GoRecord).First(r => r.Withdrawn);
        foreach (var package in withdrawn.Packages)
        {
            Assert.DoesNotContain(database.Lookup("Go", package), s => s.Advisory.Id == withdrawn.Id);
        }

        Assert.Empty(database.Lookup("PyPI", "no-such-package-anywhere"));
    }

    private sealed record Record(string Id, bool Withdrawn, List<string> Packages);

    private static Record GoRecord(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = json.RootElement;
        var packages = root.TryGetProperty("affected", out var affected)
            ? affected.EnumerateArray().Select(a => a.GetProperty("package").GetProperty("name").GetString()!).ToList()
            : [];
        return new Record(root.GetProperty("id").GetString()!, root.TryGetProperty("withdrawn", out _), packages);
    }

    private static Record PypaRecord(string file)
    {
        var lines = File.ReadAllLines(file);
        return new Record(lines.First(l => l.StartsWith("id: ", StringComparison.Ordinal))[4..].Trim(), lines.Any(l => l.StartsWith("withdrawn:", StringComparison.Ordinal)), []);
    }
}
