using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// A pod's metadata and spec as the checks see them, with the containers in upstream's visiting order
/// (init containers, containers, ephemeral containers) and a way to turn nodes into source locations.
/// </summary>
internal sealed class PodView
{
    private readonly Func<DocNode, SourceLocation> _locate;
    private readonly DocNode _specAnchor;
    private IReadOnlyList<PodAnnotation>? _annotations;

    public PodView(DocMapping? metadata, DocMapping spec, Func<DocNode, SourceLocation> locate, DocNode? specKey)
    {
        Metadata = metadata;
        Spec = spec;
        _locate = locate;
        _specAnchor = specKey ?? spec;
        SecurityContextEntry = PodFields.StructEntry(spec, "securityContext");
        var containers = new List<PodContainer>();
        foreach (var list in (ReadOnlySpan<string>)["initContainers", "containers", "ephemeralContainers"])
        {
            foreach (var container in PodFields.Mappings(spec, list))
            {
                containers.Add(new PodContainer(this, container));
            }
        }

        Containers = containers;
    }

    public DocMapping? Metadata { get; }

    public DocMapping Spec { get; }

    /// <summary>The <c>spec.securityContext</c> entry when it is a mapping.</summary>
    public DocEntry? SecurityContextEntry { get; }

    public DocMapping? SecurityContext => SecurityContextEntry?.Value as DocMapping;

    public IReadOnlyList<PodContainer> Containers { get; }

    /// <summary>Annotations as a map decodes them: the last of duplicate keys wins, null reads as "".</summary>
    public IReadOnlyList<PodAnnotation> Annotations => _annotations ??= ReadAnnotations(PodFields.Struct(Metadata, "annotations"));

    /// <summary><c>spec.os.name: windows</c>; such pods are exempt from the Linux-only restricted checks from v1.25.</summary>
    public bool IsWindows => PodFields.String(PodFields.Struct(Spec, "os"), "name") == "windows";

    /// <summary><c>spec.hostUsers: false</c>: the pod runs in its own user namespace.</summary>
    public bool UsesUserNamespace => PodFields.Bool(Spec, "hostUsers") == false;

    public SourceLocation At(DocNode node) => _locate(node);

    public SourceLocation At(DocEntry entry) => _locate(entry.Key);

    /// <summary>Where a missing pod-level field belongs: the pod <c>securityContext</c> key, else the <c>spec</c> key.</summary>
    public SourceLocation PodSecurityContextOrSpec => SecurityContextEntry is { } entry ? At(entry) : At(_specAnchor);

    public PodAnnotation? Annotation(string key)
    {
        foreach (var annotation in Annotations)
        {
            if (annotation.Key == key)
            {
                return annotation;
            }
        }

        return null;
    }

    private static List<PodAnnotation> ReadAnnotations(DocMapping? map)
    {
        var result = new List<PodAnnotation>();
        if (map is null)
        {
            return result;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            if (entry.KeyText is not { } key || entry.Value is not DocScalar value)
            {
                continue;
            }

            var annotation = new PodAnnotation(key, value.IsNull ? string.Empty : value.Value, entry.Key);
            if (index.TryGetValue(key, out var at))
            {
                result[at] = annotation;
            }
            else
            {
                index[key] = result.Count;
                result.Add(annotation);
            }
        }

        return result;
    }
}

/// <summary>A container of the pod (init, regular or ephemeral).</summary>
internal sealed class PodContainer(PodView pod, DocMapping node)
{
    public DocMapping Node { get; } = node;

    public string Name { get; } = PodFields.String(node, "name");

    public DocEntry? SecurityContextEntry { get; } = PodFields.StructEntry(node, "securityContext");

    public DocMapping? SecurityContext => SecurityContextEntry?.Value as DocMapping;

    /// <summary>Where a missing container field belongs: the container's <c>securityContext</c> key, else the container.</summary>
    public SourceLocation SecurityContextOrSelf => SecurityContextEntry is { } entry ? pod.At(entry) : pod.At(Node);
}

/// <summary>A metadata annotation and the node of its key.</summary>
internal sealed record PodAnnotation(string Key, string Value, DocNode KeyNode);
