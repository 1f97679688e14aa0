using System.Globalization;
using Bulwark.Images.Layers;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// A real Debian 12 image in every form Bulwark reads from files lists the packages dpkg itself lists for the root
/// filesystem it was made from, and its merged file view is that root filesystem's file list as <c>find</c> sees it.
/// </summary>
[Collection(DebianImage.Collection)]
public sealed class DebianImageTests(DebianImage debian)
{
    private const string DpkgFormat = "${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n";

    [SkippableFact]
    public void Every_form_lists_exactly_the_packages_dpkg_query_lists()
    {
        debian.Require();
        ImageTools.Require(ImageTools.Missing("dpkg-query"), "dpkg");
        var expected = ImageTools.Run("dpkg-query", "--admindir=" + Path.Combine(debian.RootFilesystem, "var/lib/dpkg"), "-W", "-f", DpkgFormat)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(field => field[0] == "installed")
            .Select(field => $"{field[1]} {field[2]} {field[3]} source {field[4]} {field[5]}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(expected.Count > 50, $"dpkg-query lists only {expected.Count} installed packages in a minbase system");
        Assert.Equal(4, debian.Forms.Count);

        foreach (var form in debian.Forms.Keys)
        {
            var inventory = debian.Read(form).Inventory;
            var deb = inventory.Packages.Where(p => p.Package.Type == "deb").ToList();
            var actual = deb
                .Select(p => p.Package)
                .Select(p => $"{p.Name} {p.Version} {p.Architecture} source {p.SourceName ?? p.Name} {p.SourceVersion ?? p.Version}")
                .Order(StringComparer.Ordinal)
                .ToList();

            Assert.True(inventory.Problems.Count == 0, $"{form}: {string.Join('\n', inventory.Problems)}");
            Assert.True(expected.SequenceEqual(actual), $"{form}: the packages differ from dpkg-query's\n{Difference(expected, actual)}");
            Assert.All(deb, p => Assert.Equal((0, "var/lib/dpkg/status"), (p.LayerIndex, p.Package.RecordedIn)));
        }
    }

    [SkippableFact]
    public void Every_form_gives_the_same_inventory_on_Debian_12()
    {
        debian.Require();
        var reference = Describe(debian.Read("docker-archive").Inventory);

        foreach (var form in debian.Forms.Keys)
        {
            var inventory = debian.Read(form).Inventory;
            Assert.Equal(new Bulwark.Images.Packages.OperatingSystem("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)"), inventory.OperatingSystem);
            var described = Describe(inventory);
            Assert.True(reference.SequenceEqual(described), $"{form}: the inventory differs from the docker-archive's\n{Difference(reference, described)}");
        }
    }

    [SkippableFact]
    public void The_archives_carry_the_layer_podman_build_added_and_its_config()
    {
        debian.Require();
        foreach (var form in debian.Forms.Keys.Where(f => f != "dir"))
        {
            var scan = debian.Read(form);
            var config = scan.Config!;

            Assert.Equal(2, scan.Contents.Layers.Count);
            Assert.Equal(2, config.DiffIds.Count);
            Assert.Equal("1000:1000", config.User);
            Assert.Contains("APP_HOME=/app", config.Env);
            Assert.Equal(["bash"], config.Cmd);
            Assert.Equal(("linux", "amd64"), (config.OperatingSystem, config.Architecture));
            Assert.Equal(1, scan.Contents.Files.Files["app/hello.txt"].LayerIndex);
            Assert.Equal(0, scan.Contents.Files.Files["usr/bin/dpkg"].LayerIndex);
        }

        Assert.Null(debian.Read("dir").Config);
        Assert.Single(debian.Read("dir").Contents.Layers);
    }

    /// <summary>
    /// The merged view against <c>find</c> over the folder the image was made from (plus, in the archives, the files
    /// the layer on top copied in): every path, its kind, a regular file's size and mode, a link's target, and in the
    /// archives the owner. The folder form cannot tell devices, FIFOs or hard links from files (.NET does not say),
    /// so there they are files; in the archives a hard-linked file may be a hard-link entry.
    /// </summary>
    [SkippableFact]
    public void Every_forms_merged_view_is_the_folders_file_list()
    {
        debian.Require();
        var root = Find(debian.RootFilesystem);
        Assert.True(root.Count > 3000, $"find lists only {root.Count} entries in the root filesystem");
        Assert.Contains(root.Values, e => e.Type == 'c'); // debootstrap makes /dev/null and friends
        var layered = new Dictionary<string, FoundEntry>(root, StringComparer.Ordinal);
        foreach (var (path, entry) in Find(debian.TopLayerFiles))
        {
            layered[path] = entry with { Uid = 0, Gid = 0 }; // COPY without --chown makes root the owner
        }

        foreach (var form in debian.Forms.Keys)
        {
            var folder = form == "dir";
            var expected = folder ? root : layered;
            var view = debian.Read(form).Contents.Files.Files;
            var wrong = new List<string>();
            wrong.AddRange(expected.Keys.Except(view.Keys).Order(StringComparer.Ordinal).Select(p => "missing: " + p));
            wrong.AddRange(view.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).Select(p => "not in the folder: " + p));
            foreach (var (path, file) in view.Where(f => expected.ContainsKey(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var found = expected[path];
                var entry = file.Entry;
                if (!KindsAgree(found, entry.Kind, folder))
                {
                    wrong.Add($"{path}: find says '{found.Type}', the view {entry.Kind}");
                }
                else if (entry.Kind == LayerEntryKind.File && found.Type == 'f' && (entry.Size != found.Size || (int)entry.Mode != found.Mode))
                {
                    wrong.Add($"{path}: size {entry.Size}, mode {(int)entry.Mode:o}; find says {found.Size}, {found.Mode:o}");
                }
                else if (entry.Kind == LayerEntryKind.SymbolicLink && entry.LinkTarget != found.Link)
                {
                    wrong.Add($"{path}: links to {entry.LinkTarget}; find says {found.Link}");
                }
                else if (!folder && (entry.Uid, entry.Gid) != (found.Uid, found.Gid))
                {
                    wrong.Add($"{path}: owner {entry.Uid}:{entry.Gid}; find says {found.Uid}:{found.Gid}");
                }
            }

            Assert.True(wrong.Count == 0, $"{form}: {wrong.Count} differences from the folder, the first:\n{string.Join('\n', wrong.Take(30))}");
        }
    }

    private static bool KindsAgree(FoundEntry found, LayerEntryKind kind, bool folder) => (found.Type, kind) switch
    {
        ('d', LayerEntryKind.Directory) or ('l', LayerEntryKind.SymbolicLink) or ('f', LayerEntryKind.File) => true,
        ('f', LayerEntryKind.HardLink) => !folder && found.Links > 1,
        ('c' or 'b' or 'p', LayerEntryKind.File) => folder,
        ('c', LayerEntryKind.CharacterDevice) or ('b', LayerEntryKind.BlockDevice) or ('p', LayerEntryKind.Fifo) => !folder,
        _ => false,
    };

    /// <summary>Every entry under <paramref name="folder"/> as GNU find describes it, by path relative to it.</summary>
    private static Dictionary<string, FoundEntry> Find(string folder)
    {
        var fields = ImageTools.Run("find", folder, "-mindepth", "1", "-printf", @"%P\0%y\0%s\0%m\0%l\0%U\0%G\0%n\0").Split('\0');
        var entries = new Dictionary<string, FoundEntry>(StringComparer.Ordinal);
        for (var i = 0; i + 8 <= fields.Length; i += 8)
        {
            entries[fields[i]] = new FoundEntry(fields[i + 1][0], long.Parse(fields[i + 2], CultureInfo.InvariantCulture), Convert.ToInt32(fields[i + 3], 8), fields[i + 4],
                int.Parse(fields[i + 5], CultureInfo.InvariantCulture), int.Parse(fields[i + 6], CultureInfo.InvariantCulture), int.Parse(fields[i + 7], CultureInfo.InvariantCulture));
        }

        return entries;
    }

    private static List<string> Describe(Bulwark.Images.Packages.ImageInventory inventory) =>
        [.. inventory.Packages
            .Select(p => $"{p.Package.Type} {p.Package.Name} {p.Package.Version} {p.Package.Architecture} {p.Package.SourceName} {p.Package.SourceVersion} {p.Package.License} {p.Package.RecordedIn}:{p.Package.Line} layer {p.LayerIndex}")
            .Order(StringComparer.Ordinal)];

    private static string Difference(IReadOnlyList<string> expected, IReadOnlyList<string> actual) =>
        string.Join('\n', expected.Except(actual).Select(e => "- " + e).Concat(actual.Except(expected).Select(a => "+ " + a)).Take(30));

    private sealed record FoundEntry(char Type, long Size, int Mode, string Link, int Uid, int Gid, int Links);

    [SkippableFact]
    public void The_stock_image_gives_no_secret_or_history_findings_only_the_missing_health_check()
    {
        debian.Require();
        foreach (var (name, form) in debian.Forms)
        {
            var result = Scanning.ImageCommandTests.Run("image", form, "--format", "json", "--no-cache");
            using var json = System.Text.Json.JsonDocument.Parse(result.Out);
            var findings = json.RootElement.GetProperty("findings").EnumerateArray()
                .Select(f => $"{f.GetProperty("slug").GetString()} {f.GetProperty("file").GetString()}:{f.GetProperty("line").GetInt32()}")
                .ToList();
            // dir: has no config, so not even the health check is judged.
            var expected = name == "dir" ? [] : new[] { $"healthcheck-missing {form}:0" };
            Assert.True(expected.SequenceEqual(findings), $"{name}: {string.Join(", ", findings)}");
            Assert.Empty(json.RootElement.GetProperty("errors").EnumerateArray());
        }
    }
}
