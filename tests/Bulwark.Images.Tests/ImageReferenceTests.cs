using System.Formats.Tar;
using System.IO.Compression;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

public sealed class ImageReferenceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("docker-archive:app.tar", ImageSourceKind.DockerArchive, "app.tar")]
    [InlineData("oci-archive:/tmp/app.tar", ImageSourceKind.OciArchive, "/tmp/app.tar")]
    [InlineData("oci-dir:layout", ImageSourceKind.OciDirectory, "layout")]
    [InlineData("dir:/srv/rootfs", ImageSourceKind.Directory, "/srv/rootfs")]
    [InlineData("docker:nginx:1.27", ImageSourceKind.Docker, "nginx:1.27")]
    [InlineData("registry:ghcr.io/org/app@sha256:abc", ImageSourceKind.Registry, "ghcr.io/org/app@sha256:abc")]
    public void Prefixes_name_the_source(string text, ImageSourceKind kind, string location)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(kind, reference.Kind);
        Assert.Equal(location, reference.Location);
        Assert.Equal(text, reference.ToString());
    }

    [Fact]
    public void An_empty_location_is_an_error() =>
        Assert.Contains("names no oci-archive image", Assert.Throws<ImageReadException>(() => ImageReference.Parse("oci-archive:")).Message, StringComparison.Ordinal);

    [Fact]
    public void A_bare_path_is_detected_by_content()
    {
        var layout = new OciLayoutWriter(_temp["layout"]);
        Directory.CreateDirectory(_temp["rootfs"]);
        WriteTar(_temp["docker.tar"], gzip: false, "manifest.json", "repositories");
        WriteTar(_temp["docker.tar.gz"], gzip: true, "manifest.json");
        WriteTar(_temp["oci.tar"], gzip: false, "oci-layout", "index.json");
        WriteTar(_temp["docker25.tar"], gzip: false, "oci-layout", "index.json", "manifest.json");
        WriteTar(_temp["other.tar"], gzip: false, "etc/passwd");
        File.WriteAllText(_temp["notes.txt"], "not an archive at all, just some text that is longer than a tar header would be........................................................................................................................................................................................................................................................................................................................................................................................................................................................................................");

        Assert.Equal(ImageSourceKind.OciDirectory, ImageReference.Parse(layout.Root).Kind);
        Assert.Equal(ImageSourceKind.Directory, ImageReference.Parse(_temp["rootfs"]).Kind);
        Assert.Equal(ImageSourceKind.DockerArchive, ImageReference.Parse(_temp["docker.tar"]).Kind);
        Assert.Equal(ImageSourceKind.DockerArchive, ImageReference.Parse(_temp["docker.tar.gz"]).Kind);
        Assert.Equal(ImageSourceKind.OciArchive, ImageReference.Parse(_temp["oci.tar"]).Kind);
        Assert.Equal(ImageSourceKind.DockerArchive, ImageReference.Parse(_temp["docker25.tar"]).Kind);
        Assert.Contains("neither a docker-archive", Assert.Throws<ImageReadException>(() => ImageReference.Parse(_temp["other.tar"])).Message, StringComparison.Ordinal);
        Assert.Contains("not an image archive", Assert.Throws<ImageReadException>(() => ImageReference.Parse(_temp["notes.txt"])).Message, StringComparison.Ordinal);
        Assert.Contains("no such file or folder", Assert.Throws<ImageReadException>(() => ImageReference.Parse(_temp["missing.tar"])).Message, StringComparison.Ordinal);
    }

    private static void WriteTar(string path, bool gzip, params string[] names)
    {
        using var file = File.Create(path);
        using var stream = gzip ? (Stream)new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new TarWriter(stream);
        foreach (var name in names)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("{}"u8.ToArray()) });
        }
    }
}
