using System.Text;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Packages;

/// <summary>A package and the layer that added it (the lowest layer whose database already lists it).</summary>
public sealed record LocatedPackage(InstalledPackage Package, int LayerIndex, string? LayerDiffId);

/// <summary>What an image has installed: its distribution and packages as its final file view records them.</summary>
public sealed record ImageInventory(OperatingSystem? OperatingSystem, IReadOnlyList<LocatedPackage> Packages, IReadOnlyList<string> Problems);

/// <summary>What one package database or os-release file of one layer records.</summary>
public sealed record PackageFileRecord(IReadOnlyList<InstalledPackage> Packages, OperatingSystem? OperatingSystem, IReadOnlyList<string> Problems);

/// <summary>
/// Reads package databases and os-release files as the layers stream past (each layer once), returning what each
/// layer's version of each file records. The inventory is the final file view's: a database a later layer rewrote
/// counts as rewritten, one it deleted not at all.
/// </summary>
public sealed class PackageAnalyzer : LayerFileAnalyzer<PackageFileRecord>
{
    public override string Id => "packages/1";

    public override bool Wants(LayerEntry entry) =>
        PackageCatalog.Wants(entry) || (OperatingSystem.Files.Contains(entry.Path) && entry.Size <= PackageCatalog.MaxFileBytes);

    public override PackageFileRecord Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content)
    {
        var problems = new List<string>();
        if (OperatingSystem.Files.Contains(entry.Path))
        {
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            return new PackageFileRecord([], OperatingSystem.FromFile(entry.Path, Encoding.UTF8.GetString(buffer.ToArray())), problems);
        }

        return new PackageFileRecord(PackageCatalog.Read(entry, content, problems), null, problems);
    }

    /// <summary>The inventory of <paramref name="contents"/>, read with this analyser.</summary>
    public ImageInventory Inventory(ImageContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var recorded = ResultsIn(contents).ToDictionary(r => (r.Layer.Layer.Index, r.Path), r => r.Value);
        var diffIds = contents.Layers.ToDictionary(l => l.Layer.Index, l => l.Layer.DiffId);
        var final = contents.Files.Files;
        var packages = new List<LocatedPackage>();
        var problems = new List<string>();
        foreach (var ((layer, path), record) in recorded.OrderBy(r => r.Key.Path, StringComparer.Ordinal))
        {
            if (!final.TryGetValue(path, out var file) || file.LayerIndex != layer)
            {
                continue; // deleted or rewritten above: not what the image has
            }

            problems.AddRange(record.Problems.Select(p => $"layer {layer + 1}: {p}"));
            foreach (var package in record.Packages)
            {
                var added = Enumerable.Range(0, layer + 1)
                    .First(l => l == layer || (recorded.TryGetValue((l, path), out var earlier) && earlier.Packages.Any(p => SamePackage(p, package))));
                packages.Add(new LocatedPackage(package, added, diffIds.GetValueOrDefault(added)));
            }
        }

        var os = OperatingSystem.Files
            .Select(f => final.TryGetValue(f, out var file) && recorded.TryGetValue((file.LayerIndex, f), out var record) ? record.OperatingSystem : null)
            .FirstOrDefault(o => o is not null);
        return new ImageInventory(os, packages, problems);
    }

    private static bool SamePackage(InstalledPackage a, InstalledPackage b) =>
        a.Type == b.Type && a.Name == b.Name && a.Version == b.Version && a.Architecture == b.Architecture;
}
