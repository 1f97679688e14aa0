using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Scanning;
using Bulwark.TestSupport;

namespace Bulwark.Rbac.Tests;

/// <summary>Builds RBAC models from YAML text or from files of the shared conformance data, read in place.</summary>
internal static class RbacInputs
{
    public static string Conformance(params string[] parts) => RepositoryPaths.InShared(["conformance", "rbac", .. parts]);

    public static KubernetesCluster ClusterFromText(string yaml, string path = "test.yaml") => Cluster(ScanEngine.Normalize(TestScans.Parse(yaml, path)));

    public static KubernetesCluster ClusterFromFile(string path)
    {
        var parsed = ScanEngine.Normalize(SourceFile.Load(path, DocumentLimits.Default));
        if (parsed.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{path} does not parse: {string.Join("; ", parsed.Errors)}");
        }

        return Cluster(parsed);
    }

    public static RbacModel Model(string yaml) => RbacModel.For(ClusterFromText(yaml));

    public static RbacResolver Resolver(string yaml) => new(Model(yaml));

    public static RbacResolver ResolverFromFile(string path) => new(RbacModel.For(ClusterFromFile(path)));

    /// <summary>Every document of a YAML file outside the repository, parsed with Bulwark's own reader.</summary>
    public static DocNode Yaml(string path)
    {
        var file = SourceFile.Load(path, DocumentLimits.Default);
        if (file.Errors.Count > 0 || file.Documents.Count == 0 || file.Documents[0].Root is not { } root)
        {
            throw new InvalidOperationException($"{path} does not parse: {string.Join("; ", file.Errors)}");
        }

        return root;
    }

    private static KubernetesCluster Cluster(ScanEngine.ParsedInput parsed) => new()
    {
        Objects = [.. parsed.Objects.Where(KubernetesCluster.Retains)],
        Workloads = [.. parsed.Targets.OfType<Workload>().Where(w => w.Source == SourceKind.Kubernetes).Select(WorkloadSummary.From)],
    };
}
