using Bulwark.Core.Rules;

namespace Bulwark.Core.Findings;

/// <summary>One problem at one place, reported by one rule.</summary>
public sealed record Finding
{
    public required RuleDescriptor Rule { get; init; }

    public required Severity Severity { get; init; }

    public required string Message { get; init; }

    public required SourceLocation Location { get; init; }

    /// <summary>0-based index of the document in its file (multi-document YAML); 0 for single-document sources.</summary>
    public int Document { get; init; }

    public ObjectReference? Object { get; init; }

    public string? Container { get; init; }

    /// <summary>A finding-specific fix; when null the rule's remediation applies.</summary>
    public string? Remediation { get; init; }

    /// <summary>Standards controls the same finding also stands for (e.g. a Pod Security Standards check it absorbed).</summary>
    public IReadOnlyList<string> AlsoViolates { get; init; } = [];

    /// <summary>The known vulnerability a vulnerable-package finding reports; null for every other rule.</summary>
    public VulnerabilityDetail? Vulnerability { get; init; }

    /// <summary>Set when a suppression matched; suppressed findings are counted and can be shown, never dropped silently.</summary>
    public Suppression? Suppression { get; init; }

    public string EffectiveRemediation => Remediation ?? Rule.Remediation;
}

/// <summary>Why a finding was suppressed: where the suppression came from and the reason its author gave.</summary>
public sealed record Suppression(string Kind, string Source, string? Reason);
