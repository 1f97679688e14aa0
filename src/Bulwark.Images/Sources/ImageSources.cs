using Bulwark.Images.Storage;

namespace Bulwark.Images.Sources;

/// <summary>Opens an image from where an <see cref="ImageReference"/> says it is.</summary>
public static class ImageSources
{
    public static IImageSource Open(ImageReference reference, ImageReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        try
        {
            return OpenSource(reference, options ?? ImageReadOptions.Default);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageReadException($"{reference}: {e.Message}", e);
        }
    }

    private static IImageSource OpenSource(ImageReference reference, ImageReadOptions options)
    {
        switch (reference.Kind)
        {
            case ImageSourceKind.DockerArchive:
                return WithFiles(TarImageFiles.Open(reference.Location, options), files => DockerArchiveSource.Open(reference, files, options));
            case ImageSourceKind.OciArchive:
                return WithFiles(TarImageFiles.Open(reference.Location, options), files => OciLayoutSource.Open(reference, files, options));
            case ImageSourceKind.OciDirectory:
                if (!Directory.Exists(reference.Location))
                {
                    throw new ImageReadException($"{reference}: no such folder");
                }

                return WithFiles(new DirectoryImageFiles(reference.Location), files => OciLayoutSource.Open(reference, files, options));
            case ImageSourceKind.Directory:
                return Directory.Exists(reference.Location)
                    ? new DirectorySource(reference)
                    : throw new ImageReadException($"{reference}: no such folder");
            case ImageSourceKind.Docker:
                return DockerEngineSource.Open(reference, options);
            case ImageSourceKind.Registry:
                return RegistrySource.Open(reference, options);
            default:
                return OpenName(reference, options);
        }
    }

    /// <summary>
    /// A bare name: the engine first (a local build or pull is what the user most likely means, and it is the faster
    /// read), then the registry. The source's <see cref="IImageSource.Reference"/> says which was used.
    /// </summary>
    private static IImageSource OpenName(ImageReference reference, ImageReadOptions options)
    {
        ImageReadException fromEngine;
        try
        {
            return DockerEngineSource.Open(reference with { Kind = ImageSourceKind.Docker }, options);
        }
        catch (ImageReadException e)
        {
            fromEngine = e;
        }

        try
        {
            return RegistrySource.Open(reference with { Kind = ImageSourceKind.Registry }, options);
        }
        catch (ImageReadException e)
        {
            throw new ImageReadException(
                $"{reference}: no such file or folder, and no image by that name: not in the engine ({fromEngine.Message}); not in the registry ({e.Message})", e);
        }
    }

    private static IImageSource WithFiles(IImageFiles files, Func<IImageFiles, IImageSource> open)
    {
        try
        {
            return open(files);
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }
}
