namespace Bulwark.Images;

/// <summary>Opening a file the user named (an SBOM, a VEX document), with the failure worded as every reader reports it.</summary>
internal static class InputFiles
{
    /// <summary>The file, open for reading; an <see cref="InvalidDataException"/> naming it when it cannot be opened.</summary>
    public static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read: {e.Message}", e);
        }
    }
}
