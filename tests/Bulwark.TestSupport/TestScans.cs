using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Scanning;

namespace Bulwark.TestSupport;

/// <summary>Runs scans over in-memory text.</summary>
public static class TestScans
{
    public static SourceFile Parse(string text, string path = "test.yaml") =>
        SourceFile.Parse(path, Encoding.UTF8.GetBytes(text), DocumentLimits.Default, json: path.EndsWith(".json", StringComparison.Ordinal) ? true : null);

    public static ScanResult Scan(string text, ScanOptions? options = null, IReadOnlyList<IRule>? rules = null, string path = "test.yaml") =>
        new ScanEngine(rules).Scan([Parse(text, path)], options ?? new ScanOptions { Paths = [] });

    /// <summary>Findings of one rule only, run in isolation.</summary>
    public static List<Finding> Run(IRule rule, string text, string path = "test.yaml")
    {
        var parsed = DockerfileDocument.IsDockerfileName(path)
            ? ScanEngine.FromDockerfile(DockerfileDocument.Parse(path, text))
            : ScanEngine.Normalize(Parse(text, path));
        var errors = DockerfileDocument.IsDockerfileName(path) ? parsed.Errors : parsed.File.Errors;
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("example does not parse: " + string.Join("; ", errors));
        }

        var context = new CollectingRuleContext();
        if (rule.TargetTypes.Contains(typeof(KubernetesCluster)))
        {
            rule.EvaluateTarget(
                new KubernetesCluster
                {
                    Objects = [.. parsed.Objects.Where(KubernetesCluster.Retains)],
                    Workloads = [.. parsed.Targets.OfType<Workload>().Where(w => w.Source == SourceKind.Kubernetes).Select(WorkloadSummary.From)],
                },
                context);
            if (rule.TargetTypes.Count == 1)
            {
                return context.Findings;
            }
        }

        foreach (var target in parsed.Targets)
        {
            rule.EvaluateTarget(target, context);
        }

        return context.Findings;
    }

    /// <summary>Lines carrying <c># expect: ID[, ID]</c> (or <c>// expect:</c>) markers, as (line, id) pairs.</summary>
    public static List<(int Line, string Id)> ExpectedMarkers(string text)
    {
        var result = new List<(int, string)>();
        var line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            // "# expect:" in YAML and Dockerfiles, "// expect:" in JSON (read with comments allowed).
            var at = raw.IndexOf("# expect:", StringComparison.Ordinal);
            var length = "# expect:".Length;
            if (at < 0)
            {
                at = raw.IndexOf("// expect:", StringComparison.Ordinal);
                length = "// expect:".Length;
            }

            if (at < 0)
            {
                continue;
            }

            foreach (var id in raw[(at + length)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                result.Add((line, id));
            }
        }

        return result;
    }
}
