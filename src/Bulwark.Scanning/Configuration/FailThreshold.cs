using Bulwark.Core.Findings;

namespace Bulwark.Scanning.Configuration;

/// <summary>
/// When findings fail the run (<c>--fail-on</c>, <c>failOn:</c>): at or above a severity, or never (report only).
/// Input errors fail the run whatever it says: exit 2 stays distinct from findings.
/// </summary>
public readonly record struct FailThreshold(Severity? Minimum)
{
    public static FailThreshold Never => new(null);

    public const string Expected = "info, low, medium, high, critical or never";

    public bool Fails(Severity severity) => Minimum is { } minimum && severity >= minimum;

    public static bool TryParse(string? text, out FailThreshold threshold)
    {
        if (string.Equals(text?.Trim(), "never", StringComparison.OrdinalIgnoreCase))
        {
            threshold = Never;
            return true;
        }

        var known = SeverityNames.TryParse(text, out var severity);
        threshold = new FailThreshold(severity);
        return known;
    }
}
