using System.Text;
using Bulwark.Images.Layers;
using Bulwark.Images.Packages;
using CsCheck;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

public sealed class GoBuildInfoTests
{
    [SkippableFact]
    public void A_binary_built_by_go_reads_as_go_version_m_prints_it()
    {
        var binary = GoProgram.Binary;
        var (goVersion, lines) = GoProgram.VersionM(binary);

        using var stream = File.OpenRead(binary);
        var info = GoBuildInfo.Find(stream, out var problem);

        Assert.Null(problem);
        Assert.NotNull(info);
        Assert.Equal(goVersion, info.GoVersion);
        Assert.Equal(lines, info.ModuleInfo.Split('\n').Where(l => l.Trim().Length > 0));
        Assert.Contains("dep\texample.com/greet\tv1.2.3", lines);
    }

    [SkippableFact]
    public void The_go_toolchains_own_binaries_read_as_go_version_m_prints_them_and_other_executables_are_not_go()
    {
        _ = GoProgram.Binary; // requires go
        var goRoot = ImageTools.Run("go", "env", "GOROOT").Trim();
        var binaries = Directory.GetFiles(Path.Combine(goRoot, "bin")).Concat(Directory.GetFiles(Path.Combine(goRoot, "pkg", "tool"), "*", SearchOption.AllDirectories)).ToList();
        Assert.True(binaries.Count >= 10, $"only {binaries.Count} binaries under {goRoot}");
        foreach (var binary in binaries)
        {
            var (goVersion, lines) = GoProgram.VersionM(binary);
            using var stream = File.OpenRead(binary);
            var info = GoBuildInfo.Find(stream, out var problem);

            Assert.True(problem is null, $"{binary}: {problem}");
            Assert.Equal(goVersion, info!.GoVersion);
            Assert.Equal(lines, info.ModuleInfo.Split('\n').Where(l => l.Trim().Length > 0));
        }

        // C programs: ELF, large enough to be read, no build info (go version -m says "not a Go executable").
        foreach (var other in new[] { "/usr/bin/dpkg", "/usr/bin/bash" }.Where(File.Exists))
        {
            using var stream = File.OpenRead(other);
            Assert.Null(GoBuildInfo.Find(stream, out var problem));
            Assert.Null(problem);
        }
    }

    [SkippableFact]
    public void The_packages_are_the_go_version_the_main_module_and_the_dependencies_as_trivy_lists_them()
    {
        var binary = GoProgram.Binary;
        var (goVersion, _) = GoProgram.VersionM(binary);
        var problems = new List<string>();

        using var stream = File.OpenRead(binary);
        var packages = GoBuildInfo.Read("usr/local/bin/app", stream, problems);

        Assert.Empty(problems);
        Assert.Equal(
            [("stdlib", "v" + goVersion[2..]), ("example.com/app", string.Empty), ("example.com/greet", string.Empty)],
            packages.Select(p => (p.Name, p.Version)));
        Assert.All(packages, p => Assert.Equal(("golang", "usr/local/bin/app"), (p.Type, p.RecordedIn)));
    }

    [SkippableFact]
    public void A_devel_main_module_takes_the_version_its_build_passed_to_the_linker()
    {
        var binary = GoProgram.StampedBinary;
        var (_, lines) = GoProgram.VersionM(binary);
        Assert.Contains(lines, l => l.StartsWith("build\t-ldflags=", StringComparison.Ordinal) && l.Contains("main.version=1.4.0", StringComparison.Ordinal));
        var problems = new List<string>();

        using var stream = File.OpenRead(binary);
        var packages = GoBuildInfo.Read("usr/local/bin/app", stream, problems);

        Assert.Empty(problems);
        Assert.Equal(("example.com/app", "1.4.0"), (packages[1].Name, packages[1].Version));
    }

    [Theory]
    [InlineData("-X main.version=1.4.0", "1.4.0")]
    [InlineData("-X=main.Version=v2.0.0-rc.1 -s -w", "v2.0.0-rc.1")]
    [InlineData("-X 'github.com/acme/tool/internal/version.ver=3.1'", "3.1")]
    [InlineData("-X github.com/acme/tool/cmd/tool/app.version=1.0.0 -X main.version=2.0.0", "1.0.0")]
    [InlineData("-X main.version=1.0.0 -X version.version=2.0.0", null)]
    [InlineData("-X other.pkg.version=5.0.0 -X main.commit=abc", "5.0.0")]
    [InlineData("-X main.version=dev -X main.date=2024", null)]
    [InlineData("-s -w", null)]
    public void The_linker_version_is_chosen_as_trivy_chooses_it(string ldflags, string? version)
    {
        var quoted = "\"" + ldflags.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var info = new GoBuildInfo.Info("go1.22.3", $"path\tgithub.com/acme/tool\nmod\tgithub.com/acme/tool\t(devel)\t\nbuild\t-ldflags={quoted}\n");

        var packages = GoBuildInfo.Packages("bin/tool", info, []);

        Assert.Equal(version ?? string.Empty, packages[1].Version);
    }

    [SkippableFact]
    public void A_stream_that_returns_a_few_bytes_at_a_time_reads_the_same()
    {
        var binary = GoProgram.Binary;
        using var whole = File.OpenRead(binary);
        var expected = GoBuildInfo.Find(whole, out _);

        using var trickle = new TrickleStream(File.ReadAllBytes(binary), seed: 7);
        Assert.Equal(expected, GoBuildInfo.Find(trickle, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void Replacements_and_devel_versions_follow_trivy_except_local_folders()
    {
        var info = new GoBuildInfo.Info(
            "go1.22.3 X:boringcrypto",
            "path\tgithub.com/acme/tool\nmod\tgithub.com/acme/tool\tv1.4.0\th1:abc=\ndep\tgolang.org/x/net\tv0.1.0\th1:x=\n=>\tgithub.com/fork/net\tv0.1.1\th1:y=\n"
            + "dep\tgithub.com/local/lib\tv0.3.0\n=>\t./lib\t(devel)\t\nbuild\t-ldflags=-X main.version=1.4.0\n");
        var problems = new List<string>();

        var packages = GoBuildInfo.Packages("bin/tool", info, problems);

        Assert.Empty(problems);
        Assert.Equal(
            [("stdlib", "v1.22.3"), ("github.com/acme/tool", "v1.4.0"), ("github.com/fork/net", "v0.1.1"), ("github.com/local/lib", string.Empty)],
            packages.Select(p => (p.Name, p.Version)));
        Assert.Single(GoBuildInfo.Packages("bin/x", info with { GoVersion = "devel +abc" }, problems), p => p.Name == "github.com/acme/tool");
        Assert.Contains("is not a release", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_from_before_go_1_18_is_a_problem_and_other_files_are_nothing()
    {
        var problems = new List<string>();
        Assert.Empty(GoBuildInfo.Read("bin/old", new MemoryStream(FakeElf(flags: 0, at: 4096)), problems));
        Assert.Equal("bin/old: a Go binary built before Go 1.18 (its build information is pointers into the program, not read)", Assert.Single(problems));

        problems.Clear();
        Assert.Empty(GoBuildInfo.Read("bin/misaligned", new MemoryStream(FakeElf(flags: 2, at: 4100)), problems));
        Assert.Empty(GoBuildInfo.Read("bin/script", new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\n" + new string('x', 300_000))), problems));
        Assert.Empty(GoBuildInfo.Read("bin/c", new MemoryStream(FakeElf(flags: 2, at: -1)), problems));
        Assert.Empty(GoBuildInfo.Read("bin/empty", new MemoryStream(), problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void Inline_strings_that_run_past_the_end_or_past_the_bound_are_a_problem()
    {
        var problems = new List<string>();
        var cut = FakeElf(flags: 2, at: 4096);
        Array.Resize(ref cut, 4096 + 32 + 1);
        cut[^1] = 0x7f; // a version of 127 bytes, none of which follow
        Assert.Empty(GoBuildInfo.Read("bin/cut", new MemoryStream(cut), problems));

        var huge = FakeElf(flags: 2, at: 4096);
        huge[4096 + 32] = 0xff; // a varint that never ends within ten bytes
        huge.AsSpan(4096 + 33, 12).Fill(0xff);
        Assert.Empty(GoBuildInfo.Read("bin/huge", new MemoryStream(huge), problems));

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("cut short", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_executable_regular_files_of_a_plausible_size_are_read()
    {
        LayerEntry Entry(long size, UnixFileMode mode, LayerEntryKind kind = LayerEntryKind.File) =>
            new("usr/bin/x", kind, size, mode, 0, 0, null, DateTimeOffset.UnixEpoch);
        const UnixFileMode rwxr_xr_x = (UnixFileMode)0b111_101_101;

        Assert.True(GoBuildInfo.MayBeGoBinary(Entry(2_000_000, rwxr_xr_x)));
        Assert.True(GoBuildInfo.MayBeGoBinary(Entry(2_000_000, UnixFileMode.OtherExecute | UnixFileMode.UserRead)));
        Assert.False(GoBuildInfo.MayBeGoBinary(Entry(2_000_000, (UnixFileMode)0b110_100_100)));
        Assert.False(GoBuildInfo.MayBeGoBinary(Entry(10_000, rwxr_xr_x)));
        Assert.False(GoBuildInfo.MayBeGoBinary(Entry(2_000_000, rwxr_xr_x, LayerEntryKind.HardLink)));
    }

    [SkippableFact]
    public void Any_corruption_of_a_real_binarys_build_info_is_at_worst_a_problem()
    {
        var binary = File.ReadAllBytes(GoProgram.Binary);
        var magic = binary.AsSpan().IndexOf((byte[])[0xff, .. " Go buildinf:"u8]);
        Assert.True(magic > 0);

        // Spoil bytes in and after the header (flags, lengths, text): never an exception, never a hang.
        Gen.Int[0, 600].Array[1, 8].Sample(
            offsets =>
            {
                var spoiled = (byte[])binary.Clone();
                foreach (var offset in offsets)
                {
                    spoiled[magic + 14 + offset] ^= (byte)(offset * 37 + 1);
                }

                var problems = new List<string>();
                GoBuildInfo.Read("bin/app", new MemoryStream(spoiled), problems);
            },
            iter: 200);
    }

    /// <summary>An ELF-looking file with a build-info header at <paramref name="at"/> (none when negative).</summary>
    private static byte[] FakeElf(byte flags, int at)
    {
        var bytes = new byte[300_000];
        bytes[0] = 0x7f;
        "ELF"u8.CopyTo(bytes.AsSpan(1));
        if (at >= 0)
        {
            bytes[at] = 0xff;
            " Go buildinf:"u8.CopyTo(bytes.AsSpan(at + 1));
            bytes[at + 14] = 8;
            bytes[at + 15] = flags;
        }

        return bytes;
    }

    /// <summary>A forward-only stream that hands out its bytes a few at a time, as a decompressor may.</summary>
    private sealed class TrickleStream(byte[] data, int seed) : Stream
    {
        private readonly Random _random = new(seed);
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, _random.Next(1, 40)), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
