using Bulwark.Core.Findings;

namespace Bulwark.Core.Rules;

/// <summary>Something rules judge: a workload, a Kubernetes object, a Dockerfile, an image.</summary>
public interface IScanTarget
{
    SourceKind Source { get; }

    /// <summary>Where the target starts; findings about a missing setting with no nearer parent point here.</summary>
    SourceLocation Location { get; }

    int Document { get; }

    ObjectReference Object { get; }
}
