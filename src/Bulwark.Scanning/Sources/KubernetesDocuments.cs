using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Scanning.Sources;

/// <summary>
/// Kubernetes objects (one per document, <c>List</c>s expanded), each with the workload it describes. Objects of a
/// namespaced kind that name no namespace land in <see cref="ScanOptions.Namespace"/>, as <c>kubectl apply -n</c>
/// would put them. Documents that are not objects are skipped, saying why.
/// </summary>
public sealed class KubernetesDocuments : IDocumentReader
{
    public string InputType => "kubernetes";

    public bool Recognizes(SourceDocument document) => true;

    public void Read(SourceDocument document, ScanOptions options, ScanEngine.ParsedInput into)
    {
        var first = into.Objects.Count;
        KubernetesManifestReader.Read(document, into.Objects, into.Skipped);
        for (var i = first; i < into.Objects.Count; i++)
        {
            var obj = into.Objects[i];
            if (options.Namespace is { } ns && obj.Namespace is null && !IsClusterScoped(obj))
            {
                obj = into.Objects[i] = obj.InNamespace(ns);
            }

            into.Targets.Add(obj);
            if (KubernetesWorkloadMapper.Map(obj) is { } workload)
            {
                into.Targets.Add(workload);
            }
        }
    }

    /// <summary>
    /// Built-in kinds by what API discovery says of them; custom kinds are namespaced unless their name says they
    /// are cluster-wide (<c>ClusterIssuer</c>, <c>ClusterPolicy</c>, <c>GlobalNetworkPolicy</c>), as such kinds are
    /// by convention.
    /// </summary>
    internal static bool IsClusterScoped(KubernetesObject obj)
    {
        if (KnownResources.Find(obj.Kind, KubernetesApiGroups.GroupOf(obj.ApiVersion)) is { } known)
        {
            return known.ClusterScoped;
        }

        return obj.Kind.StartsWith("Cluster", StringComparison.Ordinal) || obj.Kind.StartsWith("Global", StringComparison.Ordinal);
    }
}
