namespace Bulwark.Images.Layers;

/// <summary>
/// An unpacked root filesystem (<c>dir:</c>) read as a single layer. Links are listed, never followed (a folder
/// named <c>etc</c> that links to the host's <c>/etc</c> is not descended into). Owner ids are not available from
/// .NET without native calls and are left null. Whiteout names are ordinary files here: no lower layer exists.
/// </summary>
internal sealed class DirectoryLayer(ImageLayerInfo info, string root) : IImageLayer
{
    public ImageLayerInfo Info => info;

    public LayerContents Read(IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(analyzers);
        ArgumentNullException.ThrowIfNull(options);
        var builder = new LayerContentsBuilder(info, analyzers, options, interpretWhiteouts: false);
        var rootInfo = new DirectoryInfo(root);
        if (!rootInfo.Exists)
        {
            throw new ImageReadException($"{info}: no such folder");
        }

        Walk(rootInfo, string.Empty, builder);
        return builder.Build();
    }

    private void Walk(DirectoryInfo directory, string prefix, LayerContentsBuilder builder)
    {
        List<FileSystemInfo> items;
        try
        {
            // Ordinal order, so the listing does not depend on the host file system's.
            items = [.. directory.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // A root filesystem unpacked by root and read by a user has folders the user cannot list (/root):
            // the rest of the tree is still worth reading.
            builder.Warn($"{info}: {(prefix.Length == 0 ? "the root folder" : prefix)} cannot be listed ({e.Message}); skipped");
            return;
        }

        foreach (var item in items)
        {
            var path = prefix.Length == 0 ? item.Name : prefix + "/" + item.Name;
            var mode = item.UnixFileMode;
            var modified = new DateTimeOffset(item.LastWriteTimeUtc);
            if (item.LinkTarget is { } target)
            {
                builder.Add(path, LayerEntryKind.SymbolicLink, 0, mode, null, null, target, modified, null);
            }
            else if (item is DirectoryInfo sub)
            {
                builder.Add(path, LayerEntryKind.Directory, 0, mode, null, null, null, modified, null);
                Walk(sub, path, builder);
            }
            else if (item is FileInfo file)
            {
                // .NET does not tell a FIFO or device from a file, and opening a FIFO blocks; they all have size 0,
                // so a file of size 0 is never opened: its content is empty either way.
                var size = file.Length;
                var fullName = file.FullName;
                try
                {
                    builder.Add(path, LayerEntryKind.File, size, mode, null, null, null, modified,
                        size == 0 ? () => Stream.Null : () => new FileStream(fullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
                }
                catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                {
                    builder.Warn($"{info}: {path} cannot be read ({e.Message}); listed, not analysed");
                }
            }
        }
    }
}
