using System.Text.Json;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Sbom;

/// <summary>
/// SPDX 2.2/2.3 JSON: the document's <c>name</c> is the subject; each package with a <c>purl</c> external reference
/// is a package. A package of purpose <c>OPERATING-SYSTEM</c> is the distribution (Trivy and Bulwark write one; the
/// JSON schema spells it with '_', Trivy's tag-value with '-', both are read). The package the document
/// DESCRIBES (without a purl) and any of purpose <c>CONTAINER</c> are the subject: neither a package nor a problem. The source
/// package and layer come from <c>sourceInfo</c> as Trivy (<c>built package from: glibc 2.36-9</c>) and Bulwark
/// (<c>built from source package glibc 2.36-9</c>, <c>added by layer 0 (sha256:…)</c>) write it, and from Trivy's
/// <c>LayerDiffID:</c> annotations.
/// </summary>
internal static class SpdxReader
{
    public static SbomInventory Read(JsonElement root, SbomInventoryBuilder builder)
    {
        var version = SbomInventoryBuilder.String(root, "spdxVersion");
        if (version is null || !version.StartsWith("SPDX-2.", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{builder.File}: spdxVersion \"{version}\" is not one Bulwark reads (SPDX-2.2, SPDX-2.3)");
        }

        var described = Described(root);
        var index = -1;
        foreach (var package in root.TryGetProperty("packages", out var packages) && packages.ValueKind == JsonValueKind.Array ? packages.EnumerateArray() : default)
        {
            index++;
            builder.Count();
            if (package.ValueKind != JsonValueKind.Object)
            {
                builder.Problem($"packages[{index}] is not an object; skipped");
                continue;
            }

            var id = SbomInventoryBuilder.String(package, "SPDXID");
            var name = SbomInventoryBuilder.String(package, "name");
            var purpose = SbomInventoryBuilder.String(package, "primaryPackagePurpose")?.Replace('-', '_');
            if (purpose == "OPERATING_SYSTEM" && name is { Length: > 0 })
            {
                var osVersion = SbomInventoryBuilder.String(package, "versionInfo");
                builder.DeclareOperatingSystem(new OperatingSystem(name.ToLowerInvariant(), string.IsNullOrEmpty(osVersion) ? null : osVersion, null, null));
                continue;
            }

            var purl = Purl(package);
            if (purpose == "CONTAINER" || (purl is null && id is not null && described.Contains(id)))
            {
                continue;
            }

            var label = $"package \"{name ?? "(no name)"}\" ({id ?? "no SPDXID"})";
            builder.Add(purl, label, id, Details(package, name));
        }

        return new SbomInventory(version, SbomInventoryBuilder.String(root, "name"), builder.Build());
    }

    /// <summary>What the document DESCRIBES: <c>documentDescribes</c> and DESCRIBES relationships from the document.</summary>
    private static HashSet<string> Described(JsonElement root)
    {
        var described = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("documentDescribes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            described.UnionWith(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        }

        foreach (var relationship in SbomInventoryBuilder.Objects(root, "relationships"))
        {
            if (SbomInventoryBuilder.String(relationship, "relationshipType") == "DESCRIBES"
                && SbomInventoryBuilder.String(relationship, "relatedSpdxElement") is { } target)
            {
                described.Add(target);
            }
        }

        return described;
    }

    /// <summary>The first <c>purl</c> external reference's locator (any JSON value: a non-string one is a problem later).</summary>
    private static JsonElement? Purl(JsonElement package)
    {
        foreach (var reference in SbomInventoryBuilder.Objects(package, "externalRefs"))
        {
            if (string.Equals(SbomInventoryBuilder.String(reference, "referenceType"), "purl", StringComparison.OrdinalIgnoreCase)
                && reference.TryGetProperty("referenceLocator", out var locator))
            {
                return locator;
            }
        }

        return null;
    }

    private static SbomEntryDetails Details(JsonElement package, string? name)
    {
        var sourceInfo = SbomInventoryBuilder.String(package, "sourceInfo") ?? string.Empty;
        var (sourceName, sourceVersion) = Source(sourceInfo);
        var (layerIndex, diffId) = Layer(sourceInfo);
        diffId ??= SbomInventoryBuilder.Objects(package, "annotations")
            .Select(a => SbomInventoryBuilder.String(a, "comment"))
            .Where(c => c is not null && c.StartsWith("LayerDiffID:", StringComparison.Ordinal))
            .Select(c => c!["LayerDiffID:".Length..].Trim())
            .FirstOrDefault(c => c.Length > 0);
        return new SbomEntryDetails
        {
            Name = name,
            SourceName = sourceName,
            SourceVersion = sourceVersion,
            License = License(package, "licenseDeclared") ?? License(package, "licenseConcluded"),
            LayerIndex = layerIndex,
            LayerDiffId = diffId,
        };
    }

    private static (string? Name, string? Version) Source(string sourceInfo)
    {
        foreach (var marker in (string[])["built package from: ", "built from source package "])
        {
            var start = sourceInfo.IndexOf(marker, StringComparison.Ordinal);
            if (start < 0)
            {
                continue;
            }

            var text = sourceInfo[(start + marker.Length)..];
            text = (text.IndexOf(';', StringComparison.Ordinal) is var end and >= 0 ? text[..end] : text).Trim();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 ? (text[..space], text[(space + 1)..].Trim()) : (text.Length > 0 ? text : null, null);
        }

        return (null, null);
    }

    /// <summary>Bulwark's <c>added by layer N (sha256:…)</c>.</summary>
    private static (int? Index, string? DiffId) Layer(string sourceInfo)
    {
        const string Marker = "added by layer ";
        var start = sourceInfo.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return (null, null);
        }

        var text = sourceInfo[(start + Marker.Length)..];
        text = text.IndexOf(';', StringComparison.Ordinal) is var end and >= 0 ? text[..end] : text;
        var open = text.IndexOf(" (", StringComparison.Ordinal);
        var index = SbomInventoryBuilder.LayerIndex(open > 0 ? text[..open] : text.Trim());
        var diffId = open > 0 && text.EndsWith(')') ? text[(open + 2)..^1] : null;
        return (index, diffId);
    }

    private static string? License(JsonElement package, string field) =>
        SbomInventoryBuilder.String(package, field) is { Length: > 0 } license && license is not ("NOASSERTION" or "NONE") ? license : null;
}
