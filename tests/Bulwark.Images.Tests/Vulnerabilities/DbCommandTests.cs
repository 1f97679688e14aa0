using System.Text.Json;
using Bulwark.Images.Tests.Scanning;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary><c>bulwark db import</c> and <c>bulwark db status</c>, in process.</summary>
public sealed class DbCommandTests
{
    private static ImageCommandTests.Result Run(params string[] args) => ImageCommandTests.Run(args);

    [SkippableFact]
    public void Importing_the_shared_vulndata_folder_succeeds_and_lists_the_invalid_records()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        using var temp = new TempFolder();
        var db = temp["v.db"];

        var result = Run("db", "import", RepositoryPaths.InShared("conformance", "vulndata"), "--db", db);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"^Imported [\d,]+ advisories \((.*, )?osv [\d,]+.*\) from [\d,]+ files into ", result.Out);
        Assert.Contains("files in no format Bulwark reads.", result.Out, StringComparison.Ordinal);
        Assert.Contains("nointroduced-CVE-2023-41045.json:13: CVE-2023-41045: affected[0].ranges[0] has no introduced event", result.Error, StringComparison.Ordinal);

        var status = Run("db", "status", "--db", db, "--format", "json");
        Assert.True(status.ExitCode == 0, status.Error);
        using var json = JsonDocument.Parse(status.Out);
        Assert.Equal(db, json.RootElement.GetProperty("path").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("schemaVersion").GetInt32());
        var osv = json.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "osv");
        Assert.True(osv.GetProperty("advisories").GetInt32() > 6000);
    }

    [Fact]
    public void Status_shows_the_sources_and_their_age()
    {
        using var temp = new TempFolder();
        var db = temp["v.db"];
        var record = VulnerabilityImporterTests.WriteRecord(temp, "GO-1.json", "GO-1", "example.com/a");
        Assert.Equal(0, Run("db", "import", record, "--db", db).ExitCode);

        var result = Run("db", "status", "--db", db);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Database:     {db}", result.Out, StringComparison.Ordinal);
        Assert.Contains("Schema:       1", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^osv\s+1\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\dZ \(just now\)$", result.Out);
    }

    [Fact]
    public void Status_without_a_database_says_none_is_loaded_and_how_to_get_one()
    {
        using var temp = new TempFolder();

        var result = Run("db", "status", "--db", temp["none.db"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"no vulnerability database at {temp["none.db"]}: none is loaded", result.Error, StringComparison.Ordinal);
        Assert.Contains("bulwark db import", result.Error, StringComparison.Ordinal);
        Assert.Contains("bulwark db update", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp["none.db"]));
    }

    [Fact]
    public void A_file_that_is_not_a_database_given_as_db_is_a_clear_error()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp["notes.txt"], "not a database");
        var record = VulnerabilityImporterTests.WriteRecord(temp, "GO-1.json", "GO-1", "example.com/a");

        var status = Run("db", "status", "--db", temp["notes.txt"]);
        var import = Run("db", "import", record, "--db", temp["notes.txt"]);

        Assert.Equal((2, 2), (status.ExitCode, import.ExitCode));
        Assert.Equal($"bulwark: {temp["notes.txt"]} is not a Bulwark vulnerability database (not an SQLite file){Environment.NewLine}", status.Error);
        Assert.Contains("is not a Bulwark vulnerability database", import.Error, StringComparison.Ordinal);
        Assert.Equal("not a database", File.ReadAllText(temp["notes.txt"]));
    }

    [Fact]
    public void A_truncated_archive_exits_2_and_keeps_the_database()
    {
        using var temp = new TempFolder();
        var db = temp["v.db"];
        var record = VulnerabilityImporterTests.WriteRecord(temp, "GO-1.json", "GO-1", "example.com/a");
        Assert.Equal(0, Run("db", "import", record, "--db", db).ExitCode);
        var before = File.ReadAllBytes(db);
        var zip = temp["feed.zip"];
        VulnerabilityImporterTests.WriteZip(zip, [.. Enumerable.Range(2, 40).Select(i => ($"GO-{i}.json", VulnerabilityImporterTests.Record($"GO-{i}", "example.com/b")))]);
        var bytes = File.ReadAllBytes(zip);
        File.WriteAllBytes(zip, bytes[..^30]);

        var result = Run("db", "import", zip, "--db", db);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"bulwark: import aborted: {zip}: not a readable zip archive", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(db));
        Assert.Equal(0, Run("db", "status", "--db", db).ExitCode);
    }
}
