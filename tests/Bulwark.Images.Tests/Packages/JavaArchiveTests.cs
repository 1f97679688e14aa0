using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Bulwark.Images.Packages;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

/// <summary>Java archives built here with System.IO.Compression, as Maven, Gradle and Spring Boot lay them out.</summary>
public sealed class JavaArchiveTests
{
    private static readonly byte[] ClassFile = [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 65];

    public static byte[] Jar(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static (string, byte[]) Pom(string group, string artifact, string version) =>
        ($"META-INF/maven/{group}/{artifact}/pom.properties", Encoding.UTF8.GetBytes($"#Created by Apache Maven 3.9.6\nartifactId={artifact}\ngroupId={group}\nversion={version}\n"));

    private static (string, byte[]) Text(string name, string text) => (name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Every_pom_properties_is_a_package_a_shaded_jar_has_several()
    {
        var jar = Jar(
            Text("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Title: ignored\r\nImplementation-Version: 9\r\n\r\n"),
            Pom("org.acme", "core", "1.2.3"),
            Pom("com.google.guava", "guava", "33.0.0-jre"),
            ("org/acme/Core.class", ClassFile));
        var problems = new List<string>();

        var packages = JavaArchive.Read("opt/app/core-1.2.3.jar", jar, problems);

        Assert.Empty(problems);
        Assert.Equal([("org.acme:core", "1.2.3"), ("com.google.guava:guava", "33.0.0-jre")], packages.Select(p => (p.Name, p.Version)));
        Assert.All(packages, p => Assert.Equal(("maven", "opt/app/core-1.2.3.jar"), (p.Type, p.RecordedIn)));
    }

    [Theory]
    [InlineData(
        "Manifest-Version: 1.0\r\nBundle-SymbolicName: com.fasterxml.jackson.core.jackson-databind;singleton:=tr\r\n ue\r\nBundle-Name: jackson-databind\r\nBundle-Version: 2.17.0\r\n\r\nName: x/\r\nImplementation-Version: 0\r\n",
        "com.fasterxml.jackson.core:jackson-databind", "2.17.0")]
    [InlineData(
        "Manifest-Version: 1.0\nImplementation-Vendor-Id: org.example\nImplementation-Title: widget\nImplementation-Version: 4.1\nBundle-Version: 9.9\n",
        "org.example:widget", "4.1")]
    [InlineData("Implementation-Vendor: Example Corp\nSpecification-Title: spec\nSpecification-Version: 1.0\n", "Example Corp:spec", "1.0")]
    public void Without_pom_properties_the_manifest_names_it_in_trivys_order_of_fields(string manifest, string name, string version)
    {
        var problems = new List<string>();
        var packages = JavaArchive.Read("lib/anything.jar", Jar(Text("META-INF/MANIFEST.MF", manifest)), problems);

        Assert.Empty(problems);
        Assert.Equal((name, version), (Assert.Single(packages).Name, packages[0].Version));
    }

    [Fact]
    public void Without_either_the_file_name_names_it_and_without_that_it_is_no_package()
    {
        var problems = new List<string>();
        var bare = Jar(Text("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nCreated-By: 17 (Eclipse Adoptium)\n"), ("A.class", ClassFile));

        Assert.Equal(("commons-io", "2.16.1"), JavaArchive.Read("lib/commons-io-2.16.1.jar", bare, problems).Select(p => (p.Name, p.Version)).Single());
        Assert.Equal(("netty-codec-http2", "4.1.108.Final"), JavaArchive.Read("lib/netty-codec-http2-4.1.108.Final.jar", bare, problems).Select(p => (p.Name, p.Version)).Single());
        Assert.Empty(problems);

        Assert.Empty(JavaArchive.Read("lib/app.jar", bare, problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void Nested_archives_are_read_and_recorded_inside_their_archive()
    {
        var guava = Jar(Pom("com.google.guava", "guava", "33.0.0-jre"));
        var tiny = Jar(("t/T.class", ClassFile));
        var boot = Jar(Pom("org.acme", "service", "2.0.0"), ("BOOT-INF/lib/guava-33.0.0-jre.jar", guava), ("BOOT-INF/lib/tiny-1.0.jar", tiny), ("BOOT-INF/classes/App.class", ClassFile));
        var war = Jar(("WEB-INF/lib/service-2.0.0.jar", boot), Text("META-INF/MANIFEST.MF", "Implementation-Vendor-Id: org.acme\nImplementation-Title: web\nImplementation-Version: 3\n"));
        var problems = new List<string>();

        var packages = JavaArchive.Read("srv/web.war", war, problems);

        Assert.Empty(problems);
        Assert.Equal(
            [
                ("org.acme:web", "3", "srv/web.war"),
                ("org.acme:service", "2.0.0", "srv/web.war!/WEB-INF/lib/service-2.0.0.jar"),
                ("com.google.guava:guava", "33.0.0-jre", "srv/web.war!/WEB-INF/lib/service-2.0.0.jar!/BOOT-INF/lib/guava-33.0.0-jre.jar"),
                ("tiny", "1.0", "srv/web.war!/WEB-INF/lib/service-2.0.0.jar!/BOOT-INF/lib/tiny-1.0.jar"),
            ],
            packages.Select(p => (p.Name, p.Version, p.RecordedIn)));
    }

    [Fact]
    public void Nesting_past_the_bound_is_a_problem_and_the_levels_above_it_are_read()
    {
        var jar = Jar(Pom("g", "level6", "6"));
        for (var level = 5; level >= 1; level--)
        {
            jar = Jar(Pom("g", $"level{level}", $"{level}"), ($"lib/level{level + 1}.jar", jar));
        }

        var problems = new List<string>();
        var packages = JavaArchive.Read("deep.jar", jar, problems);

        Assert.Equal(["g:level1", "g:level2", "g:level3", "g:level4"], packages.Select(p => p.Name));
        Assert.EndsWith($"lib/level5.jar: nested more than {JavaArchive.MaxDepth} archives deep; skipped", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_archive_that_inflates_past_its_bound_is_a_problem_and_the_rest_is_read()
    {
        var jar = Bombs(MiB(JavaArchive.MaxNestedArchiveBytes) + 1, count: 1, Pom("org.acme", "app", "1.0"));
        var problems = new List<string>();

        Assert.Equal("org.acme:app", Assert.Single(JavaArchive.Read("app.jar", jar, problems)).Name);
        Assert.Equal($"app.jar!/lib/bomb0.jar: cannot be inflated (larger than the {JavaArchive.MaxNestedArchiveBytes} bytes read of one entry); skipped", Assert.Single(problems));
    }

    [Fact]
    public void Nested_archives_that_inflate_past_the_bound_together_are_a_problem_in_bounded_memory()
    {
        var count = (int)(JavaArchive.MaxInflatedBytes / (JavaArchive.MaxNestedArchiveBytes - (1024 * 1024))) + 1;
        var jar = Bombs(MiB(JavaArchive.MaxNestedArchiveBytes) - 1, count);
        var problems = new List<string>();

        Assert.Empty(JavaArchive.Read("bomb.jar", jar, problems));
        Assert.Equal("bomb.jar: inflates to more than 256 MiB with the archives nested in it; the rest of the archive is not read", problems[^1]);
    }

    private static int MiB(long bytes) => (int)(bytes / (1024 * 1024));

    /// <summary>A jar holding <paramref name="count"/> nested "jars" of <paramref name="mebibytes"/> MiB of zeros each.</summary>
    private static byte[] Bombs(int mebibytes, int count, params (string Name, byte[] Content)[] more)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in more)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }

            var zeros = new byte[1024 * 1024];
            for (var bomb = 0; bomb < count; bomb++)
            {
                using var stream = zip.CreateEntry($"lib/bomb{bomb}.jar", CompressionLevel.SmallestSize).Open();
                for (var i = 0; i < mebibytes; i++)
                {
                    stream.Write(zeros);
                }
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public void An_archive_declaring_more_entries_than_the_bound_is_refused_before_they_are_listed()
    {
        // A zip64 end record claiming ten million entries, as a crafted archive would.
        var jar = Jar(Pom("g", "a", "1"));
        var end = jar.AsSpan().LastIndexOf("PK\x05\x06"u8);
        var zip64Record = new byte[56];
        "PK\x06\x06"u8.CopyTo(zip64Record);
        BinaryPrimitives.WriteUInt64LittleEndian(zip64Record.AsSpan(32), 10_000_000);
        var locator = new byte[20];
        "PK\x06\x07"u8.CopyTo(locator);
        BinaryPrimitives.WriteUInt64LittleEndian(locator.AsSpan(8), (ulong)end);
        var endRecord = jar[end..];
        BinaryPrimitives.WriteUInt16LittleEndian(endRecord.AsSpan(10), ushort.MaxValue);
        byte[] crafted = [.. jar[..end], .. zip64Record, .. locator, .. endRecord];

        var problems = new List<string>();
        Assert.Empty(JavaArchive.Read("many.jar", crafted, problems));
        Assert.Equal($"many.jar: more than {JavaArchive.MaxEntries} entries in it and the archives nested in it; the rest of the archive is not read", Assert.Single(problems));
    }

    [Fact]
    public void Damage_anywhere_in_a_nested_archive_is_at_worst_a_problem()
    {
        var inner = Jar(Pom("com.google.guava", "guava", "33.0.0-jre"), Text("META-INF/MANIFEST.MF", "Bundle-Version: 1\n"));
        var outer = Jar(Pom("org.acme", "service", "2.0.0"), ("BOOT-INF/lib/guava-33.0.0-jre.jar", inner));
        var problems = new List<string>();
        Assert.Empty(JavaArchive.Read("cut.jar", outer[..^30], problems));
        Assert.Equal("cut.jar: not a zip archive; skipped", Assert.Single(problems));

        Gen.Select(Gen.Int[0, outer.Length - 1], Gen.Byte).Array[1, 6].Sample(
            flips =>
            {
                var spoiled = (byte[])outer.Clone();
                foreach (var (at, value) in flips)
                {
                    spoiled[at] = value;
                }

                JavaArchive.Read("app.jar", spoiled, []);
            },
            iter: 500);
    }

    [Theory]
    [InlineData("app/lib/x.jar", true)]
    [InlineData("app/ROOT.WAR", true)]
    [InlineData("opt/app.ear", true)]
    [InlineData("opt/.jar", false)]
    [InlineData("opt/jar", false)]
    [InlineData("opt/x.jar.sha1", false)]
    public void Archives_are_known_by_their_extension(string path, bool counts)
    {
        Assert.Equal(counts, JavaArchive.IsArchive(path));
    }
}
