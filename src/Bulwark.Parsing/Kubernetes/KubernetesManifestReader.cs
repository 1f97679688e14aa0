using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Kubernetes;

/// <summary>
/// Turns documents into Kubernetes objects: one per document, <c>kind: List</c> and <c>*List</c> objects
/// expanded into their items. Documents that are not Kubernetes objects are skipped with a reason.
/// </summary>
public static class KubernetesManifestReader
{
    public static void Read(SourceDocument document, List<KubernetesObject> objects, List<SkippedDocument> skipped)
    {
        switch (document.Root)
        {
            case null:
                return;
            case DocMapping map:
                ReadObject(document, map, objects, skipped);
                return;
            default:
                skipped.Add(new SkippedDocument(document.File, document.Index, document.Root.Line, $"document is a {document.Root.Kind.ToString().ToLowerInvariant()}, not a Kubernetes object"));
                return;
        }
    }

    private static void ReadObject(SourceDocument document, DocMapping map, List<KubernetesObject> objects, List<SkippedDocument> skipped, string? listApiVersion = null, string? listItemKind = null)
    {
        // Items of a typed list (PodList, NetworkPolicyList, as the API server returns them) may omit their own kind.
        var apiVersion = map.String("apiVersion") ?? listApiVersion;
        var kind = map.String("kind") ?? listItemKind;
        if (apiVersion is null || kind is null)
        {
            skipped.Add(new SkippedDocument(document.File, document.Index, map.Line, "no apiVersion and kind, so not a Kubernetes object"));
            return;
        }

        if (kind.EndsWith("List", StringComparison.Ordinal) && map["items"] is DocSequence items)
        {
            var itemKind = kind.Length > "List".Length ? kind[..^"List".Length] : null;
            foreach (var item in items.Items)
            {
                if (item is DocMapping itemMap)
                {
                    ReadObject(document, itemMap, objects, skipped, apiVersion, itemKind);
                }
            }

            return;
        }

        var metadata = map.Mapping("metadata");
        objects.Add(new KubernetesObject
        {
            File = document.File,
            Document = document.Index,
            Root = map,
            Object = new ObjectReference(apiVersion, kind, metadata.String("namespace"), metadata.String("name") ?? metadata.String("generateName")),
        });
    }
}

/// <summary>A document that was read but is not something Bulwark judges; shown with <c>--verbose</c>.</summary>
public sealed record SkippedDocument(string File, int Document, int Line, string Reason);
