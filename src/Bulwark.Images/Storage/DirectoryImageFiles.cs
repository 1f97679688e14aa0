namespace Bulwark.Images.Storage;

/// <summary>
/// The files of an OCI layout folder. A blob that is a link is followed only while it stays inside the folder, and
/// folders on the way may not be links: a hostile layout cannot make Bulwark read <c>/etc/shadow</c> as a layer.
/// </summary>
internal sealed class DirectoryImageFiles(string root) : IImageFiles
{
    private readonly string _root = Path.GetFullPath(root);

    public string Description => root;

    public bool Exists(string path) => TryResolve(path) is { } full && File.Exists(full);

    public long SizeOf(string path) => new FileInfo(Resolve(path)).Length;

    public Stream Open(string path) =>
        new FileStream(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    public void Dispose()
    {
    }

    private string Resolve(string path) =>
        TryResolve(path) is { } full && File.Exists(full)
            ? full
            : throw new ImageReadException($"{root}: {path} is not in the folder (or leads outside it)");

    private string? TryResolve(string path)
    {
        if (ArchivePath.Normalize(path) is not { Length: > 0 } relative)
        {
            return null;
        }

        // A folder on the way that is a link (blobs -> /) would lead out as surely as a linked file.
        var parts = relative.Split('/');
        var walked = _root;
        foreach (var part in parts[..^1])
        {
            walked = Path.Combine(walked, part);
            if (new DirectoryInfo(walked).LinkTarget is not null)
            {
                return null;
            }
        }

        var full = Path.Combine(_root, relative);
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            var final = info.ResolveLinkTarget(returnFinalTarget: true);
            if (final is null)
            {
                return null;
            }

            full = final.FullName;
        }

        return Inside(full) ? full : null;
    }

    private bool Inside(string full) =>
        full.StartsWith(_root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
