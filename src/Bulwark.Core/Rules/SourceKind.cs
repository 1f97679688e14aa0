namespace Bulwark.Core.Rules;

/// <summary>The kinds of input a rule can judge.</summary>
public enum SourceKind
{
    Kubernetes,
    Dockerfile,
    Compose,
    DockerInspect,
    Image,
    SeccompProfile,

    /// <summary>A software bill of materials (CycloneDX, SPDX): a list of packages, judged for known vulnerabilities.</summary>
    Sbom,
}
