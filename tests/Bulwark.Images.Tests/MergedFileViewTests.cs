using Bulwark.Images.Layers;
using Bulwark.Images.Merging;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>Layer application as OCI image-spec layer.md describes it.</summary>
public sealed class MergedFileViewTests
{
    [Fact]
    public void Whiteouts_delete_lower_files_and_whole_directories()
    {
        var view = MergedFileView.Merge(
        [
            Layer(0, ["etc/passwd", "app/key.pem", "app/conf/a", "app/conf/b", "app/conflict"]),
            Layer(1, [], whiteouts: ["app/key.pem", "app/conf"]),
        ]);

        Assert.Equal(["app", "app/conflict", "etc", "etc/passwd"], Paths(view));
    }

    [Fact]
    public void An_opaque_directory_hides_lower_children_but_not_its_own_layer_s()
    {
        var view = MergedFileView.Merge(
        [
            Layer(0, ["opt/old/x", "opt/keep", "optional/y"]),
            Layer(1, ["opt/new"], opaque: ["opt"]),
        ]);

        Assert.Equal(["opt", "opt/new", "optional", "optional/y"], Paths(view));
        Assert.Equal(1, view.Files["opt/new"].LayerIndex);
    }

    [Fact]
    public void A_whiteout_does_not_delete_a_file_the_same_layer_adds_and_an_upper_layer_can_add_it_back()
    {
        var view = MergedFileView.Merge(
        [
            Layer(0, ["a/x"]),
            Layer(1, ["a/x"], whiteouts: ["a/x"]),
            Layer(2, [], whiteouts: ["a/x"]),
            Layer(3, ["a/x"]),
        ]);

        Assert.Equal(3, view.Files["a/x"].LayerIndex);
    }

    [Fact]
    public void A_file_replacing_a_directory_hides_the_directory_s_children()
    {
        var lower = Layer(0, ["usr/lib/x", "usr/lib/y"]);
        var upper = new LayerContents(Info(1), [Entry("usr/lib", LayerEntryKind.SymbolicLink)], [], [], [], []);

        var view = MergedFileView.Merge([lower, upper]);

        Assert.Equal(["usr", "usr/lib"], Paths(view));
        Assert.Equal(LayerEntryKind.SymbolicLink, view.Files["usr/lib"].Entry.Kind);
    }

    [Fact]
    public void An_opaque_root_hides_everything_below()
    {
        var view = MergedFileView.Merge([Layer(0, ["a/b", "c"]), Layer(1, ["d"], opaque: [""])]);

        Assert.Equal(["d"], Paths(view));
    }

    private static string[] Paths(MergedFileView view) => [.. view.Files.Keys.Order(StringComparer.Ordinal)];

    private static ImageLayerInfo Info(int index) => new("test", index, 4, null, null, null);

    private static LayerEntry Entry(string path, LayerEntryKind kind) => new(path, kind, 0, UnixFileMode.UserRead, 0, 0, kind == LayerEntryKind.SymbolicLink ? "lib64" : null, DateTimeOffset.UnixEpoch);

    /// <summary>A layer with these files and their parent directories, as a tar would list them.</summary>
    private static LayerContents Layer(int index, string[] files, string[]? whiteouts = null, string[]? opaque = null)
    {
        var directories = files.SelectMany(f => Enumerable.Range(1, f.Count(c => c == '/')).Select(n => string.Join('/', f.Split('/').Take(n)))).Distinct(StringComparer.Ordinal);
        var entries = directories.Select(d => Entry(d, LayerEntryKind.Directory)).Concat(files.Select(f => Entry(f, LayerEntryKind.File))).ToList();
        return new LayerContents(Info(index), entries, whiteouts ?? [], opaque ?? [], [], []);
    }
}
