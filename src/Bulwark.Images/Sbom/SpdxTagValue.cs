using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bulwark.Images.Sbom;

/// <summary>
/// SPDX 2 tag-value (<c>trivy --format spdx</c>, <c>syft -o spdx-tag-value</c>) turned into the JSON shape of the same
/// document, so that one reader (<see cref="SpdxReader"/>) decides what an SPDX document means. Only what the
/// reader uses is carried over: the document's version and name, each package's id, name, version, purpose, external
/// references, source information and licences, and the relationships. <c>&lt;text&gt;</c> values may span lines;
/// one left open is an error naming the line it opened on. A file, snippet or other section ends the package
/// before it, so that its fields are not taken for the package's.
/// </summary>
internal static class SpdxTagValue
{
    /// <summary>Whether the text's first line that is neither blank nor a comment is the tag-value version line.</summary>
    public static bool Recognizes(ReadOnlySpan<char> head)
    {
        foreach (var raw in head.EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            return line.StartsWith("SPDXVersion:", StringComparison.Ordinal);
        }

        return false;
    }

    public static JsonDocument ToJson(string text, string name, int maxDepth)
    {
        var document = new JsonObject();
        var packages = new JsonArray();
        var relationships = new JsonArray();
        JsonObject? package = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.TrimStart().StartsWith('#') || colon <= 0)
            {
                continue;
            }

            var tag = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (value.StartsWith("<text>", StringComparison.Ordinal))
            {
                value = Text(lines, ref i, value["<text>".Length..], name);
            }

            switch (tag)
            {
                case "SPDXVersion" when package is null:
                    document["spdxVersion"] = value;
                    break;
                case "DocumentName" when package is null:
                    document["name"] = value;
                    break;
                case "PackageName":
                    package = new JsonObject { ["name"] = value };
                    packages.Add(package);
                    break;
                case "FileName" or "SnippetSPDXID" or "LicenseID" or "ExtractedText":
                    package = null;
                    break;
                case "SPDXID" when package is not null:
                    package["SPDXID"] = value;
                    break;
                case "PackageVersion" when package is not null:
                    package["versionInfo"] = value;
                    break;
                case "PrimaryPackagePurpose" when package is not null:
                    package["primaryPackagePurpose"] = value;
                    break;
                case "PackageSourceInfo" when package is not null:
                    package["sourceInfo"] = value;
                    break;
                case "PackageLicenseDeclared" when package is not null:
                    package["licenseDeclared"] = value;
                    break;
                case "PackageLicenseConcluded" when package is not null:
                    package["licenseConcluded"] = value;
                    break;
                case "ExternalRef" when package is not null:
                    var parts = value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (parts.Length == 3)
                    {
                        if (package["externalRefs"] is not JsonArray references)
                        {
                            package["externalRefs"] = references = [];
                        }

                        references.Add(new JsonObject { ["referenceCategory"] = parts[0], ["referenceType"] = parts[1], ["referenceLocator"] = parts[2] });
                    }

                    break;
                case "Relationship":
                    var ends = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (ends.Length == 3)
                    {
                        relationships.Add(new JsonObject { ["spdxElementId"] = ends[0], ["relationshipType"] = ends[1], ["relatedSpdxElement"] = ends[2] });
                    }

                    break;
            }
        }

        document["packages"] = packages;
        document["relationships"] = relationships;
        return JsonDocument.Parse(document.ToJsonString(), new JsonDocumentOptions { MaxDepth = maxDepth });
    }

    /// <summary>A <c>&lt;text&gt;…&lt;/text&gt;</c> value that may continue over the following lines.</summary>
    private static string Text(string[] lines, ref int index, string first, string name)
    {
        var start = index;
        var text = first;
        while (true)
        {
            var end = text.IndexOf("</text>", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end].Trim();
            }

            if (++index >= lines.Length)
            {
                throw new InvalidDataException($"{name}:{start + 1}: a <text> value that is never closed with </text>");
            }

            text += "\n" + lines[index];
        }
    }
}
