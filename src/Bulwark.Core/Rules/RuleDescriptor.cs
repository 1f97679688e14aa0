using System.Collections.Immutable;
using Bulwark.Core.Findings;

namespace Bulwark.Core.Rules;

/// <summary>
/// Everything users and tools learn about a rule: the catalog, <c>bulwark rules explain</c>, the generated
/// docs, SARIF rule metadata and the example tests all read this one declaration.
/// </summary>
public sealed record RuleDescriptor
{
    private readonly Severity? _minimumSeverity;
    private readonly Severity? _maximumSeverity;

    /// <summary>Permanent opaque ID (<c>BW1001</c>); never reused, never changes meaning.</summary>
    public required string Id { get; init; }

    /// <summary>Human name (<c>privileged-container</c>); part of the public interface.</summary>
    public required string Slug { get; init; }

    /// <summary>One line, no trailing period.</summary>
    public required string Title { get; init; }

    /// <summary>
    /// The default severity: a finding's severity when nothing in the input raises or lowers it (for most rules, every
    /// finding's). SARIF's <c>defaultConfiguration.level</c> and <c>security-severity</c> are derived from it.
    /// </summary>
    public required Severity Severity { get; init; }

    /// <summary>
    /// The lowest severity a finding of the rule can have (before configuration overrides); the default unless set.
    /// The rule tests hold every finding of the rule's examples (and of the real-world corpora) to the range.
    /// </summary>
    public Severity MinimumSeverity
    {
        get => _minimumSeverity ?? Severity;
        init => _minimumSeverity = value;
    }

    /// <summary>The highest severity a finding of the rule can have (before configuration overrides); the default unless set.</summary>
    public Severity MaximumSeverity
    {
        get => _maximumSeverity ?? Severity;
        init => _maximumSeverity = value;
    }

    /// <summary>Markdown, a sentence or two: what raises or lowers a finding's severity from the default. Required when the range is wider than the default.</summary>
    public string? SeverityNote { get; init; }

    /// <summary>True when findings of the rule can have other severities than the default.</summary>
    public bool SeverityVaries => MinimumSeverity != MaximumSeverity;

    /// <summary>Markdown: why the problem matters.</summary>
    public required string Rationale { get; init; }

    /// <summary>Markdown: how to fix it; ends with a period.</summary>
    public required string Remediation { get; init; }

    /// <summary>The checklist concept the rule belongs to (used to group docs).</summary>
    public required string Category { get; init; }

    public required ImmutableArray<SourceKind> Sources { get; init; }

    public ImmutableArray<RuleReference> References { get; init; } = [];

    public ImmutableArray<RuleExample> Examples { get; init; } = [];

    /// <summary>Former IDs or slugs that still select this rule.</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary>Pod Security Standards check IDs whose violations this rule also reports (used to report a problem once).</summary>
    public ImmutableArray<string> PodSecurityChecks { get; init; } = [];

    public bool EnabledByDefault { get; init; } = true;

    /// <summary>
    /// True when the rule's verdict on an object depends on other objects (a namespace's NetworkPolicies, the service
    /// account a pod runs as): judged on one object alone, as the admission webhook judges each request, it would
    /// be wrong, so the webhook does not run it (<c>bulwark scan</c> of the cluster's manifests does).
    /// </summary>
    public bool NeedsOtherObjects { get; init; }

    /// <summary>
    /// The option without which the rule never fires though it is enabled (the Pod Security Standards checks run only
    /// at a level chosen with <c>--pss</c>); null for rules that run whenever they are enabled.
    /// </summary>
    public string? RequiresOption { get; init; }

    /// <summary>Markdown: when a rule with <see cref="RequiresOption"/> fires, said in full for its page.</summary>
    public string? FiresWhen { get; init; }

    /// <summary>True when <paramref name="severity"/> is within the rule's declared range.</summary>
    public bool AllowsSeverity(Severity severity) => severity >= MinimumSeverity && severity <= MaximumSeverity;

    /// <summary>True when <paramref name="idOrSlug"/> names this rule by ID, slug or alias (IDs and slugs are case-insensitive).</summary>
    public bool IsNamed(string idOrSlug) =>
        string.Equals(idOrSlug, Id, StringComparison.OrdinalIgnoreCase)
        || string.Equals(idOrSlug, Slug, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => string.Equals(a, idOrSlug, StringComparison.OrdinalIgnoreCase));
}
