using Bulwark.Images.Storage;

namespace Bulwark.Images.Layers;

/// <summary>
/// Turns a layer's raw entries (from a tar or a folder) into <see cref="LayerContents"/>: normalises paths, refuses
/// what would escape the root, separates whiteout markers, and hands wanted files to the analysers.
/// </summary>
internal sealed class LayerContentsBuilder(ImageLayerInfo layer, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options, bool interpretWhiteouts)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    private readonly List<LayerEntry> _entries = [];
    private readonly List<string> _whiteouts = [];
    private readonly List<string> _opaque = [];
    private readonly List<string> _warnings = [];
    private readonly List<LayerFileResult> _results = [];

    /// <summary>
    /// Adds one entry. <paramref name="openContent"/> opens a regular file's bytes; it is called only when an
    /// analyser wants the file.
    /// </summary>
    public void Add(string rawPath, LayerEntryKind kind, long size, UnixFileMode mode, int? uid, int? gid, string? linkTarget, DateTimeOffset modified, Func<Stream>? openContent)
    {
        var path = ArchivePath.Normalize(rawPath)
            ?? throw new ImageReadException($"{layer}: entry \"{rawPath}\" climbs out of the image root (path traversal)");
        if (path.Length == 0)
        {
            return;
        }

        // Whiteouts are held too, so they count.
        if (_entries.Count + _whiteouts.Count + _opaque.Count >= options.MaxLayerEntries)
        {
            throw new ImageReadException($"{layer}: more than {options.MaxLayerEntries} entries, the bound for one layer");
        }

        var slash = path.LastIndexOf('/');
        var name = slash < 0 ? path : path[(slash + 1)..];
        var parent = slash < 0 ? string.Empty : path[..slash];
        if (interpretWhiteouts && name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            if (name == OpaqueMarker)
            {
                _opaque.Add(parent);
            }
            else
            {
                var hidden = name[WhiteoutPrefix.Length..];
                _whiteouts.Add(parent.Length == 0 ? hidden : parent + "/" + hidden);
            }

            return;
        }

        if (kind == LayerEntryKind.HardLink)
        {
            // A hard link names an earlier entry by its path in the layer: outside the root there is nothing to name.
            linkTarget = ArchivePath.Normalize(linkTarget ?? string.Empty) is { Length: > 0 } target
                ? target
                : throw new ImageReadException($"{layer}: hard link \"{rawPath}\" points outside the image root (\"{linkTarget}\")");
        }
        else if (kind == LayerEntryKind.SymbolicLink && linkTarget is not null && !StaysInside(path, linkTarget))
        {
            // Inside a container ".." stops at "/", so the link is legal; a tool on the host following it would leave
            // the image, so it is recorded and never followed.
            _warnings.Add($"{layer}: symbolic link \"{path}\" points outside the image root (\"{linkTarget}\"); recorded, not followed");
        }

        var entry = new LayerEntry(path, kind, size, mode, uid, gid, linkTarget, modified);
        _entries.Add(entry);
        if (kind == LayerEntryKind.File && openContent is not null && size <= options.MaxFileContentSize)
        {
            Analyze(entry, openContent);
        }
    }

    public void Warn(string warning) => _warnings.Add(warning);

    public LayerContents Build() => new(layer, _entries, _whiteouts, _opaque, _warnings, _results);

    private static bool StaysInside(string path, string target)
    {
        if (target.StartsWith('/'))
        {
            return ArchivePath.Normalize(target) is not null;
        }

        var slash = path.LastIndexOf('/');
        return ArchivePath.Normalize(slash < 0 ? target : path[..slash] + "/" + target) is not null;
    }

    private void Analyze(LayerEntry entry, Func<Stream> openContent)
    {
        List<ILayerFileAnalyzer>? wanting = null;
        foreach (var analyzer in analyzers)
        {
            if (analyzer.Wants(entry))
            {
                (wanting ??= []).Add(analyzer);
            }
        }

        if (wanting is null)
        {
            return;
        }

        using var content = openContent();
        if (wanting.Count == 1)
        {
            Keep(wanting[0], entry, wanting[0].Analyze(layer, entry, content));
            return;
        }

        // The layer streams past once, so a file several analysers want is held (it is within MaxFileContentSize).
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        foreach (var analyzer in wanting)
        {
            Keep(analyzer, entry, analyzer.Analyze(layer, entry, new MemoryStream(copy.GetBuffer(), 0, (int)copy.Length, writable: false)));
        }
    }

    private void Keep(ILayerFileAnalyzer analyzer, LayerEntry entry, object? result)
    {
        if (result is not null)
        {
            _results.Add(new LayerFileResult(analyzer.Id, entry.Path, result));
        }
    }
}
