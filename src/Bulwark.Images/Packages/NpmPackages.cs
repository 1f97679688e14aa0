using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bulwark.Images.Packages;

/// <summary>
/// npm packages as installed: the <c>package.json</c> of each folder under <c>node_modules</c> (scoped ones included).
/// What a lock file or an application's own <c>package.json</c> declares is not what is installed, so neither counts.
/// </summary>
public static partial class NpmPackages
{
    public static bool IsInstalledManifest(string path) => InstalledManifest().IsMatch(path);

    public static InstalledPackage? Read(string path, ReadOnlySpan<byte> json, List<string> problems)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "name") is not { Length: > 0 } name
                || Text(root, "version") is not { Length: > 0 } version)
            {
                problems.Add($"{path}: a package.json without a name and version; skipped");
                return null;
            }

            return new InstalledPackage
            {
                Type = "npm",
                Name = name,
                Version = version,
                License = License(root),
                RecordedIn = path,
            };
        }
        catch (JsonException ex)
        {
            problems.Add($"{path}: not valid JSON ({ex.Message}); skipped");
            return null;
        }
    }

    /// <summary><c>"license": "MIT"</c>, the legacy <c>{"type": "MIT"}</c>, or the older <c>"licenses": [{"type": …}]</c>.</summary>
    private static string? License(JsonElement root)
    {
        if (root.TryGetProperty("license", out var license))
        {
            return license.ValueKind == JsonValueKind.String ? license.GetString() : Text(license, "type");
        }

        if (root.TryGetProperty("licenses", out var licenses) && licenses.ValueKind == JsonValueKind.Array)
        {
            var types = licenses.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString() : Text(l, "type")).OfType<string>().ToList();
            return types.Count > 0 ? string.Join(" OR ", types) : null;
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"(^|/)node_modules/(@[^/]+/)?[^/@][^/]*/package\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex InstalledManifest();
}
