namespace Bulwark.Images.Vulnerabilities;

/// <summary>The <see cref="AdvisorySeverity"/> a feed's word names: GHSA's <c>MODERATE</c>, Ubuntu's <c>medium</c>, Debian's <c>unimportant</c>.</summary>
internal static class Severities
{
    /// <summary>The severity <paramref name="text"/> names, case-insensitively; null for anything else (a score, <c>not yet assigned</c>).</summary>
    public static AdvisorySeverity? Parse(string? text) => text?.Trim().TrimEnd('*').ToUpperInvariant() switch
    {
        "CRITICAL" => AdvisorySeverity.Critical,
        "HIGH" or "IMPORTANT" => AdvisorySeverity.High,
        "MEDIUM" or "MODERATE" => AdvisorySeverity.Medium,
        "LOW" => AdvisorySeverity.Low,
        "NEGLIGIBLE" or "UNIMPORTANT" => AdvisorySeverity.Negligible,
        _ => null,
    };
}
