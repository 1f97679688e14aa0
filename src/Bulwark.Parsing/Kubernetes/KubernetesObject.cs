using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Kubernetes;

/// <summary>A Kubernetes object read from a manifest (one document, or one item of a <c>List</c>).</summary>
public sealed class KubernetesObject : IScanTarget
{
    public required string File { get; init; }

    public required int Document { get; init; }

    public required DocMapping Root { get; init; }

    public required ObjectReference Object { get; init; }

    /// <summary>
    /// The manifest names no namespace: <see cref="Namespace"/> is the one the scan was told to assume
    /// (<c>-n</c>), where <c>kubectl apply -n</c> would put the object.
    /// </summary>
    public bool NamespaceAssigned { get; init; }

    public SourceKind Source => SourceKind.Kubernetes;

    public SourceLocation Location => new(File, Root.Line, Root.Column);

    public string ApiVersion => Object.ApiVersion ?? string.Empty;

    public string Kind => Object.Kind;

    public string? Namespace => Object.Namespace;

    public string? Name => Object.Name;

    public DocMapping? Metadata => Root.Mapping("metadata");

    public IReadOnlyDictionary<string, string> Labels => StringMap(Metadata.Mapping("labels"));

    public IReadOnlyDictionary<string, string> Annotations => StringMap(Metadata.Mapping("annotations"));

    /// <summary>The pod template this object carries, if it is a pod-bearing kind (or any kind with <c>spec.template.spec.containers</c>).</summary>
    public PodTemplate? PodTemplate => PodTemplate.Find(this);

    public SourceLocation At(DocNode node) => new(File, node.Line, node.Column);

    /// <summary>This object placed in <paramref name="ns"/>, as <c>kubectl apply -n</c> places an object that names no namespace.</summary>
    public KubernetesObject InNamespace(string ns) => new()
    {
        File = File,
        Document = Document,
        Root = Root,
        Object = Object with { Namespace = ns },
        NamespaceAssigned = true,
    };

    public static IReadOnlyDictionary<string, string> StringMap(DocMapping? map)
    {
        if (map is null || map.Entries.Count == 0)
        {
            return EmptyMap;
        }

        var result = new Dictionary<string, string>(map.Entries.Count, StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            if (entry.KeyText is { } key && entry.Value is DocScalar value)
            {
                result[key] = value.Value;
            }
        }

        return result;
    }

    private static readonly Dictionary<string, string> EmptyMap = new(StringComparer.Ordinal);
}

/// <summary>Where a pod template lives inside an object: its metadata (annotations) and spec.</summary>
public sealed record PodTemplate(DocMapping? Metadata, DocMapping Spec, DocNode SpecKey, string Path)
{
    public static PodTemplate? Find(KubernetesObject obj)
    {
        var root = obj.Root;
        switch (obj.Kind)
        {
            case "Pod" when obj.ApiVersion == "v1":
                return From(root, "spec", root.Mapping("metadata"));
            case "PodTemplate" when obj.ApiVersion == "v1":
                return FromTemplate(root.Mapping("template"), "template");
            case "CronJob":
                return FromTemplate(root.At("spec.jobTemplate.spec.template") as DocMapping, "spec.jobTemplate.spec.template");
            default:
                {
                    var template = root.At("spec.template") as DocMapping;
                    if (IsBuiltInController(obj.Kind) || IsOpenShiftDeploymentConfig(obj) || template.At("spec.containers") is DocSequence)
                    {
                        return FromTemplate(template, "spec.template");
                    }

                    return null;
                }
        }
    }

    private static bool IsBuiltInController(string kind) =>
        kind is "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" or "Job" or "ReplicationController";

    // OpenShift's DeploymentConfig is as common as a Deployment in the clusters it runs on (kube-linter treats it as one).
    private static bool IsOpenShiftDeploymentConfig(KubernetesObject obj) =>
        obj.Kind == "DeploymentConfig" && obj.ApiVersion.StartsWith("apps.openshift.io/", StringComparison.Ordinal);

    private static PodTemplate? FromTemplate(DocMapping? template, string path) =>
        template is null ? null : From(template, path + ".spec", template.Mapping("metadata"));

    private static PodTemplate? From(DocMapping parent, string path, DocMapping? metadata)
    {
        var entry = parent.Entry("spec");
        return entry is { Value: DocMapping spec } ? new PodTemplate(metadata, spec, entry.Value.Key, path) : null;
    }
}
