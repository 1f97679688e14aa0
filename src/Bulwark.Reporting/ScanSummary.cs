using Bulwark.Core.Findings;
using Bulwark.Scanning;

namespace Bulwark.Reporting;

/// <summary>Counts every report shows the same way.</summary>
public sealed record ScanSummary(int Files, int Documents, int Objects, int Findings, int Suppressed, int Errors, IReadOnlyDictionary<Severity, int> BySeverity)
{
    public int Warnings { get; init; }

    public static ScanSummary Of(ScanResult result)
    {
        var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, _ => 0);
        var active = 0;
        var suppressed = 0;
        foreach (var finding in result.Findings)
        {
            if (finding.Suppression is null)
            {
                active++;
                bySeverity[finding.Severity]++;
            }
            else
            {
                suppressed++;
            }
        }

        return new ScanSummary(result.Files.Count, result.Documents, result.Objects, active, suppressed, result.Errors.Count, bySeverity)
        {
            Warnings = result.Warnings.Count,
        };
    }
}
