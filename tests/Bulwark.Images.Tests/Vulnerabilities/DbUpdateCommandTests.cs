using System.CommandLine;
using System.Security.Cryptography;
using Bulwark.Cli;
using Bulwark.Cli.Commands;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>
/// <c>bulwark db update</c> end to end against a feed mirror on loopback serving the shared samples: what reaches the
/// import step, and that a download that fails in any way reaches it not at all and leaves no staged file behind.
/// </summary>
public sealed class DbUpdateCommandTests : IDisposable
{
    private readonly FeedServer _server = new();
    private readonly TempFolder _temp = new();
    private readonly List<(string? Database, List<(string Name, byte[] Sha256)> Files)> _imports = [];

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [SharedDataFact]
    public void Every_feed_is_downloaded_whole_and_handed_to_the_importer_in_one_call()
    {
        var options = SampleFeeds.ServeAll(_server);

        var result = Run([.. options, "--db", _temp["vuln.db"]]);

        Assert.True(result.ExitCode == 0, result.Error);
        var import = Assert.Single(_imports);
        Assert.Equal(_temp["vuln.db"], import.Database);
        Assert.Equal(
            ["osv-Go.zip", "osv-npm.zip", "osv-PyPI.zip", "osv-Maven.zip", "osv-NuGet.zip", "osv-RubyGems.zip", "osv-crates.io.zip",
                "debian-tracker.json", "alpine-v3.11-main.json", "alpine-v3.11-community.json", "nodejs-security-wg.zip"],
            import.Files.Select(f => f.Name));
        var served = new Dictionary<string, string>
        {
            ["osv-Go.zip"] = "osv/Go/all.zip",
            ["osv-PyPI.zip"] = "osv/PyPI/all.zip",
            ["osv-crates.io.zip"] = "osv/crates.io/all.zip",
            ["debian-tracker.json"] = "debian/json",
            ["alpine-v3.11-main.json"] = "alpine/v3.11/main.json",
            ["alpine-v3.11-community.json"] = "alpine/v3.11/community.json",
            ["nodejs-security-wg.zip"] = "nodejs/main.zip",
        };
        foreach (var (name, path) in served)
        {
            Assert.Equal(SHA256.HashData(SampleFeeds.ByPath[path]), import.Files.Single(f => f.Name == name).Sha256);
        }

        Assert.Contains($"fetched osv/Go: {SampleFeeds.ByPath["osv/Go/all.zip"].Length} bytes", result.Out, StringComparison.Ordinal);
        Assert.Contains($"from {_server.Base}debian/json", result.Out, StringComparison.Ordinal);
        Assert.Contains("downloaded 11 feed files", result.Out, StringComparison.Ordinal);
        AssertNothingStaged();
    }

    [SharedDataFact]
    public void The_real_import_fills_the_database_and_a_truncated_download_leaves_it_as_it_was()
    {
        var options = SampleFeeds.ServeAll(_server);
        var db = _temp["real.db"];

        var update = Bulwark.Images.Tests.Scanning.ImageCommandTests.Run(["db", "update", .. options, "--db", db]);

        Assert.True(update.ExitCode == 0, update.Error);
        var status = Bulwark.Images.Tests.Scanning.ImageCommandTests.Run("db", "status", "--db", db, "--format", "json");
        using (var json = System.Text.Json.JsonDocument.Parse(status.Out))
        {
            var sources = json.RootElement.GetProperty("sources").EnumerateArray()
                .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("advisories").GetInt32());
            Assert.Equal(["alpine-secdb", "debian-tracker", "nodejs-security-wg", "osv"], sources.Keys.Order(StringComparer.Ordinal));
            Assert.All(sources.Values, count => Assert.True(count > 0));
        }

        var before = File.ReadAllBytes(db);
        var tracker = SampleFeeds.ByPath["debian/json"];
        _server.Serve("/debian/json", new FeedServer.Reply(200, tracker, Sent: tracker.Length - 100));
        var truncated = Bulwark.Images.Tests.Scanning.ImageCommandTests.Run(["db", "update", .. options, "--db", db]);

        Assert.Equal(2, truncated.ExitCode);
        Assert.Contains("truncated", truncated.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(db));
    }

    [SharedDataFact]
    public void Feed_chooses_a_subset_by_name_or_group_and_nothing_else_is_requested()
    {
        var options = SampleFeeds.ServeAll(_server);

        var result = Run([.. options, "--feed", "osv/Go", "--feed", "alpine,nodejs"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["osv-Go.zip", "alpine-v3.11-main.json", "alpine-v3.11-community.json", "nodejs-security-wg.zip"], Assert.Single(_imports).Files.Select(f => f.Name));
        Assert.Equal(["/osv/Go/all.zip", "/alpine/v3.11/main.json", "/alpine/v3.11/community.json", "/nodejs/main.zip"], _server.Requests);
        Assert.Null(_imports[0].Database);
    }

    [SharedDataFact]
    public void A_body_shorter_than_its_content_length_is_truncated_and_nothing_is_imported()
    {
        var options = SampleFeeds.ServeAll(_server);
        var tracker = SampleFeeds.ByPath["debian/json"];
        var url = _server.Serve("/debian/json", new FeedServer.Reply(200, tracker, Sent: tracker.Length / 2));

        var result = Run([.. options, "--feed", "osv/Go,debian,nodejs"]);

        AssertFailedNaming(result, url, "truncated");
        Assert.Contains($"after {tracker.Length / 2} of {tracker.Length} bytes", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("/nodejs/main.zip", _server.Requests);
    }

    [SharedDataFact]
    public void A_zip_cut_in_half_is_refused_even_when_its_length_matches()
    {
        var options = SampleFeeds.ServeAll(_server);
        var archive = SampleFeeds.ByPath["nodejs/main.zip"];
        var url = _server.Serve("/nodejs/main.zip", archive[..(archive.Length / 2)]);

        var result = Run([.. options, "--feed", "osv/Go,nodejs"]);

        AssertFailedNaming(result, url, "not a whole zip archive");
    }

    [SharedDataFact]
    public void A_zip_without_content_length_whose_connection_closes_early_is_refused()
    {
        var options = SampleFeeds.ServeAll(_server);
        var archive = SampleFeeds.ByPath["osv/Go/all.zip"];
        var url = _server.Serve("/osv/Go/all.zip", new FeedServer.Reply(200, archive, Sent: archive.Length - 100, ContentLength: -1));

        var result = Run([.. options, "--feed", "osv/Go"]);

        AssertFailedNaming(result, url, "not a whole zip archive");
    }

    [SharedDataFact]
    public void A_json_feed_cut_short_with_a_matching_length_is_refused()
    {
        var options = SampleFeeds.ServeAll(_server);
        var secdb = SampleFeeds.ByPath["alpine/v3.11/community.json"];
        var url = _server.Serve("/alpine/v3.11/community.json", secdb[..(secdb.Length - 10)]);

        var result = Run([.. options, "--feed", "alpine"]);

        AssertFailedNaming(result, url, "not a whole JSON document");
    }

    [SharedDataFact]
    public void A_missing_feed_fails_the_update_naming_the_url_and_the_status()
    {
        var options = SampleFeeds.ServeAll(_server);

        var result = Run([.. options, "--feed", "osv/Go,alpine", "--alpine-branch", "v3.11,v3.99"]);

        AssertFailedNaming(result, new Uri(_server.Base, "alpine/v3.99/main.json"), "HTTP 404 Not Found");
        Assert.Contains("no such feed file", result.Error, StringComparison.Ordinal);
        Assert.Contains("/osv/Go/all.zip", _server.Requests);
    }

    [SharedDataFact]
    public void A_file_over_the_size_cap_is_refused_whether_announced_or_not()
    {
        var options = SampleFeeds.ServeAll(_server);
        var tracker = SampleFeeds.ByPath["debian/json"];

        var announced = Run([.. options, "--feed", "debian", "--max-download-size", "1KiB"]);
        AssertFailedNaming(announced, new Uri(_server.Base, "debian/json"), $"announces {tracker.Length} bytes, more than the 1024 allowed");

        _server.Serve("/debian/json", new FeedServer.Reply(200, tracker, ContentLength: -1));
        var streamed = Run([.. options, "--feed", "debian", "--max-download-size", "1KiB"]);
        AssertFailedNaming(streamed, new Uri(_server.Base, "debian/json"), "more than the 1024 bytes allowed for one feed file");
    }

    [SharedDataFact]
    public void A_server_that_goes_silent_is_given_up_within_the_time_limit()
    {
        var options = SampleFeeds.ServeAll(_server);
        var archive = SampleFeeds.ByPath["nodejs/main.zip"];
        var url = _server.Serve("/nodejs/main.zip", new FeedServer.Reply(200, archive, Sent: 1000, Stall: true));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = Run([.. options, "--feed", "nodejs", "--timeout", "1s"]);

        AssertFailedNaming(result, url, " 1 s");
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [SharedDataFact]
    public void A_redirect_is_followed_to_the_file()
    {
        var options = SampleFeeds.ServeAll(_server);
        _server.Serve("/nodejs/main.zip", FeedServer.Reply.Redirect(new Uri(_server.Base, "/archive/security-wg-main.zip")));
        _server.Serve("/archive/security-wg-main.zip", SampleFeeds.ByPath["nodejs/main.zip"]);

        var result = Run([.. options, "--feed", "nodejs"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(SHA256.HashData(SampleFeeds.ByPath["nodejs/main.zip"]), Assert.Single(Assert.Single(_imports).Files).Sha256);
    }

    [Fact]
    public void An_unknown_feed_or_a_bad_url_is_a_usage_error_before_any_download()
    {
        var result = Run(["--feed", "osv/go,debain", "--debian-url", "ftp://mirror/json", "--alpine-branch", "3.20"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown feed \"debain\" (did you mean debian?)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\"osv/go\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("--debian-url: \"ftp://mirror/json\" is not an HTTPS or HTTP URL", result.Error, StringComparison.Ordinal);
        Assert.Contains("--alpine-branch: \"3.20\" is not an Alpine branch", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
        Assert.Empty(_imports);
    }

    [Fact]
    public void Help_documents_the_public_locations()
    {
        var result = Run(["--help"]);

        foreach (var url in new[]
        {
            "https://osv-vulnerabilities.storage.googleapis.com/", "https://security-tracker.debian.org/tracker/data/json",
            "https://secdb.alpinelinux.org/", "https://github.com/nodejs/security-wg/archive/refs/heads/main.zip", "v3.18,v3.19,v3.20,v3.21,v3.22,v3.23,v3.24",
        })
        {
            Assert.Contains(url, result.Out.Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    internal static (int ExitCode, string Out, string Error) RunUpdate(StagedFeedImport import, string stagingParent, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var io = new ConsoleIo(stdout, stderr, () => Stream.Null);
        var root = new RootCommand("bulwark") { new Command("db") { DbUpdateCommand.Create(io, import, stagingParent: stagingParent) } };
        var parse = root.Parse(["db", "update", .. args]);
        Assert.Empty(parse.Errors);
        var code = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private (int ExitCode, string Out, string Error) Run(string[] args) => RunUpdate(Record, _temp.Path, args);

    /// <summary>The import step's test double: what it was given, read while the staged files still exist.</summary>
    private int Record(string? database, IReadOnlyList<string> files)
    {
        _imports.Add((database, [.. files.Select(f => (Path.GetFileName(f), SHA256.HashData(File.ReadAllBytes(f))))]));
        return 0;
    }

    private void AssertFailedNaming((int ExitCode, string Out, string Error) result, Uri url, string problem)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.True(result.Error.Contains($"bulwark: db update: {url}: ", StringComparison.Ordinal), result.Error);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", result.Error, StringComparison.Ordinal);
        Assert.Empty(_imports);
        AssertNothingStaged();
    }

    private void AssertNothingStaged() =>
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_temp.Path), p => Path.GetFileName(p).StartsWith("bulwark-feeds-", StringComparison.Ordinal));
}
