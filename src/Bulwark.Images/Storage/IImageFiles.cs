namespace Bulwark.Images.Storage;

/// <summary>
/// The files an image is stored in (manifest.json, index.json, blobs), addressed by slash-separated paths relative
/// to the archive or folder root, whichever holds them. Paths never leave that root.
/// </summary>
internal interface IImageFiles : IDisposable
{
    /// <summary>The archive or folder, for messages.</summary>
    string Description { get; }

    bool Exists(string path);

    /// <summary>The size of the file at <paramref name="path"/>, after following links inside the root.</summary>
    long SizeOf(string path);

    /// <summary>Opens the file for reading; several may be open at once, each with its own position.</summary>
    Stream Open(string path);
}
