using System.Collections.Immutable;
using Bulwark.Core.Findings;

namespace Bulwark.Core.Rules;

/// <summary>
/// Everything users and tools learn about a rule: the catalog, <c>bulwark rules explain</c>, the generated
/// docs, SARIF rule metadata and the example tests all read this one declaration.
/// </summary>
public sealed record RuleDescriptor
{
    /// <summary>Permanent opaque ID (<c>BW1001</c>); never reused, never changes meaning.</summary>
    public required string Id { get; init; }

    /// <summary>Human name (<c>privileged-container</c>); part of the public interface.</summary>
    public required string Slug { get; init; }

    /// <summary>One line, no trailing period.</summary>
    public required string Title { get; init; }

    public required Severity Severity { get; init; }

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

    public const string DocsBaseUrl = "https://bulwark.dev/docs/rules/";

    public string HelpUri => DocsBaseUrl + Id;

    /// <summary>True when <paramref name="idOrSlug"/> names this rule by ID, slug or alias (IDs and slugs are case-insensitive).</summary>
    public bool IsNamed(string idOrSlug) =>
        string.Equals(idOrSlug, Id, StringComparison.OrdinalIgnoreCase)
        || string.Equals(idOrSlug, Slug, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => string.Equals(a, idOrSlug, StringComparison.OrdinalIgnoreCase));
}
