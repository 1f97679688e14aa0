using System.Text.Json;

namespace Bulwark.Images.Config;

/// <summary>
/// Reads an image config. Read through <see cref="JsonDocument"/> rather than bound to classes: a hostile or odd
/// config (a number where a string belongs) must give a clear error or be ignored field by field, never an exception
/// from deep inside a serializer.
/// </summary>
public static class ImageConfigParser
{
    /// <summary>Parses a config; <c>describe</c> names the image in errors.</summary>
    public static ImageConfig Parse(ReadOnlyMemory<byte> json, string describe)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw new ImageReadException($"{describe}: the image config is not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ImageReadException($"{describe}: the image config is not a JSON object");
            }

            var config = Member(root, "config") ?? Member(root, "container_config");
            return new ImageConfig
            {
                OperatingSystem = String(root, "os"),
                Architecture = String(root, "architecture"),
                Variant = String(root, "variant"),
                Created = String(root, "created"),
                User = config is { } c1 ? String(c1, "User") : null,
                Env = config is { } c2 ? Strings(c2, "Env") ?? [] : [],
                ExposedPorts = config is { } c3 ? Keys(c3, "ExposedPorts") : [],
                Entrypoint = config is { } c4 ? Strings(c4, "Entrypoint") : null,
                Cmd = config is { } c5 ? Strings(c5, "Cmd") : null,
                WorkingDir = config is { } c6 ? String(c6, "WorkingDir") : null,
                Labels = config is { } c7 ? Labels(c7) : new Dictionary<string, string>(StringComparer.Ordinal),
                Volumes = config is { } c8 ? Keys(c8, "Volumes") : [],
                StopSignal = config is { } c9 ? String(c9, "StopSignal") : null,
                Healthcheck = config is { } c10 ? Healthcheck(c10) : null,
                History = History(root),
                DiffIds = Member(root, "rootfs") is { } rootfs ? Strings(rootfs, "diff_ids") ?? [] : [],
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escape that is no text (a lone surrogate), met when a field is read.
            throw new ImageReadException($"{describe}: the image config is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static List<string>? Strings(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)],
            // Old Docker configs wrote a single command as a string.
            JsonValueKind.String => [value.GetString()!],
            _ => null,
        };
    }

    private static List<string> Keys(JsonElement element, string name) =>
        Member(element, name) is { } map ? [.. map.EnumerateObject().Select(p => p.Name)] : [];

    private static Dictionary<string, string> Labels(JsonElement config)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Member(config, "Labels") is { } map)
        {
            foreach (var label in map.EnumerateObject())
            {
                if (label.Value.ValueKind == JsonValueKind.String)
                {
                    labels[label.Name] = label.Value.GetString()!;
                }
            }
        }

        return labels;
    }

    private static ImageHealthcheck? Healthcheck(JsonElement config)
    {
        if (Member(config, "Healthcheck") is not { } check)
        {
            return null;
        }

        var retries = Number(check, "Retries");
        return new ImageHealthcheck(
            Strings(check, "Test") ?? [],
            Number(check, "Interval"),
            Number(check, "Timeout"),
            Number(check, "StartPeriod"),
            retries is { } r && r is >= int.MinValue and <= int.MaxValue ? (int)r : null);
    }

    private static List<ImageHistoryEntry> History(JsonElement root)
    {
        if (!root.TryGetProperty("history", out var history) || history.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var entries = new List<ImageHistoryEntry>();
        var position = -1;
        foreach (var item in history.EnumerateArray())
        {
            // The index is the position in the config's array, which a finding points at, even past a malformed entry.
            position++;
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var empty = item.TryGetProperty("empty_layer", out var e) && e.ValueKind == JsonValueKind.True;
            entries.Add(new ImageHistoryEntry(
                position, String(item, "created"), String(item, "created_by"), String(item, "author"), String(item, "comment"), empty));
        }

        return entries;
    }
}
