using Bulwark.Scanning.Configuration;

namespace Bulwark.Admission;

/// <summary>What <c>bulwark serve --config FILE</c> configures: the <c>admission</c> section of a <c>.bulwark.yaml</c> and the rest of it.</summary>
public sealed record AdmissionSettings
{
    public static AdmissionSettings Default { get; } = new();

    /// <summary>The whole configuration file: rule switches and exemptions apply as in <c>bulwark scan</c>.</summary>
    public BulwarkConfig Config { get; init; } = BulwarkConfig.Empty;
}
