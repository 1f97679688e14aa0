using System.Collections.Concurrent;
using System.Text;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Packages;

/// <summary>A package and the layer that added it (the lowest layer whose database already lists it).</summary>
public sealed record LocatedPackage(InstalledPackage Package, int LayerIndex, string? LayerDiffId);

/// <summary>What an image has installed: its distribution and packages as its final file view records them.</summary>
public sealed record ImageInventory(OperatingSystem? OperatingSystem, IReadOnlyList<LocatedPackage> Packages, IReadOnlyList<string> Problems);

/// <summary>
/// Reads package databases and os-release files as the layers stream past (each layer once), keeping what each
/// layer's version of each file records. The inventory is the final file view's: a database a later layer rewrote
/// counts as rewritten, one it deleted not at all. Thread-safe, as parallel layer reading needs.
/// </summary>
public sealed class PackageAnalyzer : ILayerFileAnalyzer
{
    private readonly ConcurrentDictionary<(int Layer, string Path), Recorded> _recorded = new();
    private readonly ConcurrentDictionary<int, string?> _diffIds = new();

    private sealed record Recorded(List<InstalledPackage> Packages, OperatingSystem? OperatingSystem, List<string> Problems);

    public bool Wants(LayerEntry entry) =>
        PackageCatalog.Wants(entry) || (OperatingSystem.Files.Contains(entry.Path) && entry.Size <= PackageCatalog.MaxFileBytes);

    public void Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content)
    {
        var problems = new List<string>();
        Recorded recorded;
        if (OperatingSystem.Files.Contains(entry.Path))
        {
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            recorded = new Recorded([], OperatingSystem.FromFile(entry.Path, Encoding.UTF8.GetString(buffer.ToArray())), problems);
        }
        else
        {
            recorded = new Recorded(PackageCatalog.Read(entry, content, problems), null, problems);
        }

        _recorded[(layer.Index, entry.Path)] = recorded;
        _diffIds[layer.Index] = layer.DiffId;
    }

    /// <summary>The inventory of <paramref name="contents"/>, read with this analyser.</summary>
    public ImageInventory Inventory(ImageContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var final = contents.Files.Files;
        var packages = new List<LocatedPackage>();
        var problems = new List<string>();
        foreach (var ((layer, path), recorded) in _recorded.OrderBy(r => r.Key.Path, StringComparer.Ordinal))
        {
            if (!final.TryGetValue(path, out var file) || file.LayerIndex != layer)
            {
                continue; // deleted or rewritten above: not what the image has
            }

            problems.AddRange(recorded.Problems.Select(p => $"layer {layer + 1}: {p}"));
            foreach (var package in recorded.Packages)
            {
                var added = Enumerable.Range(0, layer + 1)
                    .First(l => l == layer || (_recorded.TryGetValue((l, path), out var earlier) && earlier.Packages.Any(p => SamePackage(p, package))));
                packages.Add(new LocatedPackage(package, added, _diffIds.GetValueOrDefault(added)));
            }
        }

        var os = OperatingSystem.Files
            .Where(f => final.TryGetValue(f, out var file) && _recorded.ContainsKey((file.LayerIndex, f)))
            .Select(f => _recorded[(final[f].LayerIndex, f)].OperatingSystem)
            .FirstOrDefault(o => o is not null);
        return new ImageInventory(os, packages, problems);
    }

    private static bool SamePackage(InstalledPackage a, InstalledPackage b) =>
        a.Type == b.Type && a.Name == b.Name && a.Version == b.Version && a.Architecture == b.Architecture;
}
