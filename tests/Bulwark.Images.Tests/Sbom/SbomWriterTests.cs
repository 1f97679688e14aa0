using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Images.Packages;
using Bulwark.Images.Sbom;
using Bulwark.Images.Sources;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Sbom;

/// <summary>
/// Both writers over inventories read from small images: the documents validate against their schemas and say what
/// the inventory says (every package once, with its purl, licence, record and layer; the distribution; the image
/// containing them), and they are byte-for-byte repeatable when the clock and document id are fixed.
/// </summary>
public sealed partial class SbomWriterTests
{
    private static readonly SbomOptions Fixed = new()
    {
        Clock = new FixedClock(new DateTimeOffset(2026, 12, 3, 10, 11, 12, TimeSpan.FromHours(1))),
        DocumentId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        ToolVersion = "9.9.9",
    };

    public static TheoryData<string> Images => ["debian", "alpine"];

    [SharedDataTheory]
    [MemberData(nameof(Images))]
    public void The_CycloneDX_document_validates_and_lists_every_package_once(string image)
    {
        using var folder = new TempFolder();
        var (subject, inventory) = Fixture(image, folder);
        using var bom = Write(CycloneDxWriter.Write, subject, inventory, Fixed);
        var root = bom.RootElement;

        Assert.Empty(SbomSchemas.CycloneDxErrors(root));
        Assert.Equal("urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e", root.GetProperty("serialNumber").GetString());
        Assert.Equal("2026-12-03T09:11:12Z", root.GetProperty("metadata").GetProperty("timestamp").GetString());

        var components = root.GetProperty("components").EnumerateArray().ToList();
        var os = Assert.Single(components, c => c.GetProperty("type").GetString() == "operating-system");
        Assert.Equal(inventory.OperatingSystem!.Id, os.GetProperty("name").GetString());
        Assert.Equal(inventory.OperatingSystem.VersionId, os.GetProperty("version").GetString());

        var libraries = components.Where(c => c.GetProperty("type").GetString() == "library").ToList();
        Assert.Equal(inventory.Packages.Count, libraries.Count);
        foreach (var (located, component) in inventory.Packages.Zip(libraries))
        {
            var package = located.Package;
            var group = component.TryGetProperty("group", out var scope) ? scope.GetString() + "/" : string.Empty;
            Assert.Equal(package.Name, group + component.GetProperty("name").GetString());
            Assert.Equal(package.Version, component.GetProperty("version").GetString());
            Assert.Equal(InstalledPackageUrl.For(package, inventory.OperatingSystem)!.ToString(), component.GetProperty("purl").GetString());
            var properties = Properties(component);
            Assert.Equal(package.RecordedIn, properties["bulwark:package:recorded-in"]);
            Assert.Equal(located.LayerIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), properties["bulwark:layer:index"]);
            Assert.Equal(located.LayerDiffId, properties["bulwark:layer:diff-id"]);
            Assert.Equal(package.License, License(component));
        }

        // The image contains the distribution and every package, each referenced once and by a ref that exists.
        var refs = components.Select(c => c.GetProperty("bom-ref").GetString()!).ToList();
        Assert.Equal(refs.Count, refs.Distinct(StringComparer.Ordinal).Count());
        var contains = Assert.Single(root.GetProperty("dependencies").EnumerateArray());
        Assert.Equal(root.GetProperty("metadata").GetProperty("component").GetProperty("bom-ref").GetString(), contains.GetProperty("ref").GetString());
        Assert.Equal(refs, contains.GetProperty("dependsOn").EnumerateArray().Select(r => r.GetString()!));
    }

    [SharedDataFact]
    public void CycloneDX_names_the_image_and_where_each_package_came_from()
    {
        using var folder = new TempFolder();
        var (subject, inventory) = SbomFixture.DebianApplication(folder);
        using var bom = Write(CycloneDxWriter.Write, subject, inventory, Fixed);
        var root = bom.RootElement;

        var image = root.GetProperty("metadata").GetProperty("component");
        Assert.Equal(("container", SbomFixture.Tag, subject.ImageId), (image.GetProperty("type").GetString(), image.GetProperty("name").GetString(), image.GetProperty("version").GetString()));
        Assert.Equal($"pkg:oci/app@{subject.ImageId}?arch=amd64&repository_url=registry.example.com%2Fteam%2Fapp&tag=1.4", image.GetProperty("purl").GetString());
        Assert.Equal(subject.Reference, Properties(image)["bulwark:image:reference"]);
        Assert.Equal("linux/amd64", Properties(image)["bulwark:image:platform"]);
        Assert.Equal("bulwark", root.GetProperty("metadata").GetProperty("tools").GetProperty("components")[0].GetProperty("name").GetString());

        var components = root.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

        // Source packages are properties and qualifiers of their binaries, never components of their own.
        Assert.DoesNotContain("glibc", components.Keys);
        Assert.DoesNotContain("sqlite3", components.Keys);
        Assert.Equal("glibc", Properties(components["libc6"])["bulwark:package:source-name"]);
        Assert.Equal(("sqlite3", "3.40.1-2"), (Properties(components["libsqlite3-0"])["bulwark:package:source-name"], Properties(components["libsqlite3-0"])["bulwark:package:source-version"]));
        Assert.DoesNotContain("bulwark:package:source-name", Properties(components["curl"]).Keys);

        // curl came with layer 1's rewrite of the status file; libc6 was already in layer 0's.
        using var opened = ImageSources.Open(ImageReference.Parse(subject.Reference));
        var diffIds = opened.Config!.DiffIds;
        Assert.Equal(2, diffIds.Count);
        Assert.Equal(("1", diffIds[1]), (Properties(components["curl"])["bulwark:layer:index"], Properties(components["curl"])["bulwark:layer:diff-id"]));
        Assert.Equal(("0", diffIds[0]), (Properties(components["libc6"])["bulwark:layer:index"], Properties(components["libc6"])["bulwark:layer:diff-id"]));
        Assert.Equal("var/lib/dpkg/status", Properties(components["libc6"])["bulwark:package:recorded-in"]);

        Assert.Equal("pkg:npm/%40angular/core@17.0.0", components["core"].GetProperty("purl").GetString());
        Assert.Equal("@angular", components["core"].GetProperty("group").GetString());
        Assert.False(components["left-pad"].TryGetProperty("group", out _));
        Assert.Equal("pkg:pypi/django-rest-framework@3.14.0", components["Django_Rest_Framework"].GetProperty("purl").GetString());
        Assert.Equal("pkg:nuget/Newtonsoft.Json@13.0.3", components["Newtonsoft.Json"].GetProperty("purl").GetString());

        // An SPDX expression is an expression; anything else a named licence; no licence, no field.
        Assert.Equal("(WTFPL OR MIT)", components["left-pad"].GetProperty("licenses")[0].GetProperty("expression").GetString());
        Assert.Equal("SEE LICENSE IN LICENSE.txt", components["in-house"].GetProperty("licenses")[0].GetProperty("license").GetProperty("name").GetString());
        Assert.False(components["libc6"].TryGetProperty("licenses", out _));
    }

    [SharedDataTheory]
    [MemberData(nameof(Images))]
    public void The_SPDX_document_validates_and_the_image_contains_every_package(string image)
    {
        using var folder = new TempFolder();
        var (subject, inventory) = Fixture(image, folder);
        using var spdx = Write(SpdxWriter.Write, subject, inventory, Fixed);
        var root = spdx.RootElement;

        Assert.Empty(SbomSchemas.SpdxErrors(root));

        // What the schema leaves to the specification: the date format, a namespace that is an absolute URI without
        // a fragment, ids of the allowed characters, unique, and relationships between elements that exist.
        Assert.Equal("2026-12-03T09:11:12Z", root.GetProperty("creationInfo").GetProperty("created").GetString());
        Assert.Equal("Tool: bulwark-9.9.9", root.GetProperty("creationInfo").GetProperty("creators")[0].GetString());
        var documentNamespace = root.GetProperty("documentNamespace").GetString()!;
        Assert.True(Uri.TryCreate(documentNamespace, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0, documentNamespace);
        Assert.EndsWith("-0f8fad5b-d9cb-469f-a165-70867728950e", documentNamespace, StringComparison.Ordinal);

        var packages = root.GetProperty("packages").EnumerateArray().ToList();
        var ids = packages.Select(p => p.GetProperty("SPDXID").GetString()!).ToList();
        Assert.All(ids, id => Assert.Matches(SpdxId(), id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var relationships = root.GetProperty("relationships").EnumerateArray()
            .Select(r => (r.GetProperty("spdxElementId").GetString()!, r.GetProperty("relationshipType").GetString()!, r.GetProperty("relatedSpdxElement").GetString()!))
            .ToList();
        Assert.All(relationships, r => Assert.Contains(r.Item1, ids.Append("SPDXRef-DOCUMENT")));
        Assert.All(relationships, r => Assert.Contains(r.Item3, ids));

        var imageId = Assert.Single(packages, p => p.GetProperty("primaryPackagePurpose").GetString() == "CONTAINER").GetProperty("SPDXID").GetString()!;
        Assert.Equal(("SPDXRef-DOCUMENT", "DESCRIBES", imageId), relationships[0]);
        Assert.Equal(ids.Where(id => id != imageId), relationships.Skip(1).Where(r => r.Item1 == imageId && r.Item2 == "CONTAINS").Select(r => r.Item3));
        Assert.Single(packages, p => p.GetProperty("primaryPackagePurpose").GetString() == "OPERATING_SYSTEM");

        var libraries = packages.Where(p => p.GetProperty("primaryPackagePurpose").GetString() == "LIBRARY").ToList();
        Assert.Equal(inventory.Packages.Count, libraries.Count);
        foreach (var (located, package) in inventory.Packages.Zip(libraries))
        {
            Assert.Equal(located.Package.Name, package.GetProperty("name").GetString());
            Assert.Equal(InstalledPackageUrl.For(located.Package, inventory.OperatingSystem)!.ToString(), Purl(package));
            Assert.Contains($"recorded in {located.Package.RecordedIn}", package.GetProperty("sourceInfo").GetString(), StringComparison.Ordinal);
            Assert.Contains(located.LayerDiffId!, package.GetProperty("sourceInfo").GetString(), StringComparison.Ordinal);

            var declared = package.GetProperty("licenseDeclared").GetString()!;
            Assert.True(declared == "NOASSERTION" ? !SpdxLicenseExpression.IsValid(located.Package.License) : declared == located.Package.License, declared);
            Assert.Equal(declared == "NOASSERTION" && located.Package.License is not null, package.TryGetProperty("licenseComments", out _));
        }
    }

    [SharedDataFact]
    public void Licence_ids_in_the_fixtures_expressions_are_on_the_SPDX_list()
    {
        // The writers check expression syntax only; this keeps the fixtures honest about the list itself.
        using var list = JsonDocument.Parse(File.ReadAllBytes(SbomSchemas.InCycloneDx("spdx.schema.json")));
        var known = list.RootElement.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var debian = new TempFolder();
        using var alpine = new TempFolder();
        var licences = SbomFixture.DebianApplication(debian).Inventory.Packages.Concat(SbomFixture.Alpine(alpine).Inventory.Packages)
            .Select(p => p.Package.License).Where(SpdxLicenseExpression.IsValid).ToList();

        Assert.True(licences.Count >= 6);
        Assert.All(licences.SelectMany(l => l!.Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries)).Where(t => t is not ("AND" or "OR" or "WITH")), id => Assert.Contains(id, known));
    }

    [SharedDataFact]
    public void Problems_reading_the_inventory_are_in_the_document()
    {
        using var folder = new TempFolder();
        var (subject, inventory) = SbomFixture.Alpine(folder);
        Assert.NotEmpty(inventory.Problems);

        using var bom = Write(CycloneDxWriter.Write, subject, inventory, Fixed);
        Assert.Equal(inventory.Problems, bom.RootElement.GetProperty("metadata").GetProperty("properties").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString() == "bulwark:inventory:problem").Select(p => p.GetProperty("value").GetString()));

        using var spdx = Write(SpdxWriter.Write, subject, inventory, Fixed);
        var image = spdx.RootElement.GetProperty("packages")[0];
        Assert.All(inventory.Problems, p => Assert.Contains(p, image.GetProperty("comment").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Fixed_options_give_the_same_bytes_and_default_options_a_new_document_each_time()
    {
        using var folder = new TempFolder();
        var (subject, inventory) = SbomFixture.DebianApplication(folder);
        foreach (var write in new Action<Stream, SbomSubject, ImageInventory, SbomOptions?>[] { CycloneDxWriter.Write, SpdxWriter.Write })
        {
            Assert.Equal(Bytes(write, subject, inventory, Fixed), Bytes(write, subject, inventory, Fixed));
            Assert.NotEqual(Bytes(write, subject, inventory, null), Bytes(write, subject, inventory, null));
            var later = Fixed with { Clock = new FixedClock(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)) };
            Assert.True(Bytes(write, subject, inventory, later).AsSpan().IndexOf("\"2027-01-01T00:00:00Z\""u8) >= 0);
        }
    }

    [Fact]
    public void The_writers_leave_the_stream_open_and_an_empty_image_is_still_a_document()
    {
        var subject = new SbomSubject { Reference = "dir:/srv/rootfs" };
        var empty = new ImageInventory(null, [], []);
        using var stream = new MemoryStream();
        CycloneDxWriter.Write(stream, subject, empty, Fixed);
        Assert.True(stream.CanWrite);
        using var bom = JsonDocument.Parse(stream.ToArray());
        Assert.Equal("dir:/srv/rootfs", bom.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("name").GetString());
        Assert.False(bom.RootElement.GetProperty("metadata").GetProperty("component").TryGetProperty("purl", out _));
        Assert.Empty(bom.RootElement.GetProperty("components").EnumerateArray());

        stream.SetLength(0);
        SpdxWriter.Write(stream, subject, empty, Fixed);
        using var spdx = JsonDocument.Parse(stream.ToArray());
        Assert.Single(spdx.RootElement.GetProperty("packages").EnumerateArray());
        Assert.Contains("/dir--srv-rootfs-", spdx.RootElement.GetProperty("documentNamespace").GetString(), StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Empty_image_documents_validate()
    {
        var subject = new SbomSubject { Reference = "dir:/srv/rootfs" };
        var empty = new ImageInventory(null, [], []);
        using var bom = Write(CycloneDxWriter.Write, subject, empty, Fixed);
        using var spdx = Write(SpdxWriter.Write, subject, empty, Fixed);
        Assert.Empty(SbomSchemas.CycloneDxErrors(bom.RootElement));
        Assert.Empty(SbomSchemas.SpdxErrors(spdx.RootElement));
    }

    private static (SbomSubject, ImageInventory) Fixture(string image, TempFolder folder) =>
        image == "alpine" ? SbomFixture.Alpine(folder) : SbomFixture.DebianApplication(folder);

    private static JsonDocument Write(Action<Stream, SbomSubject, ImageInventory, SbomOptions?> write, SbomSubject subject, ImageInventory inventory, SbomOptions? options) =>
        JsonDocument.Parse(Bytes(write, subject, inventory, options));

    private static byte[] Bytes(Action<Stream, SbomSubject, ImageInventory, SbomOptions?> write, SbomSubject subject, ImageInventory inventory, SbomOptions? options)
    {
        using var stream = new MemoryStream();
        write(stream, subject, inventory, options);
        return stream.ToArray();
    }

    private static Dictionary<string, string> Properties(JsonElement component) =>
        component.TryGetProperty("properties", out var properties)
            ? properties.EnumerateArray().GroupBy(p => p.GetProperty("name").GetString()!).ToDictionary(g => g.Key, g => g.First().GetProperty("value").GetString()!)
            : [];

    private static string? License(JsonElement component)
    {
        if (!component.TryGetProperty("licenses", out var licenses))
        {
            return null;
        }

        var choice = Assert.Single(licenses.EnumerateArray());
        return choice.TryGetProperty("expression", out var expression) ? expression.GetString() : choice.GetProperty("license").GetProperty("name").GetString();
    }

    private static string? Purl(JsonElement package) =>
        package.TryGetProperty("externalRefs", out var refs)
            ? refs.EnumerateArray().Single(r => r.GetProperty("referenceType").GetString() == "purl").GetProperty("referenceLocator").GetString()
            : null;

    [GeneratedRegex("^SPDXRef-[A-Za-z0-9.-]+$")]
    private static partial Regex SpdxId();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
