using Bulwark.Images.Packages;
using Bulwark.Images.Vulnerabilities;
using Xunit;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>The matching semantics, on advisories written for each case and looked up from memory.</summary>
public sealed class MatcherTests
{
    private static readonly OperatingSystem Bookworm = new("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)");
    private static readonly OperatingSystem Alpine311 = new("alpine", "3.11.5", null, "Alpine Linux v3.11");

    [Theory]
    [InlineData("1.2.2", true, "1.2.3")]
    [InlineData("1.2.3", false, null)]
    [InlineData("0.1.0", true, "1.2.3")]
    [InlineData("2.0.0", false, null)]
    public void IntroducedAndFixedBoundTheRange(string version, bool affected, string? fix)
    {
        var range = Semver(("introduced", "0"), ("fixed", "1.2.3"));
        Assert.Equal(affected, Contains(Ecosystems.Npm, [range], [], version, out var fixedIn));
        Assert.Equal(fix, fixedIn);
    }

    [Theory]
    [InlineData("1.0.7", false, null)]
    [InlineData("1.1.1", true, "1.1.3")]
    [InlineData("1.0.2", true, "1.0.5")]
    [InlineData("0.9.0", false, null)]
    public void SeveralIntroducedFixedPairsInOneRange(string version, bool affected, string? fix)
    {
        // Published out of order on purpose: OSV events are evaluated in version order.
        var range = Semver(("fixed", "1.1.3"), ("introduced", "1.0.0"), ("introduced", "1.1.0"), ("fixed", "1.0.5"));
        Assert.Equal(affected, Contains(Ecosystems.Npm, [range], [], version, out var fixedIn));
        Assert.Equal(fix, fixedIn);
    }

    [Theory]
    [InlineData("2.0", true)]
    [InlineData("2.0.0", true)]
    [InlineData("2.0.1", false)]
    [InlineData("2.0rc1", true)]
    public void LastAffectedIsInclusive(string version, bool affected)
    {
        var range = Ecosystem(("introduced", "1.0"), ("last_affected", "2.0"));
        Assert.Equal(affected, Contains(Ecosystems.PyPI, [range], [], version, out var fix));
        Assert.Null(fix);
    }

    [Theory]
    [InlineData("1.0", true)]
    [InlineData("1.0.0", true)] // PEP 440: the same version
    [InlineData("1.0.1", false)]
    public void ListedVersionsMatchByTheEcosystemsEquality(string version, bool affected) =>
        Assert.Equal(affected, Contains(Ecosystems.PyPI, [], ["1.0", "0.9"], version, out _));

    [Fact]
    public void LimitEventsDoNotCloseARange() =>
        Assert.True(Contains(Ecosystems.Go, [Semver(("introduced", "0"), ("limit", "1.0.0"))], [], "v1.5.0", out _));

    [Fact]
    public void DebianPackagesAreMatchedOnTheirSourcePackageInTheirReleasesFeed()
    {
        var advisories = new Advisories()
            .Add("debian-tracker", "CVE-2024-0001", Ecosystems.Debian("bookworm"), "openssl", Ecosystem(("introduced", "0"), ("fixed", "3.0.13-1~deb12u1")))
            .Add("debian-tracker", "CVE-2024-0002", Ecosystems.Debian("bullseye"), "openssl", Ecosystem(("introduced", "0"), ("fixed", "9:9")));
        var libssl = Deb("libssl3", "3.0.11-1~deb12u2", source: "openssl");
        var patched = Deb("openssl", "3.0.13-1~deb12u1");
        var report = VulnerabilityMatcher.Match(Inventory(Bookworm, libssl, patched), advisories);

        var match = Assert.Single(report.Matches);
        Assert.Equal("CVE-2024-0001", match.Advisory.Id);
        Assert.Same(libssl, match.Package.Package);
        Assert.Equal(("Debian:bookworm", "openssl", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1"), (match.Ecosystem, match.MatchedName, match.MatchedVersion, match.FixedVersion));
        Assert.Equal(["Debian:bookworm\u0000openssl"], advisories.Asked.Distinct());
    }

    [Fact]
    public void ADebianSourceVersionDifferentFromTheBinarysIsTheOneCompared()
    {
        // A binNMU: the binary is 2.36-9+deb12u4+b1, its source 2.36-9+deb12u4, which the fix names.
        var advisories = new Advisories()
            .Add("debian-tracker", "CVE-2024-0003", "Debian:bookworm", "glibc", Ecosystem(("introduced", "0"), ("fixed", "2.36-9+deb12u4")));
        var libc = Deb("libc6", "2.36-9+deb12u4+b1", source: "glibc", sourceVersion: "2.36-9+deb12u4");
        Assert.Empty(VulnerabilityMatcher.Match(Inventory(Bookworm, libc), advisories).Matches);
    }

    [Theory]
    [InlineData("1:2.3-1", false)] // an epoch outranks any upstream version without one
    [InlineData("2.3-1", true)]
    [InlineData("2.4~rc1-1", true)] // a tilde sorts before the release
    [InlineData("2.4-1", false)]
    public void DebianVersionsCompareAsDpkgDoes(string installed, bool affected)
    {
        var advisories = new Advisories().Add("debian-tracker", "CVE-2024-0004", "Debian:bookworm", "tool", Ecosystem(("introduced", "0"), ("fixed", "2.4-1")));
        Assert.Equal(affected, VulnerabilityMatcher.Match(Inventory(Bookworm, Deb("tool", installed)), advisories).Matches.Count == 1);
    }

    [Fact]
    public void AnUnfixedDebianEntryMatchesEveryVersionWithNoFix()
    {
        var advisories = new Advisories().Add("debian-tracker", "CVE-2024-0005", "Debian:bookworm", "zlib", [Ecosystem(("introduced", "0"))], status: "open");
        var match = Assert.Single(VulnerabilityMatcher.Match(Inventory(Bookworm, Deb("zlib1g", "1:1.2.13.dfsg-1", source: "zlib")), advisories).Matches);
        Assert.Null(match.FixedVersion);
        Assert.Equal("open", match.Affected.Status);
    }

    [Fact]
    public void AlpinePackagesAreMatchedOnTheirOriginInTheirBranch()
    {
        var advisories = new Advisories()
            .Add("alpine-secdb", "CVE-2020-1967", "Alpine:v3.11", "openssl", Ecosystem(("introduced", "0"), ("fixed", "1.1.1g-r0")))
            .Add("alpine-secdb", "CVE-2020-9999", "Alpine:v3.10", "openssl", Ecosystem(("introduced", "0"), ("fixed", "1.1.1z-r0")));
        var package = new InstalledPackage { Type = "apk", Name = "libcrypto1.1", Version = "1.1.1d-r3", SourceName = "openssl", RecordedIn = "lib/apk/db/installed" };
        var match = Assert.Single(VulnerabilityMatcher.Match(Inventory(Alpine311, package), advisories).Matches);
        Assert.Equal(("CVE-2020-1967", "1.1.1g-r0"), (match.Advisory.Id, match.FixedVersion));
    }

    [Fact]
    public void OsPackagesAreNeverLookedUpInALanguageFeed()
    {
        var advisories = new Advisories().Add("osv", "PYSEC-2099-1", Ecosystems.PyPI, "urllib3", Ecosystem(("introduced", "0")));
        var report = VulnerabilityMatcher.Match(Inventory(Bookworm, Deb("python3-urllib3", "1.26.12-1", source: "python-urllib3")), advisories);
        Assert.Empty(report.Matches);
        Assert.DoesNotContain(advisories.Asked, a => a.StartsWith("PyPI", StringComparison.Ordinal));
    }

    [Fact]
    public void DistributionsWithoutAFeedAreNamedInTheNotes()
    {
        var ubuntu = new OperatingSystem("ubuntu", "22.04", "jammy", "Ubuntu 22.04");
        var report = VulnerabilityMatcher.Match(Inventory(ubuntu, Deb("bash", "5.1-6ubuntu1"), Deb("tar", "1.34")), new Advisories());
        Assert.Empty(report.Matches);
        Assert.Contains("2 packages not matched: no advisory feed is loaded for ubuntu's deb packages.", report.Notes);
    }

    [Fact]
    public void NpmExpressionsFromTheNodeSecurityWgMatch()
    {
        var advisories = new Advisories().Add("nodejs-security-wg", "NSWG-ECO-1", Ecosystems.Npm, "lodash", new AffectedRange(RangeKind.NpmExpression, [], "<4.17.12 || >=5.0.0 <5.0.1"));
        Assert.Single(VulnerabilityMatcher.Match(Inventory(null, Npm("lodash", "4.17.11")), advisories).Matches);
        Assert.Empty(VulnerabilityMatcher.Match(Inventory(null, Npm("lodash", "4.17.12")), advisories).Matches);
    }

    [Fact]
    public void GoStandardLibraryVersionsMeetOsvSemverWithoutTheV()
    {
        var advisories = new Advisories().Add("osv", "GO-2023-1", Ecosystems.Go, "stdlib", Semver(("introduced", "1.19.0"), ("fixed", "1.19.9"), ("introduced", "1.20.0"), ("fixed", "1.20.4")));
        var go = new InstalledPackage { Type = "golang", Name = "stdlib", Version = "v1.19.8", RecordedIn = "usr/local/bin/app" };
        var match = Assert.Single(VulnerabilityMatcher.Match(Inventory(null, go), advisories).Matches);
        Assert.Equal("1.19.9", match.FixedVersion);
    }

    [Fact]
    public void OneVulnerabilityFromTwoFeedsIsOneMatchWithEveryIdentifier()
    {
        var advisories = new Advisories()
            .Add("osv", "GHSA-aaaa-bbbb-cccc", Ecosystems.Npm, "lodash", Semver(("introduced", "0"), ("fixed", "4.17.12")), aliases: ["CVE-2019-10744"])
            .Add("nodejs-security-wg", "NSWG-ECO-9", Ecosystems.Npm, "lodash", new AffectedRange(RangeKind.NpmExpression, [], "<4.17.12"), aliases: ["CVE-2019-10744"]);
        var match = Assert.Single(VulnerabilityMatcher.Match(Inventory(null, Npm("lodash", "4.17.11")), advisories).Matches);
        Assert.Equal("GHSA-aaaa-bbbb-cccc", match.Advisory.Id);
        Assert.Equal(["CVE-2019-10744", "NSWG-ECO-9"], match.Advisory.Aliases.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AVersionTheSchemeCannotReadIsNotedNotMatched()
    {
        var advisories = new Advisories().Add("osv", "GHSA-x", Ecosystems.Npm, "left-pad", Semver(("introduced", "0")));
        var report = VulnerabilityMatcher.Match(Inventory(null, Npm("left-pad", "latest")), advisories);
        Assert.Empty(report.Matches);
        Assert.Contains(report.Notes, n => n.Contains("left-pad latest: not a valid SemVer version", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("5.2.4.2", true)]
    [InlineData("5.2.4.3", false)]
    [InlineData("6.0.0.rc1", true)] // a prerelease of 6.0.0 comes before it
    [InlineData("6.0.0", false)]
    public void GemsCompareAsRubyGemsDoes(string installed, bool affected)
    {
        var advisories = new Advisories().Add("osv", "GHSA-rails", Ecosystems.RubyGems, "rails", Ecosystem(("introduced", "0"), ("fixed", "5.2.4.3"), ("introduced", "6.0.0.a"), ("fixed", "6.0.0")));
        var gem = new InstalledPackage { Type = "gem", Name = "rails", Version = installed, RecordedIn = "usr/lib/ruby/gems/3.1.0/specifications/rails.gemspec" };
        Assert.Equal(affected, VulnerabilityMatcher.Match(Inventory(null, gem), advisories).Matches.Count == 1);
    }

    [Fact]
    public void PyPINamesAreLookedUpNormalised()
    {
        var advisories = new Advisories().Add("osv", "PYSEC-1", Ecosystems.PyPI, "Django_Rest.Framework", Ecosystem(("introduced", "0"), ("fixed", "3.0")));
        var package = new InstalledPackage { Type = "pypi", Name = "django-rest-framework", Version = "2.4", RecordedIn = "site-packages" };
        Assert.Single(VulnerabilityMatcher.Match(Inventory(null, package), advisories).Matches);
    }

    private static bool Contains(string ecosystem, AffectedRange[] ranges, string[] versions, string version, out string? fix) =>
        AffectedVersions.Contains(new AffectedPackage { Ecosystem = ecosystem, Name = "p", Ranges = ranges, Versions = versions }, version, AffectedVersions.SchemeOf(ecosystem)!, out fix);

    private static AffectedRange Semver(params (string Kind, string Version)[] events) => new(RangeKind.Semver, Events(events));

    private static AffectedRange Ecosystem(params (string Kind, string Version)[] events) => new(RangeKind.Ecosystem, Events(events));

    private static RangeEvent[] Events((string Kind, string Version)[] events) =>
        [.. events.Select(e => new RangeEvent(
            e.Kind switch { "introduced" => RangeEventKind.Introduced, "fixed" => RangeEventKind.Fixed, "last_affected" => RangeEventKind.LastAffected, _ => RangeEventKind.Limit },
            e.Version))];

    private static InstalledPackage Deb(string name, string version, string? source = null, string? sourceVersion = null) =>
        new() { Type = "deb", Name = name, Version = version, SourceName = source, SourceVersion = sourceVersion, RecordedIn = "var/lib/dpkg/status" };

    private static InstalledPackage Npm(string name, string version) =>
        new() { Type = "npm", Name = name, Version = version, RecordedIn = $"app/node_modules/{name}/package.json" };

    private static ImageInventory Inventory(OperatingSystem? os, params InstalledPackage[] packages) =>
        new(os, [.. packages.Select(p => new LocatedPackage(p, 0, "sha256:layer"))], []);

    /// <summary>Advisories held in memory, keyed as the database keys them; records what was asked.</summary>
    private sealed class Advisories : IAdvisoryLookup
    {
        private readonly List<StoredAdvisory> _all = [];

        public List<string> Asked { get; } = [];

        public Advisories Add(string source, string id, string ecosystem, string name, AffectedRange range, string[]? aliases = null) =>
            Add(source, id, ecosystem, name, [range], aliases: aliases);

        public Advisories Add(string source, string id, string ecosystem, string name, AffectedRange[] ranges, string? status = null, string[]? aliases = null)
        {
            var normalized = Ecosystems.Normalize(ecosystem);
            var package = new AffectedPackage { Ecosystem = normalized, Name = Ecosystems.NormalizeName(normalized, name), Ranges = ranges, Status = status };
            _all.Add(new StoredAdvisory(new Advisory { Id = id, Source = source, Aliases = aliases ?? [], Affected = [package] }, package));
            return this;
        }

        public IReadOnlyList<StoredAdvisory> Lookup(string ecosystem, string name)
        {
            Asked.Add(ecosystem + "\u0000" + name);
            return [.. _all.Where(a => a.Package.Ecosystem == ecosystem && a.Package.Name == name)];
        }
    }
}
