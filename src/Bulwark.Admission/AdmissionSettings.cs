using Bulwark.Core.Findings;
using Bulwark.Scanning.Configuration;

namespace Bulwark.Admission;

/// <summary>What <c>bulwark serve --config FILE</c> configures: a <c>.bulwark.yaml</c>, whose <c>admission</c> section says what the webhook enforces.</summary>
public sealed record AdmissionSettings
{
    public static AdmissionSettings Default { get; } = new();

    /// <summary>The whole configuration file: rule switches, severity overrides and exemptions apply as in <c>bulwark scan</c>.</summary>
    public BulwarkConfig Config { get; init; } = BulwarkConfig.Empty;

    public AdmissionConfig Admission => Config.Admission;

    /// <summary>Reads a configuration file; its problems come back as errors naming the file and line.</summary>
    public static AdmissionSettings Load(string path, List<InputError> errors) =>
        new() { Config = ConfigLoader.Load(path, errors) };
}
