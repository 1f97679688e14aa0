using Bulwark.Core.Findings;
using Bulwark.Scanning.Inputs;

namespace Bulwark.Scanning.Configuration;

/// <summary>
/// The project configuration (<c>.bulwark.yaml</c>): rules switched on or off, severity overrides,
/// path excludes and exemptions. Every field is optional.
/// </summary>
public sealed record BulwarkConfig
{
    public static BulwarkConfig Empty { get; } = new();

    /// <summary>The file it was read from, for messages; null when none was found.</summary>
    public string? File { get; init; }

    /// <summary>Rule IDs or slugs switched off.</summary>
    public IReadOnlyList<string> DisabledRules { get; init; } = [];

    /// <summary>Rule IDs or slugs switched on (including rules off by default).</summary>
    public IReadOnlyList<string> EnabledRules { get; init; } = [];

    /// <summary>Severity overrides by rule ID or slug.</summary>
    public IReadOnlyDictionary<string, Severity> SeverityOverrides { get; init; } = new Dictionary<string, Severity>();

    public IReadOnlyList<GlobPattern> Excludes { get; init; } = [];

    public IReadOnlyList<Exemption> Exemptions { get; init; } = [];

    public FailThreshold? FailOn { get; init; }

    /// <summary>A Pod Security Standards policy (<c>restricted:v1.30</c>) to add to every scan.</summary>
    public string? PodSecurity { get; init; }

    /// <summary>Where reports link rule pages to (a mirror of docs/rules); null: the repository's pages at this version.</summary>
    public string? HelpBaseUrl { get; init; }

    /// <summary>What <c>bulwark serve</c> enforces (the <c>admission</c> section).</summary>
    public AdmissionConfig Admission { get; init; } = AdmissionConfig.Default;
}

/// <summary>
/// Findings of <see cref="Rules"/> (all rules when empty) on matching objects are suppressed with
/// <see cref="Reason"/>, until <see cref="Expires"/> when set. Namespace, kind, name and path are globs; an unset one
/// matches anything. An exemption naming vulnerabilities or packages matches vulnerability findings only.
/// </summary>
public sealed record Exemption
{
    public IReadOnlyList<string> Rules { get; init; } = [];

    public GlobPattern? Namespace { get; init; }

    public GlobPattern? Kind { get; init; }

    public GlobPattern? Name { get; init; }

    public GlobPattern? Path { get; init; }

    /// <summary>
    /// Vulnerability IDs (<c>CVE-2023-4911</c>, <c>GHSA-…</c>) the exemption is limited to; a finding matches when its
    /// advisory's ID or one of its aliases is listed. Empty: not limited.
    /// </summary>
    public IReadOnlyList<string> Vulnerabilities { get; init; } = [];

    /// <summary>Globs over a vulnerable package's name or purl the exemption is limited to. Empty: not limited.</summary>
    public IReadOnlyList<GlobPattern> Packages { get; init; } = [];

    /// <summary>The last day the exemption holds; from the day after, its findings are reported again.</summary>
    public DateOnly? Expires { get; init; }

    public string? Reason { get; init; }

    public int Line { get; init; }

    public bool Matches(Finding finding) => Matches(finding, DateOnly.FromDateTime(DateTime.UtcNow));

    public bool Matches(Finding finding, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (Rules.Count > 0 && !Rules.Any(finding.Rule.IsNamed))
        {
            return false;
        }

        if (Expires is { } last && today > last)
        {
            return false;
        }

        if (Vulnerabilities.Count > 0 || Packages.Count > 0)
        {
            if (finding.Vulnerability is not { } v)
            {
                return false;
            }

            if (Vulnerabilities.Count > 0 && !Vulnerabilities.Any(id => string.Equals(id, v.Id, StringComparison.OrdinalIgnoreCase) || v.Aliases.Contains(id, StringComparer.OrdinalIgnoreCase)))
            {
                return false;
            }

            if (Packages.Count > 0 && !Packages.Any(p => p.IsMatch(v.Package) || (v.Purl is { } purl && p.IsMatch(purl))))
            {
                return false;
            }
        }

        var obj = finding.Object;
        return Matches(Namespace, obj?.Namespace ?? string.Empty)
            && Matches(Kind, obj?.Kind ?? string.Empty)
            && Matches(Name, obj?.Name ?? string.Empty)
            && Matches(Path, finding.Location.File);
    }

    private static bool Matches(GlobPattern? pattern, string value) => pattern is null || pattern.IsMatch(value);
}
