using System.Diagnostics;
using System.Text;
using Bulwark.Images.Layers;
using Bulwark.Images.Sources;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// Layers written by an attacker: each must give an <see cref="ImageReadException"/> naming the image and the layer,
/// in bounded time and memory, never a crash, a hang or a file outside the image.
/// </summary>
public sealed class HostileLayerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_path_climbing_out_of_the_root_is_an_error_naming_the_layer()
    {
        var layout = new OciLayoutWriter(_temp["layout"]);
        layout.SingleImage(
            new TarBuilder().File("etc/hostname", "box\n").ToArray(),
            new TarBuilder().File("app/../../../etc/cron.d/evil", "* * * * * root sh\n").ToArray());

        var error = ReadFails(layout.Root);

        Assert.Contains("layer 2 of 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("climbs out of the image root", error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp["layout"], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_and_dotted_paths_are_normalised_inside_the_root()
    {
        var layout = new OciLayoutWriter(_temp["layout"]);
        layout.SingleImage(new TarBuilder().Directory("/").File("/etc/passwd", "root:x:0:0\n").File("./usr/./bin/../lib/x", "x").ToArray());

        var contents = Read(layout.Root);

        Assert.Equal(["etc/passwd", "usr/lib/x"], contents.Files.Files.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_hard_link_out_of_the_root_is_an_error_and_a_symbolic_one_is_recorded_not_followed()
    {
        var hard = new OciLayoutWriter(_temp["hard"]);
        hard.SingleImage(new TarBuilder().HardLink("app/shadow", "../../etc/shadow").ToArray());
        var error = ReadFails(hard.Root);
        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("hard link \"app/shadow\" points outside the image root", error.Message, StringComparison.Ordinal);

        var soft = new OciLayoutWriter(_temp["soft"]);
        soft.SingleImage(new TarBuilder().Symlink("app/passwd", "../../../etc/passwd").Symlink("bin", "usr/bin").Symlink("sh", "/bin/bash").ToArray());
        var contents = Read(soft.Root);
        var warning = Assert.Single(contents.Layers[0].Warnings);
        Assert.Contains("symbolic link \"app/passwd\" points outside the image root", warning, StringComparison.Ordinal);
        Assert.Equal("../../../etc/passwd", contents.Files.Files["app/passwd"].Entry.LinkTarget);
        Assert.Equal(LayerEntryKind.SymbolicLink, contents.Files.Files["app/passwd"].Entry.Kind);
    }

    [Fact]
    public void A_gzip_bomb_of_gigabytes_of_zeros_stops_early_in_bounded_time_and_memory()
    {
        // A tar header announcing a 4 GiB file, then 4 GiB of zeros as 64 gzip members of 64 MiB each: ~4 MB on disk.
        const long Size = 4L << 30;
        var zeros = TarBuilder.Gzip(new byte[64 << 20]);
        var layout = new OciLayoutWriter(_temp["bomb"]);
        var blobFile = Path.Combine(layout.Root, "bomb.gz");
        using (var blob = File.Create(blobFile))
        {
            blob.Write(TarBuilder.Gzip(UstarHeader("zeros", Size)));
            for (var i = 0; i < Size / (64 << 20); i++)
            {
                blob.Write(zeros);
            }
        }

        var digest = layout.AddBlob(File.ReadAllBytes(blobFile));
        layout.WriteIndex(OciLayoutWriter.Descriptor(
            layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + new string('0', 64))]), null));

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var error = ReadFails(layout.Root);
        clock.Stop();

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("decompression bomb", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 64 << 20, "allocated more than 64 MiB to refuse the bomb");
    }

    [Fact]
    public void A_huge_metadata_header_is_refused_before_it_is_held_in_memory()
    {
        // A PAX extended header announcing 1.5 GiB of attributes: a tar reader would buffer it whole.
        const long Size = 3L << 29;
        var zeros = TarBuilder.Gzip(new byte[64 << 20]);
        var layout = new OciLayoutWriter(_temp["pax"]);
        using var blob = new MemoryStream();
        blob.Write(TarBuilder.Gzip(UstarHeader("PaxHeaders/zeros", Size, typeFlag: 'x')));
        for (var i = 0; i < Size / (64 << 20); i++)
        {
            blob.Write(zeros);
        }

        var digest = layout.AddBlob(blob.ToArray());
        layout.WriteIndex(OciLayoutWriter.Descriptor(
            layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + new string('0', 64))]), null));

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = ReadFails(layout.Root);

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("metadata entry", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 64 << 20, "allocated more than 64 MiB to refuse the header");
    }

    [Fact]
    public void A_layer_past_the_size_bound_is_refused_even_uncompressed()
    {
        var layout = new OciLayoutWriter(_temp["big"]);
        var tar = new TarBuilder().File("big", new string('x', 100_000)).ToArray();
        var digest = layout.AddBlob(tar);
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar", digest)]), null));

        var error = Assert.Throws<ImageReadException>(() => Read(layout.Root, ImageReadOptions.Default with { MaxLayerSize = 50_000 }));

        Assert.Contains("more than 50000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_with_more_entries_than_the_bound_is_refused()
    {
        var layout = new OciLayoutWriter(_temp["many"]);
        var builder = new TarBuilder();
        for (var i = 0; i < 200; i++)
        {
            builder.File($"f{i}", string.Empty);
        }

        layout.SingleImage(builder.ToArray());

        var error = Assert.Throws<ImageReadException>(() => Read(layout.Root, ImageReadOptions.Default with { MaxLayerEntries = 100 }));

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than 100 entries", error.Message, StringComparison.Ordinal);
        Assert.Equal(200, Read(layout.Root).Files.Files.Count);
    }

    [Fact]
    public void A_truncated_gzip_layer_is_an_error_naming_the_layer()
    {
        var tar = new TarBuilder().File("etc/os-release", "ID=debian\n").File("usr/share/doc/big", RandomText(200_000)).ToArray();
        var gzip = TarBuilder.Gzip(tar);
        var truncated = gzip[..(gzip.Length / 2)];
        var layout = new OciLayoutWriter(_temp["cut"]);
        // The manifest promises the truncated blob, so the digest check is not what catches it.
        var digest = layout.AddBlob(truncated);
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(tar))]), null));

        var error = ReadFails(layout.Root);

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tar_entry_cut_short_is_truncated()
    {
        var tar = new TarBuilder().File("a", "a").File("b", RandomText(10_000)).ToArray();
        // Cut inside b's data: only the digest could catch it, and the manifest promises the cut blob.
        var cut = tar[..6000];
        var layout = new OciLayoutWriter(_temp["cut"]);
        var digest = layout.AddBlob(cut);
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar", digest)]), null));

        var error = ReadFails(layout.Root);

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tar_ending_right_after_its_last_file_is_read_whole_with_a_warning()
    {
        // umoci 0.4 writes layers like this: no padding after the last file's data, no end-of-archive blocks.
        var tar = new TarBuilder().File("a", "a").File("b", "bee").ToArray();
        var unterminated = tar[..(tar.Length - 1024 - 509)];
        var layout = new OciLayoutWriter(_temp["unterminated"]);
        var digest = layout.AddBlob(unterminated);
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar", digest)]), null));
        var analyzer = new RecordingAnalyzer("b");

        using var image = ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout.Root));
        var contents = ImageContents.Read(image, [analyzer]);

        Assert.Equal("bee", analyzer.Contents[(0, "b")]);
        Assert.Contains("without the end-of-archive blocks", Assert.Single(contents.Layers[0].Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_blob_that_does_not_match_its_digest_is_an_error()
    {
        var layout = new OciLayoutWriter(_temp["digest"]);
        var tar = new TarBuilder().File("etc/os-release", "ID=debian\n").ToArray();
        var layerDigest = layout.AddBlob(TarBuilder.Gzip(tar));
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage([(layerDigest, "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(tar))]), null));
        // Swap the layer's bytes for another layer's: same name, other content.
        File.WriteAllBytes(layout.BlobFile(layerDigest), TarBuilder.Gzip(new TarBuilder().File("etc/os-release", "ID=alpine\n").ToArray()));

        var error = ReadFails(layout.Root);

        Assert.Contains("layer 1 of 1 (" + layerDigest + ")", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer blob digest does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_uncompressed_layer_that_does_not_match_its_diff_id_is_an_error()
    {
        var layout = new OciLayoutWriter(_temp["diffid"]);
        var tar = new TarBuilder().File("etc/os-release", "ID=debian\n").ToArray();
        var other = new TarBuilder().File("etc/os-release", "ID=alpine\n").ToArray();
        layout.WriteIndex(OciLayoutWriter.Descriptor(
            layout.AddImage([(layout.AddBlob(TarBuilder.Gzip(tar)), "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.Sha256(other))]), null));

        var error = ReadFails(layout.Root);

        Assert.Contains("uncompressed layer (diff_id) digest does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_digest_that_is_not_a_sha256_never_becomes_a_path()
    {
        var layout = new OciLayoutWriter(_temp["path"]);
        layout.WriteIndex(OciLayoutWriter.Descriptor("sha256:../../../../etc/passwd", null));

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout.Root)));

        Assert.Contains("malformed digest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layout_blob_linking_out_of_the_layout_is_not_read()
    {
        var outside = new OciLayoutWriter(_temp["outside"]);
        var tar = new TarBuilder().File("etc/shadow", "root:$6$hash:19000::::::\n").ToArray();
        var secret = outside.AddBlob(tar);
        var layout = new OciLayoutWriter(_temp["layout"]);
        var digest = layout.AddBlob(tar);
        File.Delete(layout.BlobFile(digest));
        File.CreateSymbolicLink(layout.BlobFile(digest), outside.BlobFile(secret));
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar", digest)]), null));

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout.Root)));

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("abc/layer.tar")]
    public void A_docker_archive_layer_path_leading_out_of_the_archive_is_not_read(string layerPath)
    {
        var tar = new TarBuilder().File("etc/os-release", "ID=debian\n").ToArray();
        var config = """{"os":"linux","architecture":"amd64","rootfs":{"type":"layers","diff_ids":["DIFF_ID"]}}""".Replace("DIFF_ID", TarBuilder.Sha256(tar), StringComparison.Ordinal);
        var archive = _temp["hostile.tar"];
        using (var writer = new System.Formats.Tar.TarWriter(File.Create(archive)))
        {
            void Add(string name, string text) => writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            Add("config.json", config);
            Add("manifest.json", $$"""[{"Config":"config.json","Layers":["{{layerPath}}"]}]""");
            // The link skopeo would write, but pointing at the host's file.
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "abc/layer.tar") { LinkName = "../../../etc/passwd" });
        }

        var error = Assert.Throws<ImageReadException>(() => ImageSources.Open(new ImageReference(ImageSourceKind.DockerArchive, archive)));

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("not in the archive (or is a link leading outside it)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_that_is_not_a_tar_is_an_error_not_a_crash()
    {
        var layout = new OciLayoutWriter(_temp["garbage"]);
        var garbage = Encoding.UTF8.GetBytes(RandomText(5000));
        var digest = layout.AddBlob(garbage);
        layout.WriteIndex(OciLayoutWriter.Descriptor(layout.AddImage([(digest, "application/vnd.oci.image.layer.v1.tar", digest)]), null));

        var error = ReadFails(layout.Root);

        Assert.Contains("layer 1 of 1", error.Message, StringComparison.Ordinal);
    }

    private static ImageContents Read(string layout, ImageReadOptions? options = null)
    {
        using var image = ImageSources.Open(new ImageReference(ImageSourceKind.OciDirectory, layout), options);
        return ImageContents.Read(image, [], options);
    }

    private static ImageReadException ReadFails(string layout) => Assert.Throws<ImageReadException>(() => Read(layout));

    private static string RandomText(int length)
    {
        var random = new Random(12);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)r.Next(33, 127);
            }
        });
    }

    /// <summary>A ustar header for a regular file of <paramref name="size"/> bytes, written by hand so no data need follow.</summary>
    private static byte[] UstarHeader(string name, long size, char typeFlag = '0')
    {
        var header = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Put(136, "00000000000\0");
        Put(148, "        ");
        header[156] = (byte)typeFlag;
        Put(257, "ustar\0");
        Put(263, "00");
        var checksum = header.Sum(b => b);
        Put(148, Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }
}
