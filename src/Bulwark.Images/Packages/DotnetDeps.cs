using System.Text.Json;

namespace Bulwark.Images.Packages;

/// <summary>
/// NuGet packages a .NET application runs with, from its <c>*.deps.json</c>: the <c>libraries</c> of type
/// <c>package</c>, keyed <c>Name/Version</c>. Projects and the runtime pack itself are not packages.
/// </summary>
public static class DotnetDeps
{
    public static bool IsDepsFile(string path) => path.EndsWith(".deps.json", StringComparison.Ordinal);

    public static List<InstalledPackage> Read(string path, ReadOnlySpan<byte> json, List<string> problems)
    {
        var packages = new List<InstalledPackage>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: a deps.json without libraries; skipped");
                return packages;
            }

            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Value.ValueKind != JsonValueKind.Object
                    || !library.Value.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "package")
                {
                    continue;
                }

                var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || slash == library.Name.Length - 1)
                {
                    problems.Add($"{path}: library \"{library.Name}\" is not NAME/VERSION; skipped");
                    continue;
                }

                packages.Add(new InstalledPackage
                {
                    Type = "nuget",
                    Name = library.Name[..slash],
                    Version = library.Name[(slash + 1)..],
                    RecordedIn = path,
                });
            }
        }
        catch (JsonException ex)
        {
            problems.Add($"{path}: not valid JSON ({ex.Message}); skipped");
        }

        return packages;
    }
}
