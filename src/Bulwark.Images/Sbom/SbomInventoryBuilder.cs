using System.Globalization;
using System.Text.Json;
using Bulwark.Images.Packages;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Sbom;

/// <summary>What one SBOM entry says about its package beyond its purl; null where the entry is silent.</summary>
internal sealed record SbomEntryDetails
{
    /// <summary>The name as the SBOM spells it (PyPI's purl name is normalised; the entry's name may be as installed).</summary>
    public string? Name { get; init; }

    public string? SourceName { get; init; }

    public string? SourceVersion { get; init; }

    public string? License { get; init; }

    public int? LayerIndex { get; init; }

    public string? LayerDiffId { get; init; }
}

/// <summary>
/// The inventory of one SBOM as its entries are read, whatever the format: the distribution it declares or its purls
/// imply, the packages, and the problems (entries that are no package Bulwark can match), with the bound on entries.
/// </summary>
internal sealed class SbomInventoryBuilder(string file, SbomReadLimits limits)
{
    private readonly List<LocatedPackage> _packages = [];
    private readonly List<string> _problems = [];
    private OperatingSystem? _declared;
    private OperatingSystem? _fromDistro;
    private int _entries;

    public string File => file;

    /// <summary>Counts one more entry (package or not); throws past the bound, since a partial list would read as complete.</summary>
    public void Count()
    {
        if (++_entries > limits.MaxComponents)
        {
            throw new InvalidDataException($"{file}: more than {limits.MaxComponents} components; refusing to read further");
        }
    }

    public void Problem(string problem) => _problems.Add(problem);

    /// <summary>The distribution an operating-system entry names; the first one counts.</summary>
    public void DeclareOperatingSystem(OperatingSystem os)
    {
        if (_declared is null)
        {
            _declared = os;
        }
        else if (_declared.Id != os.Id || _declared.VersionId != os.VersionId)
        {
            _problems.Add($"a second operating system ({os.Id} {os.VersionId}) after {_declared.Id} {_declared.VersionId}; the first is used");
        }
    }

    /// <summary>
    /// Adds the package <paramref name="purlValue"/> names, refined by <paramref name="details"/>; an entry without a
    /// usable purl becomes a problem naming <paramref name="label"/>. <paramref name="reference"/> is the entry's id in
    /// the document, recorded after the file name.
    /// </summary>
    public void Add(JsonElement? purlValue, string label, string? reference, SbomEntryDetails details)
    {
        if (purlValue is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            _problems.Add($"{label} has no purl; skipped");
            return;
        }

        if (value.ValueKind != JsonValueKind.String || TryGetString(value) is not { Length: > 0 } text)
        {
            _problems.Add($"{label}: its purl is not a string; skipped");
            return;
        }

        if (!PackageUrl.TryParse(text, out var purl) || purl is null)
        {
            _problems.Add($"{label}: \"{Shorten(text)}\" is not a valid purl; skipped");
            return;
        }

        if (purl.Type is "oci" or "docker")
        {
            _problems.Add($"{label} is an image ({purl.Type} purl), not a package; skipped");
            return;
        }

        var package = InstalledPackageUrl.Package(purl, $"{file}#{reference ?? text}");
        if (details.Name is { } spelled && purl.Type is "pypi" or "nuget" && PackageUrlType.Of(purl.Type).CanonicalName(spelled) == purl.Name)
        {
            package = package with { Name = spelled };
        }

        if (details.SourceName is { Length: > 0 } sourceName)
        {
            var version = details.SourceVersion is { Length: > 0 } v ? v : null;
            if (purl.Type == "rpm" && version?.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && version[..colon].All(char.IsAsciiDigit))
            {
                version = version[(colon + 1)..]; // rpm's source version is the source file name's, which has no epoch
            }

            package = package with
            {
                SourceName = sourceName,
                SourceVersion = purl.Type == "rpm" || version != package.Version ? version : null,
            };
        }

        package = package with { License = details.License };
        if (purl.Type is "deb" or "apk" or "rpm" && InstalledPackageUrl.DistroOf(purl) is { } distro)
        {
            _fromDistro ??= distro;
        }

        _packages.Add(new LocatedPackage(package, details.LayerIndex ?? -1, details.LayerDiffId));
    }

    /// <summary>The inventory: the declared distribution, else the one the first OS package's <c>distro</c> names.</summary>
    public ImageInventory Build() => new(_declared ?? _fromDistro, _packages, _problems);

    /// <summary>A string member, or null when absent, not a string, or no text (an escaped lone surrogate).</summary>
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? TryGetString(value) : null;

    /// <summary>The objects of an array member; anything else in it, or a member that is no array, yields nothing.</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    public static int? LayerIndex(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    private static string? TryGetString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
