using Bulwark.Images.Config;
using Bulwark.Images.Layers;
using CsCheck;
using Xunit;
using ZstdSharp;

namespace Bulwark.Images.Tests;

/// <summary>
/// Any damage to a layer blob or a config — flipped bytes, cut ends — gives either a reading or an
/// <see cref="ImageReadException"/>, never another exception, a hang or a file outside the image.
/// </summary>
public sealed class LayerPropertyTests
{
    private const long Iterations = 400;

    private static readonly byte[] Tar = new TarBuilder()
        .Directory("etc")
        .File("etc/os-release", "ID=debian\nVERSION_ID=12\n")
        .File("app/.wh.old", string.Empty)
        .File("opt/.wh..wh..opq", string.Empty)
        .Symlink("bin", "usr/bin")
        .HardLink("etc/os-release2", "etc/os-release")
        .File("usr/share/doc/" + new string('d', 150) + "/copyright", "long path, written as PAX\n")
        .ToArray();

    private static readonly byte[][] Blobs = [Tar, TarBuilder.Gzip(Tar), Zstd(Tar)];

    private static readonly Gen<(int Blob, (int Position, byte Value)[] Flips, int Cut)> Damage =
        Gen.Select(Gen.Int[0, Blobs.Length - 1], Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte).Array[0, 6], Gen.Int[0, 100]);

    [Fact]
    public void Damaged_layers_read_or_fail_with_an_image_error() =>
        Damage.Sample(damage =>
        {
            var blob = (byte[])Blobs[damage.Blob].Clone();
            foreach (var (position, value) in damage.Flips)
            {
                blob[position % blob.Length] = value;
            }

            // A cut in 3 of 4 cases, anywhere in the blob.
            var length = damage.Cut < 75 ? blob.Length * damage.Cut / 75 : blob.Length;
            var layer = new BlobLayer(new ImageLayerInfo("fuzz", 0, 1, null, null, null), () => new MemoryStream(blob, 0, length));
            try
            {
                var contents = layer.Read([new RecordingAnalyzer("etc/os-release")], ImageReadOptions.Default);
                Assert.All(contents.Entries, e => Assert.False(e.Path.StartsWith('/') || e.Path.Split('/').Contains("..")));
            }
            catch (ImageReadException)
            {
                // The expected way to fail.
            }
        }, iter: Iterations);

    [Fact]
    public void Damaged_configs_parse_or_fail_with_an_image_error()
    {
        var config = """
            {"architecture":"amd64","os":"linux","config":{"User":"1000","Env":["A=b"],"ExposedPorts":{"22/tcp":{}},
            "Healthcheck":{"Test":["NONE"],"Retries":3},"Labels":{"a":"b"}},"rootfs":{"type":"layers","diff_ids":["sha256:00"]},
            "history":[{"created_by":"x","empty_layer":true},{"created_by":"y"}]}
            """u8.ToArray();
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 4].Sample(flips =>
        {
            var damaged = (byte[])config.Clone();
            foreach (var (position, value) in flips)
            {
                damaged[position % damaged.Length] = value;
            }

            try
            {
                ImageConfigParser.Parse(damaged, "fuzz");
            }
            catch (ImageReadException)
            {
                // The expected way to fail.
            }
        }, iter: Iterations);
    }

    private static byte[] Zstd(byte[] data)
    {
        using var compressor = new Compressor();
        return compressor.Wrap(data).ToArray();
    }
}
