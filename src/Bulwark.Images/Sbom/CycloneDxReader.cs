using System.Text.Json;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Sbom;

/// <summary>
/// CycloneDX 1.x JSON: <c>metadata.component</c> is the subject; <c>components</c>, nested to any depth (and those
/// nested in the subject), are walked in document order. An <c>operating-system</c> component is the distribution
/// (Trivy, Syft and Bulwark each write one; Syft's <c>syft:distro:*</c> and Bulwark's <c>bulwark:os:codename</c>
/// properties refine it). A component without a purl that groups others (Trivy's one per lock file) is only walked
/// into; <c>file</c> components (Syft lists files) are counted in one problem, being files, not packages.
/// </summary>
internal static class CycloneDxReader
{
    public static SbomInventory Read(JsonElement root, SbomInventoryBuilder builder)
    {
        var spec = SbomInventoryBuilder.String(root, "specVersion");
        if (spec is null || !spec.StartsWith("1.", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{builder.File}: CycloneDX specVersion \"{spec}\" is not one Bulwark reads (1.x)");
        }

        var pending = new Stack<(JsonElement Component, string Path)>();
        string? subject = null;
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("component", out var image) && image.ValueKind == JsonValueKind.Object)
        {
            subject = SbomInventoryBuilder.String(image, "name");
            PushChildren(pending, image, "metadata.component");
        }

        // What the writing tool could not read is still not known: Bulwark's SBOMs say so in the metadata.
        if (metadata.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in SbomInventoryBuilder.Objects(metadata, "properties"))
            {
                if (SbomInventoryBuilder.String(property, "name") == "bulwark:inventory:problem" && SbomInventoryBuilder.String(property, "value") is { } problem)
                {
                    builder.Problem("the SBOM's writer could not read: " + problem);
                }
            }
        }

        PushChildren(pending, root, string.Empty);
        var files = 0;

        // An explicit stack, not recursion: nesting is bounded by the parser's depth limit, but a stack costs nothing.
        while (pending.TryPop(out var entry))
        {
            builder.Count();
            var (component, path) = entry;
            if (component.ValueKind != JsonValueKind.Object)
            {
                builder.Problem($"{path} is not an object; skipped");
                continue;
            }

            var hasChildren = PushChildren(pending, component, path);
            var type = SbomInventoryBuilder.String(component, "type");
            var properties = Properties(component);
            if (type == "operating-system")
            {
                builder.DeclareOperatingSystem(OperatingSystemOf(component, properties));
                continue;
            }

            component.TryGetProperty("purl", out var purl);
            var hasPurl = purl.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
            if (!hasPurl && hasChildren)
            {
                continue;
            }

            if (!hasPurl && type == "file")
            {
                files++;
                continue;
            }

            var name = SbomInventoryBuilder.String(component, "name");
            var reference = SbomInventoryBuilder.String(component, "bom-ref");
            var label = $"component \"{name ?? "(no name)"}\" ({type ?? "no type"}{(reference is null ? string.Empty : ", bom-ref " + reference)})";
            builder.Add(hasPurl ? purl : null, label, reference, Details(component, name, properties));
        }

        if (files > 0)
        {
            builder.Problem($"{files} file component{(files == 1 ? string.Empty : "s")} without a purl skipped: a file is not a package");
        }

        return new SbomInventory("CycloneDX " + spec, subject, builder.Build());
    }

    /// <summary>Pushes the nested components so that they pop in document order; whether there were any.</summary>
    private static bool PushChildren(Stack<(JsonElement, string)> pending, JsonElement parent, string path)
    {
        if (!parent.TryGetProperty("components", out var children) || children.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var prefix = path.Length == 0 ? "components" : path + ".components";
        for (var i = children.GetArrayLength() - 1; i >= 0; i--)
        {
            pending.Push((children[i], $"{prefix}[{i}]"));
        }

        return children.GetArrayLength() > 0;
    }

    private static SbomEntryDetails Details(JsonElement component, string? name, Dictionary<string, string> properties)
    {
        var (sourceName, sourceVersion) = properties.TryGetValue("aquasecurity:trivy:SrcName", out var trivyName)
            ? (trivyName, TrivySourceVersion(properties))
            : (properties.GetValueOrDefault("bulwark:package:source-name"), properties.GetValueOrDefault("bulwark:package:source-version"));
        return new SbomEntryDetails
        {
            Name = name,
            SourceName = sourceName,
            SourceVersion = sourceVersion,
            License = License(component),
            LayerIndex = SbomInventoryBuilder.LayerIndex(properties.GetValueOrDefault("bulwark:layer:index")),
            LayerDiffId = properties.GetValueOrDefault("bulwark:layer:diff-id")
                ?? properties.GetValueOrDefault("aquasecurity:trivy:LayerDiffID")
                ?? properties.GetValueOrDefault("syft:location:0:layerID"),
        };
    }

    /// <summary>
    /// Trivy splits the source version as its own model does: <c>SrcEpoch</c>, <c>SrcVersion</c>, <c>SrcRelease</c>
    /// (<c>2.36</c> and <c>9+deb12u4</c> for Debian; Alpine's whole version in <c>SrcVersion</c>).
    /// </summary>
    private static string? TrivySourceVersion(Dictionary<string, string> properties)
    {
        if (!properties.TryGetValue("aquasecurity:trivy:SrcVersion", out var version) || version.Length == 0)
        {
            return null;
        }

        var release = properties.GetValueOrDefault("aquasecurity:trivy:SrcRelease");
        var epoch = properties.GetValueOrDefault("aquasecurity:trivy:SrcEpoch");
        var text = string.IsNullOrEmpty(release) ? version : $"{version}-{release}";
        return epoch is { Length: > 0 } && epoch != "0" ? $"{epoch}:{text}" : text;
    }

    private static OperatingSystem OperatingSystemOf(JsonElement component, Dictionary<string, string> properties)
    {
        var id = properties.GetValueOrDefault("syft:distro:id") ?? SbomInventoryBuilder.String(component, "name") ?? "unknown";
        return new OperatingSystem(
            id.ToLowerInvariant(),
            properties.GetValueOrDefault("syft:distro:versionID") ?? NullIfEmpty(SbomInventoryBuilder.String(component, "version")),
            (properties.GetValueOrDefault("bulwark:os:codename") ?? properties.GetValueOrDefault("syft:distro:versionCodename"))?.ToLowerInvariant(),
            NullIfEmpty(SbomInventoryBuilder.String(component, "description")) ?? properties.GetValueOrDefault("syft:distro:prettyName"));
    }

    /// <summary>
    /// The licence: an expression as written, else the ids (or names) of the licences listed, joined with AND as
    /// CycloneDX means a list.
    /// </summary>
    private static string? License(JsonElement component)
    {
        var parts = new List<string>();
        foreach (var choice in SbomInventoryBuilder.Objects(component, "licenses"))
        {
            if (SbomInventoryBuilder.String(choice, "expression") is { Length: > 0 } expression)
            {
                parts.Add(expression);
            }
            else if (choice.TryGetProperty("license", out var license)
                && (SbomInventoryBuilder.String(license, "id") ?? SbomInventoryBuilder.String(license, "name")) is { Length: > 0 } id)
            {
                parts.Add(id);
            }
        }

        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => string.Join(" AND ", parts.Select(p => p.Contains(' ', StringComparison.Ordinal) ? $"({p})" : p)),
        };
    }

    /// <summary><c>properties</c> by name; the first value of a repeated name counts.</summary>
    private static Dictionary<string, string> Properties(JsonElement component)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in SbomInventoryBuilder.Objects(component, "properties"))
        {
            if (SbomInventoryBuilder.String(property, "name") is { } name && SbomInventoryBuilder.String(property, "value") is { } value)
            {
                properties.TryAdd(name, value);
            }
        }

        return properties;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
