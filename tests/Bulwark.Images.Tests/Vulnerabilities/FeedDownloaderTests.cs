using System.Text;
using System.Text.Json;
using Bulwark.Images.Vulnerabilities;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

public sealed class FeedDownloaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_default_feeds_are_the_public_exports()
    {
        var feeds = FeedCatalog.All(FeedLocations.Default).ToDictionary(f => f.Name, f => f.Url.ToString());

        Assert.Equal("https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", feeds["osv/Go"]);
        Assert.Equal("https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip", feeds["osv/crates.io"]);
        Assert.Equal("https://security-tracker.debian.org/tracker/data/json", feeds["debian"]);
        Assert.Equal("https://secdb.alpinelinux.org/v3.24/community.json", feeds["alpine/v3.24/community"]);
        Assert.Equal("https://github.com/nodejs/security-wg/archive/refs/heads/main.zip", feeds["nodejs"]);
        Assert.Equal(7 + 1 + (7 * 2) + 1, feeds.Count);
    }

    [Fact]
    public void A_base_url_keeps_its_path_with_or_without_a_final_slash()
    {
        var withoutSlash = FeedCatalog.All(FeedLocations.Default with { Osv = new Uri("https://mirror.example/vulns/osv"), Alpine = new Uri("https://mirror.example/secdb") });
        var withSlash = FeedCatalog.All(FeedLocations.Default with { Osv = new Uri("https://mirror.example/vulns/osv/"), Alpine = new Uri("https://mirror.example/secdb/") });

        Assert.Equal(withSlash.Select(f => f.Url), withoutSlash.Select(f => f.Url));
        Assert.Contains(withoutSlash, f => f.Url.ToString() == "https://mirror.example/vulns/osv/PyPI/all.zip");
        Assert.Contains(withoutSlash, f => f.Url.ToString() == "https://mirror.example/secdb/v3.22/main.json");
    }

    [Fact]
    public void A_feed_name_chooses_itself_and_everything_below_it()
    {
        var all = FeedCatalog.All(FeedLocations.Default with { AlpineBranches = ["v3.21", "v3.22"] });

        var chosen = FeedCatalog.Select(all, ["OSV/go", "alpine/v3.22", "alpine/v3.2"], out var unknown);

        Assert.Equal(["osv/Go", "alpine/v3.22/main", "alpine/v3.22/community"], chosen.Select(f => f.Name));
        Assert.Equal(["alpine/v3.2"], unknown);
        Assert.Same(all, FeedCatalog.Select(all, [], out _));
        Assert.Contains("alpine/v3.21", FeedCatalog.Names(all));
    }

    [Theory]
    [InlineData("https://a.example/x", "https://b.example/y", "https://b.example/y")]
    [InlineData("https://a.example/x/all.zip", "other.zip", "https://a.example/x/other.zip")]
    [InlineData("http://a.example/x", "http://b.example/y", "http://b.example/y")]
    [InlineData("http://a.example/x", "https://b.example/y", "https://b.example/y")]
    [InlineData("https://a.example/x", "//b.example/y", "https://b.example/y")]
    public void A_redirect_may_go_anywhere_but_down_from_https(string from, string location, string expected) =>
        Assert.Equal(new Uri(expected), FeedDownloader.RedirectTarget(new Uri(from), new Uri(location, UriKind.RelativeOrAbsolute), from));

    [Theory]
    [InlineData("https://a.example/x", "http://a.example/x")]
    [InlineData("https://a.example/x", "ftp://b.example/y")]
    [InlineData("http://a.example/x", "file:///etc/passwd")]
    public void A_redirect_down_to_plain_http_or_to_another_scheme_is_refused(string from, string location)
    {
        var e = Assert.Throws<FeedDownloadException>(() => FeedDownloader.RedirectTarget(new Uri(from), new Uri(location, UriKind.RelativeOrAbsolute), from));
        Assert.StartsWith(from + ": the server redirects ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_json_passes_the_check_however_the_reads_split_its_tokens()
    {
        // A string token longer than the 64 KiB read buffer, and tokens that straddle every buffer boundary.
        var big = new string('x', 200_000);
        var items = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"{{\"id\":\"CVE-2024-{i}\",\"fixed\":\"1.{i}\"}}"));
        var path = Write($"{{\"note\":\"{big}\",\"items\":[{items}]}}");

        FeedDownloader.SkipJson(path);
    }

    [Theory]
    [InlineData("{\"openssl\": {\"CVE-2024-1\": {\"releases\": {}}}")]
    [InlineData("{\"a\": 1} {\"b\": 2}")]
    [InlineData("")]
    [InlineData("<html><body>rate limited</body></html>")]
    public void Json_cut_short_or_not_json_fails_the_check(string text)
    {
        var path = Write(text);

        Assert.ThrowsAny<JsonException>(() => FeedDownloader.SkipJson(path));
    }

    private string Write(string text)
    {
        var path = _temp[Guid.NewGuid().ToString("N") + ".json"];
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
