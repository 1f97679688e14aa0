namespace Bulwark.Images;

/// <summary>An image platform, <c>os/architecture[/variant]</c> as <c>--platform</c> takes it.</summary>
public sealed record ImagePlatform(string OperatingSystem, string Architecture, string? Variant = null)
{
    public static ImagePlatform Default { get; } = new("linux", "amd64");

    public static ImagePlatform Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            throw new FormatException($"platform \"{text}\" is not of the form os/architecture[/variant], e.g. linux/arm64");
        }

        return new ImagePlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>
    /// Whether an image of <paramref name="other"/>'s platform serves this request: a request without a variant takes
    /// any variant (linux/arm64 matches linux/arm64/v8), as container engines do.
    /// </summary>
    public bool Accepts(ImagePlatform other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(OperatingSystem, other.OperatingSystem, StringComparison.Ordinal)
            && string.Equals(Architecture, other.Architecture, StringComparison.Ordinal)
            && (Variant is null || string.Equals(Variant, other.Variant, StringComparison.Ordinal));
    }

    public override string ToString() => Variant is null ? $"{OperatingSystem}/{Architecture}" : $"{OperatingSystem}/{Architecture}/{Variant}";
}
