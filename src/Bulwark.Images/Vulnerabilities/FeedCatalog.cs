namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// Where each feed lives. The OSV and Alpine locations are bases (the ecosystem's or branch's path is added to them);
/// the Debian tracker and the Node.js archive are single files, so theirs are the files' own URLs. Any of them may
/// name a mirror or a local server.
/// </summary>
public sealed record FeedLocations
{
    public static FeedLocations Default { get; } = new();

    /// <summary>OSV's export bucket: <c>BASE/&lt;Ecosystem&gt;/all.zip</c>, one archive of OSV JSON per ecosystem.</summary>
    public Uri Osv { get; init; } = new("https://osv-vulnerabilities.storage.googleapis.com/");

    /// <summary>The Debian security tracker's whole state as one JSON document (source package → CVE → release).</summary>
    public Uri Debian { get; init; } = new("https://security-tracker.debian.org/tracker/data/json");

    /// <summary>Alpine's secdb: <c>BASE/v3.NN/main.json</c> and <c>community.json</c>.</summary>
    public Uri Alpine { get; init; } = new("https://secdb.alpinelinux.org/");

    /// <summary>
    /// The Node.js security WG repository as GitHub's archive of its default branch; its <c>vuln/npm/*.json</c> are the
    /// advisories (GitHub redirects the download to codeload.github.com, over HTTPS).
    /// </summary>
    public Uri NodeJs { get; init; } = new("https://github.com/nodejs/security-wg/archive/refs/heads/main.zip");

    /// <summary>The Alpine branches whose secdb is fetched.</summary>
    public IReadOnlyList<string> AlpineBranches { get; init; } = FeedCatalog.DefaultAlpineBranches;
}

/// <summary>
/// The feeds <c>bulwark db update</c> fetches, named so that <c>--feed</c> can choose among them: <c>osv</c> (every
/// ecosystem) or <c>osv/Go</c>, <c>debian</c>, <c>alpine</c> or <c>alpine/v3.22</c> or <c>alpine/v3.22/main</c>,
/// <c>nodejs</c>. A chosen name selects the feeds it names and every feed below it.
/// </summary>
public static class FeedCatalog
{
    /// <summary>The language ecosystems whose OSV export is fetched, spelt as OSV's bucket spells its folders.</summary>
    public static IReadOnlyList<string> OsvEcosystems { get; } = ["Go", "npm", "PyPI", "Maven", "NuGet", "RubyGems", "crates.io"];

    /// <summary>
    /// Alpine's supported branches as of December 2026 (3.22, 3.23, 3.24; each gets two years of security fixes in
    /// main) and the four before them, which old images still run (3.18–3.21). A branch that does not exist yet
    /// would fail the whole update with a 404, so newer ones are added with <c>--alpine-branch</c>, not guessed.
    /// </summary>
    public static IReadOnlyList<string> DefaultAlpineBranches { get; } = ["v3.18", "v3.19", "v3.20", "v3.21", "v3.22", "v3.23", "v3.24"];

    private static readonly string[] AlpineRepositories = ["main", "community"];

    /// <summary>Every feed file at <paramref name="locations"/>, in a stable order.</summary>
    public static IReadOnlyList<FeedSource> All(FeedLocations locations)
    {
        var feeds = new List<FeedSource>();
        var osv = AsBase(locations.Osv);
        feeds.AddRange(OsvEcosystems.Select(ecosystem =>
            new FeedSource($"osv/{ecosystem}", new Uri(osv, Uri.EscapeDataString(ecosystem) + "/all.zip"), $"osv-{ecosystem}.zip")));
        feeds.Add(new FeedSource("debian", locations.Debian, "debian-tracker.json"));
        var alpine = AsBase(locations.Alpine);
        foreach (var branch in locations.AlpineBranches.Distinct(StringComparer.Ordinal))
        {
            feeds.AddRange(AlpineRepositories.Select(repository =>
                new FeedSource($"alpine/{branch}/{repository}", new Uri(alpine, $"{Uri.EscapeDataString(branch)}/{repository}.json"), $"alpine-{branch}-{repository}.json")));
        }

        feeds.Add(new FeedSource("nodejs", locations.NodeJs, "nodejs-security-wg.zip"));
        return feeds;
    }

    /// <summary>
    /// The feeds that <paramref name="names"/> choose (all of them when there are none), in catalog order. A name that
    /// chooses nothing is returned in <paramref name="unknown"/>.
    /// </summary>
    public static IReadOnlyList<FeedSource> Select(IReadOnlyList<FeedSource> feeds, IReadOnlyCollection<string> names, out IReadOnlyList<string> unknown)
    {
        unknown = [.. names.Where(name => !feeds.Any(feed => Chooses(name, feed)))];
        return names.Count == 0 ? feeds : [.. feeds.Where(feed => names.Any(name => Chooses(name, feed)))];
    }

    /// <summary>The names <c>--feed</c> accepts: every feed's and every group above it.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<FeedSource> feeds) =>
        [.. feeds.SelectMany(feed => Prefixes(feed.Name)).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static bool Chooses(string name, FeedSource feed)
    {
        var chosen = name.Trim().TrimEnd('/');
        return chosen.Length > 0 && (feed.Name.Equals(chosen, StringComparison.OrdinalIgnoreCase)
            || feed.Name.StartsWith(chosen + "/", StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> Prefixes(string name)
    {
        for (var slash = name.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            yield return name[..slash];
        }

        yield return name;
    }

    /// <summary>A base URL ends with a slash, or the last segment of a mirror's path would be replaced, not kept.</summary>
    private static Uri AsBase(Uri uri) => uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
}
