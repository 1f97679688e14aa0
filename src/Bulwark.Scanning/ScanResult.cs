using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Scanning;

/// <summary>Everything a scan found, including suppressed findings (marked) and inputs that could not be read.</summary>
public sealed class ScanResult
{
    public required List<Finding> Findings { get; init; }

    public required List<InputError> Errors { get; init; }

    /// <summary>Parts of inputs an analysis could not use (the files were read); they do not change the exit code.</summary>
    public List<InputWarning> Warnings { get; init; } = [];

    public required List<SkippedDocument> Skipped { get; init; }

    /// <summary>The rules that ran, for reports that describe them (SARIF).</summary>
    public required IReadOnlyList<RuleDescriptor> Rules { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public int Documents { get; init; }

    public int Objects { get; init; }

    /// <summary>
    /// The cluster view the cluster rules judged (namespaces, policies, RBAC objects, workload summaries), for
    /// reports that draw it; null when no cluster rule ran.
    /// </summary>
    public KubernetesCluster? Cluster { get; init; }

    /// <summary>How long each stage took.</summary>
    public ScanTimings Timings { get; init; } = new();

    public IEnumerable<Finding> Active => Findings.Where(f => f.Suppression is null);

    public IEnumerable<Finding> Suppressed => Findings.Where(f => f.Suppression is not null);
}
