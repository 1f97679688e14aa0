using Bulwark.Images.Layers;

namespace Bulwark.Images.Merging;

/// <summary>
/// The image's final file system as a container sees it, without extracting anything: layers applied bottom to top,
/// each first hiding what its opaque directories and whiteouts delete from the layers below (OCI image-spec layer.md:
/// both apply to lower layers only, whatever their order in the tar), then adding its own entries.
/// </summary>
public sealed class MergedFileView
{
    private readonly Dictionary<string, MergedFile> _files = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, MergedFile> Files => _files;

    public static MergedFileView Merge(IEnumerable<LayerContents> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var view = new MergedFileView();
        foreach (var layer in layers)
        {
            view.Apply(layer);
        }

        return view;
    }

    /// <summary>Applies the next layer up.</summary>
    public void Apply(LayerContents layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var deleted = new HashSet<string>(layer.Whiteouts, StringComparer.Ordinal);
        var opaque = new HashSet<string>(layer.OpaqueDirectories, StringComparer.Ordinal);
        // A file replacing a lower directory hides that directory's children, as overlayfs does.
        foreach (var entry in layer.Entries)
        {
            if (entry.Kind != LayerEntryKind.Directory && _files.TryGetValue(entry.Path, out var lower) && lower.Entry.Kind == LayerEntryKind.Directory)
            {
                opaque.Add(entry.Path);
            }
        }

        if (deleted.Count > 0 || opaque.Count > 0)
        {
            // One pass over the view per layer, looking each path's ancestors up, rather than one pass per whiteout.
            var hidden = _files.Keys.Where(path => deleted.Contains(path) || HasAncestorIn(path, deleted) || HasAncestorIn(path, opaque)).ToList();
            foreach (var path in hidden)
            {
                _files.Remove(path);
            }
        }

        foreach (var entry in layer.Entries)
        {
            _files[entry.Path] = new MergedFile(entry, layer.Layer.Index);
        }
    }

    private static bool HasAncestorIn(string path, HashSet<string> directories)
    {
        if (directories.Count == 0)
        {
            return false;
        }

        // The root itself can be opaque ("/.wh..wh..opq"): everything below is hidden.
        if (directories.Contains(string.Empty))
        {
            return true;
        }

        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            if (directories.Contains(path[..slash]))
            {
                return true;
            }
        }

        return false;
    }
}
