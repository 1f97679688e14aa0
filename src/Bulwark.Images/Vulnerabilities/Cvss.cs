namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// CVSS v3.0 and v3.1 base scores, computed as the FIRST specifications define them, for feeds that publish a vector
/// without a score; and the specifications' qualitative bands. CVSS v4 vectors are kept as published but not scored.
/// </summary>
public static class Cvss
{
    private static readonly string[] BaseMetrics = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];

    // Every metric a v3 vector may carry, with its allowed values: temporal and environmental metrics do not move the
    // base score, but a vector with an unknown metric or value is malformed and gets no score.
    private static readonly Dictionary<string, string> AllowedValues = new(StringComparer.Ordinal)
    {
        ["AV"] = "NALP",
        ["AC"] = "LH",
        ["PR"] = "NLH",
        ["UI"] = "NR",
        ["S"] = "UC",
        ["C"] = "HLN",
        ["I"] = "HLN",
        ["A"] = "HLN",
        ["E"] = "XUPFH",
        ["RL"] = "XOTWU",
        ["RC"] = "XURC",
        ["CR"] = "XLMH",
        ["IR"] = "XLMH",
        ["AR"] = "XLMH",
        ["MAV"] = "XNALP",
        ["MAC"] = "XLH",
        ["MPR"] = "XNLH",
        ["MUI"] = "XNR",
        ["MS"] = "XUC",
        ["MC"] = "XHLN",
        ["MI"] = "XHLN",
        ["MA"] = "XHLN",
    };

    /// <summary>
    /// The base score of a <c>CVSS:3.0/...</c> or <c>CVSS:3.1/...</c> vector; null for a malformed vector (a base
    /// metric missing or repeated, an unknown metric or value) or another CVSS version.
    /// </summary>
    public static double? BaseScore(string? vector)
    {
        if (vector is null || vector.Length > 200)
        {
            return null;
        }

        var parts = vector.Trim().Split('/');
        var v31 = parts[0] == "CVSS:3.1";
        if (!v31 && parts[0] != "CVSS:3.0")
        {
            return null;
        }

        var metrics = new Dictionary<string, char>(StringComparer.Ordinal);
        foreach (var part in parts.AsSpan(1))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || part.Length != colon + 2
                || !AllowedValues.TryGetValue(part[..colon], out var allowed)
                || !allowed.Contains(part[^1], StringComparison.Ordinal)
                || !metrics.TryAdd(part[..colon], part[^1]))
            {
                return null;
            }
        }

        if (BaseMetrics.Any(metric => !metrics.ContainsKey(metric)))
        {
            return null;
        }

        var changed = metrics["S"] == 'C';
        var iss = 1 - ((1 - Impact(metrics["C"])) * (1 - Impact(metrics["I"])) * (1 - Impact(metrics["A"])));
        var impact = changed ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        var exploitability = 8.22 * AttackVector(metrics["AV"]) * (metrics["AC"] == 'L' ? 0.77 : 0.44)
            * PrivilegesRequired(metrics["PR"], changed) * (metrics["UI"] == 'N' ? 0.85 : 0.62);
        if (impact <= 0)
        {
            return 0;
        }

        var sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
        return Roundup(Math.Min(sum, 10), v31);
    }

    /// <summary>
    /// The qualitative rating of a base score (CVSS v3.1 §5): 0.1–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10.0
    /// Critical. A score of 0.0 (CVSS "None": no impact) is <see cref="AdvisorySeverity.Negligible"/>; a score outside
    /// 0–10 is <see cref="AdvisorySeverity.Unknown"/>.
    /// </summary>
    public static AdvisorySeverity SeverityOf(double score) => score switch
    {
        double.NaN or < 0 or > 10 => AdvisorySeverity.Unknown,
        0 => AdvisorySeverity.Negligible,
        < 4 => AdvisorySeverity.Low,
        < 7 => AdvisorySeverity.Medium,
        < 9 => AdvisorySeverity.High,
        _ => AdvisorySeverity.Critical,
    };

    private static double Impact(char value) => value switch
    {
        'H' => 0.56,
        'L' => 0.22,
        _ => 0,
    };

    private static double AttackVector(char value) => value switch
    {
        'N' => 0.85,
        'A' => 0.62,
        'L' => 0.55,
        _ => 0.2,
    };

    private static double PrivilegesRequired(char value, bool scopeChanged) => value switch
    {
        'N' => 0.85,
        'L' => scopeChanged ? 0.68 : 0.62,
        _ => scopeChanged ? 0.5 : 0.27,
    };

    /// <summary>
    /// The smallest one-decimal number not below <paramref name="value"/>. v3.1 (Appendix A) works in integers so that
    /// floating-point noise such as 4.000000000000001 does not round up to 4.1; v3.0 defined it as a plain ceiling, and
    /// its published calculators computed exactly that.
    /// </summary>
    private static double Roundup(double value, bool v31)
    {
        if (!v31)
        {
            return Math.Ceiling(value * 10) / 10;
        }

        var scaled = (long)Math.Round(value * 100_000, MidpointRounding.AwayFromZero);
        return scaled % 10_000 == 0 ? scaled / 100_000.0 : (Math.Floor(scaled / 10_000.0) + 1) / 10.0;
    }
}
