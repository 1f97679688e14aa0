namespace Bulwark.Images;

/// <summary>
/// An image (or one of its layers) could not be read: a missing or malformed file, a hostile entry, a digest that
/// does not match, a decompression bomb. The message names the image and, where it applies, the layer, so that a
/// scan can report it and go on with its other inputs.
/// </summary>
public sealed class ImageReadException : Exception
{
    public ImageReadException()
    {
    }

    public ImageReadException(string message)
        : base(message)
    {
    }

    public ImageReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
