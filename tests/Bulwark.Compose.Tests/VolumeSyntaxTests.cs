using Bulwark.Parsing.Compose;
using Xunit;

namespace Bulwark.Compose.Tests;

/// <summary>Cases of compose-go's <c>format/volume_test.go</c> (compose-spec/compose-go), inputs and expected outputs as facts.</summary>
public sealed class VolumeSyntaxTests
{
    private static ShortVolume Parse(string spec)
    {
        var volume = ComposeVolumeSyntax.Parse(spec, out var error);
        Assert.True(volume is not null, $"{spec}: {error}");
        return volume!;
    }

    private static ShortVolume Bind(string source, string target, bool readOnly = false, string? propagation = null, string? seLinux = null) =>
        new() { Type = "bind", Source = source, Target = target, ReadOnly = readOnly, Propagation = propagation, SeLinux = seLinux };

    [Theory]
    [InlineData("/path")]
    [InlineData("/path/foo")]
    [InlineData("C:\\path")]
    [InlineData("Z:\\path\\foo")]
    public void AnonymousVolume(string path) => Assert.Equal(new ShortVolume { Type = "volume", Target = path }, Parse(path));

    [Fact]
    public void TooManyColons()
    {
        Assert.Null(ComposeVolumeSyntax.Parse("/foo:/foo:ro:foo", out var error));
        Assert.Equal("invalid spec: /foo:/foo:ro:foo: too many colons", error);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("/a")]
    public void ShortVolumes(string path) => Assert.Equal(new ShortVolume { Type = "volume", Target = path }, Parse(path));

    [Theory]
    [InlineData(":foo")]
    [InlineData("/foo::ro")]
    public void MissingSource(string spec)
    {
        Assert.Null(ComposeVolumeSyntax.Parse(spec, out var error));
        Assert.Contains("empty section between colons", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./foo")]
    [InlineData("~/thing")]
    [InlineData("../other")]
    [InlineData("/foo")]
    [InlineData("/home/user")]
    public void BindMount(string path) => Assert.Equal(Bind(path, "/target"), Parse(path + ":/target"));

    [Theory]
    [InlineData("./foo")]
    [InlineData("~/thing")]
    [InlineData("../other")]
    [InlineData("D:\\path")]
    [InlineData("/home/user")]
    public void RelativeBindMountWindows(string path) => Assert.Equal(Bind(path, "d:\\target"), Parse(path + ":d:\\target"));

    [Fact]
    public void BindOptions() => Assert.Equal(Bind("/source", "/target", propagation: "slave"), Parse("/source:/target:slave"));

    [Fact]
    public void BindOptionsSELinuxShared() => Assert.Equal(Bind("/source", "/target", readOnly: true, seLinux: "z"), Parse("/source:/target:ro,z"));

    [Fact]
    public void BindOptionsSELinuxPrivate() => Assert.Equal(Bind("/source", "/target", readOnly: true, seLinux: "Z"), Parse("/source:/target:ro,Z"));

    [Fact]
    public void BindOptionsWindows() =>
        Assert.Equal(Bind("C:\\source\\foo", "D:\\target", readOnly: true, propagation: "rprivate"), Parse("C:\\source\\foo:D:\\target:ro,rprivate"));

    [Fact]
    public void InvalidVolumeOptionsAreIgnored() => Assert.NotNull(ComposeVolumeSyntax.Parse("name:/target:bogus", out _));

    [Fact]
    public void VolumeOptions() =>
        Assert.Equal(new ShortVolume { Type = "volume", Source = "name", Target = "/target", NoCopy = true }, Parse("name:/target:nocopy"));

    [Theory]
    [InlineData("./foo")]
    [InlineData("/home/user")]
    public void ReadOnly(string path) => Assert.Equal(Bind(path, "/target", readOnly: true), Parse(path + ":/target:ro"));

    [Theory]
    [InlineData("./foo")]
    [InlineData("/home/user")]
    public void ReadWrite(string path) => Assert.Equal(Bind(path, "/target"), Parse(path + ":/target:rw"));

    [Fact]
    public void WindowsNamedPipe() =>
        Assert.Equal(Bind(@"\\.\pipe\docker_engine", @"\\.\pipe\inside"), Parse(@"\\.\pipe\docker_engine:\\.\pipe\inside"));

    [Fact]
    public void IsFilePath_does_not_take_a_letter_and_a_wide_character_for_a_drive() => Assert.False(ComposeVolumeSyntax.IsFilePath("a界"));

    // TestParseVolumeSplitCases: whether the spec has a source (its expected split has more than one part).
    [Theory]
    [InlineData(@"C:\foo:d:", true)]
    [InlineData(@":C:\foo:d:", false)]
    [InlineData(@"/foo:/bar:ro", true)]
    [InlineData(@"C:\foo\:/foo", true)]
    [InlineData(@"d:\", false)]
    [InlineData(@"d:", false)]
    [InlineData(@"d:\path", false)]
    [InlineData(@"d:\path with space", false)]
    [InlineData(@"d:\pathandmode:rw", true)]
    [InlineData(@"c:\:d:\", true)]
    [InlineData(@"c:\windows\:d:", true)]
    [InlineData(@"c:\windows:d:\s p a c e", true)]
    [InlineData(@"c:\windows:d:\s p a c e:RW", true)]
    [InlineData(@"c:\program files:d:\s p a c e i n h o s t d i r", true)]
    [InlineData(@"0123456789name:d:", true)]
    [InlineData(@"MiXeDcAsEnAmE:d:", true)]
    [InlineData(@"name:D:", true)]
    [InlineData(@"name:D::rW", true)]
    [InlineData(@"name:D::RW", true)]
    [InlineData(@"c:/:d:/forward/slashes/are/good/too", true)]
    [InlineData(@"c:\Windows", false)]
    [InlineData(@"c:\Program Files (x86)", false)]
    [InlineData(@"", false)]
    [InlineData(@".", false)]
    [InlineData(@"..\", false)]
    [InlineData(@"c:\:..\", true)]
    [InlineData(@"c:\:d:\:xyzzy", true)]
    [InlineData(@"/tmp/x/y:/foo/x/y", true)]
    public void SplitCases(string spec, bool hasSource)
    {
        var volume = ComposeVolumeSyntax.Parse(spec, out _);
        Assert.Equal(hasSource, volume is { Source.Length: > 0 });
    }

    [Fact]
    public void InvalidEmptySpec()
    {
        Assert.Null(ComposeVolumeSyntax.Parse(string.Empty, out var error));
        Assert.Contains("invalid empty volume spec", error, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidSections()
    {
        Assert.Null(ComposeVolumeSyntax.Parse("/foo::rw", out var error));
        Assert.Contains("invalid spec", error, StringComparison.Ordinal);
    }

    // TestParseVolumeWithVariableDefaultValue(Windows) and TestParseVolumeWithNestedBraces: colons inside ${...} do not split.
    [Theory]
    [InlineData("/tmp:/tmp/${BUG_HERE:-DEFAULT}/path", "/tmp", "/tmp/${BUG_HERE:-DEFAULT}/path", false)]
    [InlineData("/tmp/${VAR:-default}:/target", "/tmp/${VAR:-default}", "/target", false)]
    [InlineData("/src/${SRC:-default}:/dst/${DST:-value}", "/src/${SRC:-default}", "/dst/${DST:-value}", false)]
    [InlineData("/tmp:/tmp/${VAR:-}/path", "/tmp", "/tmp/${VAR:-}/path", false)]
    [InlineData("/tmp:/tmp/${VAR:-default/path/value}/file", "/tmp", "/tmp/${VAR:-default/path/value}/file", false)]
    [InlineData("/tmp:/tmp/${VAR1:-val1}/${VAR2:-val2}/path", "/tmp", "/tmp/${VAR1:-val1}/${VAR2:-val2}/path", false)]
    [InlineData("/tmp:/tmp/${VAR:-default}/path:ro", "/tmp", "/tmp/${VAR:-default}/path", true)]
    [InlineData("/tmp:/tmp/${WORKS_AS_EXPECTED}/path", "/tmp", "/tmp/${WORKS_AS_EXPECTED}/path", false)]
    [InlineData("/tmp:/tmp/${VAR1:-default}/${VAR2}/path", "/tmp", "/tmp/${VAR1:-default}/${VAR2}/path", false)]
    [InlineData("/tmp:/tmp/${TIME:-12:30:45}/path", "/tmp", "/tmp/${TIME:-12:30:45}/path", false)]
    [InlineData("C:\\source:D:\\target\\${VAR:-default}\\path", "C:\\source", "D:\\target\\${VAR:-default}\\path", false)]
    [InlineData("C:\\src\\${VAR:-default}:D:\\target", "C:\\src\\${VAR:-default}", "D:\\target", false)]
    [InlineData("C:\\source:D:\\${VAR:-default}\\path:ro", "C:\\source", "D:\\${VAR:-default}\\path", true)]
    [InlineData("/tmp:/tmp/${VAR:-{default}}/path", "/tmp", "/tmp/${VAR:-{default}}/path", false)]
    [InlineData("/tmp:/tmp/path/${VAR:-default}", "/tmp", "/tmp/path/${VAR:-default}", false)]
    [InlineData("/tmp:/${VAR:-default}/path", "/tmp", "/${VAR:-default}/path", false)]
    public void VariableDefaultValues(string spec, string source, string target, bool readOnly) =>
        Assert.Equal(Bind(source, target, readOnly: readOnly), Parse(spec));

    [Fact]
    public void NamedVolumeWithVariableDefaultInTarget() =>
        Assert.Equal(new ShortVolume { Type = "volume", Source = "myvolume", Target = "/data/${VAR:-default}/path" }, Parse("myvolume:/data/${VAR:-default}/path"));

    [Fact]
    public void VariableDefaultValueAndBindOptions() =>
        Assert.Equal(Bind("/src", "/target/${VAR:-default}/path", readOnly: true, propagation: "slave"), Parse("/src:/target/${VAR:-default}/path:slave,ro"));
}
