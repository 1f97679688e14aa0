using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Bulwark.Images.Packages;
using Bulwark.Images.Sbom;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Tests.Sbom;

/// <summary>The purls Bulwark gives the packages its readers find, and the purl type rules against the type definitions.</summary>
public sealed class PackageUrlTests
{
    private static readonly OperatingSystem Debian12 = OperatingSystem.FromOsRelease("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n")!;

    [Fact]
    public void Dpkg_packages_name_their_distribution_and_their_source_package_when_it_differs()
    {
        const string Status = """
            Package: base-files
            Status: install ok installed
            Architecture: amd64
            Version: 12.4+deb12u5

            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Source: glibc
            Version: 2.36-9+deb12u7

            Package: libsqlite3-0
            Status: install ok installed
            Architecture: amd64
            Source: sqlite3 (3.40.1-2)
            Version: 3.40.1-2+b1

            Package: tzdata
            Status: install ok installed
            Architecture: all
            Version: 2024a-0+deb12u1
            """;

        Assert.Equal(
            [
                "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
                "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12&upstream=glibc",
                "pkg:deb/debian/libsqlite3-0@3.40.1-2%2Bb1?arch=amd64&distro=debian-12&upstream=sqlite3%403.40.1-2",
                "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12",
            ],
            Purls(DpkgDatabase.Read(DpkgDatabase.StatusFile, Status, []), Debian12));

        // Without os-release (a scratch image with only a status.d), a deb is still Debian's.
        var ubuntu = OperatingSystem.FromOsRelease("ID=ubuntu\nVERSION_ID=\"24.04\"\n");
        var libc = DpkgDatabase.Read(DpkgDatabase.StatusFile, Status, [])[1];
        Assert.Equal("pkg:deb/ubuntu/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=ubuntu-24.04&upstream=glibc", InstalledPackageUrl.For(libc, ubuntu)!.ToString());
        Assert.Equal("pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&upstream=glibc", InstalledPackageUrl.For(libc, null)!.ToString());
    }

    [Fact]
    public void Apk_packages_take_their_origin_as_upstream()
    {
        const string Installed = "P:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\nL:Apache-2.0\n\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\nL:MIT\n";
        var alpine = OperatingSystem.FromOsRelease("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n");

        Assert.Equal(
            [
                "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1&upstream=openssl",
                "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1",
            ],
            Purls(ApkDatabase.Read(ApkDatabase.InstalledFile, Installed, []), alpine));
    }

    [Fact]
    public void Rpm_packages_carry_the_epoch_as_a_qualifier_and_the_source_rpm_as_upstream()
    {
        var header = RpmHeaderBlob(("openssl-libs", 6), ("3.0.7", 6), ("27.el9", 6), (1, 4), ("x86_64", 6), ("openssl-3.0.7-27.el9.src.rpm", 6), ("Apache-2.0", 6));
        var package = RpmDatabase.From(RpmHeader.Parse(header, out var problem) ?? throw new InvalidOperationException(problem), RpmDatabase.SqliteFile, 1)!;
        var rhel = OperatingSystem.FromOsRelease("NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"9.4\"\n");

        Assert.Equal("1:3.0.7-27.el9", package.Version);
        Assert.Equal(
            "pkg:rpm/rhel/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm",
            InstalledPackageUrl.For(package, rhel)!.ToString());
    }

    [SharedDataFact]
    public void Every_package_of_a_real_rpm_database_gets_a_purl_that_parses_back_to_itself()
    {
        var packages = RpmDatabase.ReadSqlite(RpmDatabase.SqliteFile, RepositoryPaths.InShared("conformance", "pkgdb", "rpm", "cbl-mariner-2.0", "rpmdb.sqlite"), []);
        var mariner = OperatingSystem.FromOsRelease("NAME=\"Common Base Linux Mariner\"\nVERSION=\"2.0.20240123\"\nID=mariner\nVERSION_ID=\"2.0\"\n");

        Assert.NotEmpty(packages);
        Assert.All(packages, p =>
        {
            var purl = InstalledPackageUrl.For(p, mariner)!;
            Assert.Equal(purl, PackageUrl.Parse(purl.ToString()));
            Assert.Equal(("rpm", "mariner", p.Name), (purl.Type, purl.Namespace, purl.Name));
            Assert.Equal("mariner-2.0", purl.Qualifiers["distro"]);
            Assert.EndsWith(".src.rpm", purl.Qualifiers["upstream"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Language_packages_follow_their_types_rules()
    {
        var problems = new List<string>();
        var npm = NpmPackages.Read("app/node_modules/@angular/core/package.json", """{"name": "@angular/core", "version": "17.0.0"}"""u8, problems)!;
        var plain = NpmPackages.Read("app/node_modules/left-pad/package.json", """{"name": "left-pad", "version": "1.3.0"}"""u8, problems)!;
        var python = PythonPackages.Read("usr/lib/python3/dist-packages/Django_Rest_Framework-3.14.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: Django_Rest_Framework\nVersion: 3.14.0\n", problems)!;
        var nuget = DotnetDeps.Read("app/App.deps.json", """{"libraries": {"Newtonsoft.Json/13.0.3": {"type": "package"}, "App/1.0.0": {"type": "project"}}}"""u8, problems);
        Assert.Empty(problems);

        Assert.Equal(
            ["pkg:npm/%40angular/core@17.0.0", "pkg:npm/left-pad@1.3.0", "pkg:pypi/django-rest-framework@3.14.0", "pkg:nuget/Newtonsoft.Json@13.0.3"],
            Purls([npm, plain, python, .. nuget], null));

        // The readers for these types are being written; their purls are decided here already.
        Assert.Equal(
            [
                "pkg:golang/github.com/gin-gonic/gin@v1.9.1",
                "pkg:golang/stdlib@go1.22.1",
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "pkg:gem/rails@7.1.0",
                "pkg:cargo/serde@1.0.0",
            ],
            Purls(
                [Package("golang", "github.com/gin-gonic/gin", "v1.9.1"), Package("golang", "stdlib", "go1.22.1"),
                 Package("maven", "org.apache.logging.log4j:log4j-core", "2.14.1"), Package("gem", "rails", "7.1.0"), Package("cargo", "serde", "1.0.0")],
                Debian12));
    }

    [Fact]
    public void A_package_no_purl_can_carry_gets_none()
    {
        Assert.Null(InstalledPackageUrl.For(Package("not a type", "x", "1"), null));
        Assert.Null(InstalledPackageUrl.For(Package("npm", string.Empty, "1"), null));
    }

    [Theory]
    [InlineData("pkg:pypi/acme/django@1.0", "no namespace")]
    [InlineData("pkg:npm/left-pad@1.0?arch=x&ARCH=y", "given twice")]
    [InlineData("pkg:npm/left-pad@1.0%2", "two hex digits")]
    [InlineData("pkg:npm/left-pad@1.0%C3%28", "not UTF-8")]
    [InlineData("pkg:npm/left-pad@1.0?arch", "key=value")]
    [InlineData("pkg:npm/left-pad@1.0?1arch=x", "starting with a letter")]
    [InlineData("pkg:npm", "no type")]
    [InlineData("urn:npm/left-pad", "pkg:")]
    public void Malformed_purls_are_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => PackageUrl.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(PackageUrl.TryParse(text, out _));
    }

    [Fact]
    public void A_subpath_cannot_climb_and_empty_qualifiers_vanish()
    {
        var purl = PackageUrl.Parse("pkg:golang/github.com/acme/tool@v1.0.0?arch=&tag=#../../cmd/./tool/");
        Assert.Equal("cmd/tool", purl.Subpath);
        Assert.Empty(purl.Qualifiers);
        Assert.Equal("pkg:golang/github.com/acme/tool@v1.0.0#cmd/tool", purl.ToString());
        Assert.Equal(purl, new PackageUrl("GoLang", "github.com//acme/", "tool", "v1.0.0", subpath: "/cmd/tool"));
        Assert.Equal("pkg:generic/caf%C3%A9@1%202", new PackageUrl("generic", null, "café", "1 2").ToString());
    }

    [Fact]
    public void Any_components_survive_a_round_trip_through_the_canonical_string()
    {
        var text = Gen.String[Gen.Char[' ', '\u00ff'], 1, 12].Select(s => s.Trim('/')).Where(s => s.Length > 0 && !s.Contains('/', StringComparison.Ordinal));
        var purls = Gen.Select(OneOf("generic", "npm", "maven", "deb", "golang"), text, text, Gen.Select(OneOf("arch", "tag", "vcs_url"), text).Array[0, 3])
            .Select((type, name, version, qualifiers) => (type, name, version, qualifiers));

        purls.Sample(p =>
        {
            var qualifiers = p.qualifiers.DistinctBy(q => q.Item1).Select(q => new KeyValuePair<string, string?>(q.Item1, q.Item2)).ToList();
            var purl = new PackageUrl(p.type, "some/name space", p.name, p.version, qualifiers);
            var parsed = PackageUrl.Parse(purl.ToString());
            return parsed == purl && parsed.ToString() == purl.ToString() && parsed.Version == purl.Version;
        });
    }

    private static Gen<string> OneOf(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    public static IEnumerable<object[]> TypeDefinitions() =>
        Directory.EnumerateFiles(RepositoryPaths.InShared("conformance", "sbom", "purl", "types"), "*-definition.json")
            .Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [SharedDataTheory]
    [MemberData(nameof(TypeDefinitions))]
    public void The_type_rules_agree_with_the_type_definition(string file)
    {
        using var definition = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.InShared("conformance", "sbom", "purl", "types", file)));
        var root = definition.RootElement;
        var type = root.GetProperty("type").GetString()!;
        var rules = Assert.Single(PackageUrlType.Defined, t => t.Type == type);

        Assert.Equal(Enum.Parse<NamespaceRequirement>(root.GetProperty("namespace_definition").GetProperty("requirement").GetString()!, ignoreCase: true), rules.Namespace);
        Assert.Equal(CaseSensitive(root, "namespace_definition"), rules.NamespaceCaseSensitive);
        Assert.Equal(CaseSensitive(root, "name_definition"), rules.NameCaseSensitive);
        Assert.Equal(CaseSensitive(root, "version_definition"), rules.VersionCaseSensitive);

        // Every example the definition gives parses under these rules (examples need not be canonical: some leave
        // qualifiers unsorted or ':' encoded), and its canonical form is a fixed point.
        foreach (var example in root.GetProperty("examples").EnumerateArray().Select(e => e.GetString()!))
        {
            var canonical = PackageUrl.Parse(example).ToString();
            Assert.Equal(canonical, PackageUrl.Parse(canonical).ToString());
            Assert.Equal(type, PackageUrl.Parse(example).Type);
        }
    }

    private static bool CaseSensitive(JsonElement root, string component) =>
        !root.TryGetProperty(component, out var definition) || !definition.TryGetProperty("case_sensitive", out var flag) || flag.GetBoolean();

    private static List<string> Purls(IEnumerable<InstalledPackage> packages, OperatingSystem? os) =>
        [.. packages.Select(p => InstalledPackageUrl.For(p, os)?.ToString() ?? "(none)")];

    private static InstalledPackage Package(string type, string name, string version) =>
        new() { Type = type, Name = name, Version = version, RecordedIn = "test" };

    /// <summary>An rpm header blob (big-endian index of tag, type, offset, count, then the data) with the tags RpmHeader reads.</summary>
    private static byte[] RpmHeaderBlob(params (object Value, int Type)[] values)
    {
        int[] tags = [RpmHeader.Name, RpmHeader.Version, RpmHeader.Release, RpmHeader.Epoch, RpmHeader.Arch, RpmHeader.SourceRpm, RpmHeader.License];
        var data = new List<byte>();
        var index = new List<byte>();
        for (var i = 0; i < values.Length; i++)
        {
            var (value, type) = values[i];
            while (type == 4 && data.Count % 4 != 0)
            {
                data.Add(0);
            }

            var entry = new byte[16];
            BinaryPrimitives.WriteInt32BigEndian(entry, tags[i]);
            BinaryPrimitives.WriteInt32BigEndian(entry.AsSpan(4), type);
            BinaryPrimitives.WriteInt32BigEndian(entry.AsSpan(8), data.Count);
            BinaryPrimitives.WriteInt32BigEndian(entry.AsSpan(12), 1);
            index.AddRange(entry);
            if (value is int number)
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(bytes, number);
                data.AddRange(bytes);
            }
            else
            {
                data.AddRange(Encoding.UTF8.GetBytes((string)value));
                data.Add(0);
            }
        }

        var preamble = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(preamble, values.Length);
        BinaryPrimitives.WriteInt32BigEndian(preamble.AsSpan(4), data.Count);
        return [.. preamble, .. index, .. data];
    }
}
