using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Bulwark.Core.Rules;

namespace Bulwark.Rules;

/// <summary>
/// Every built-in rule, found by reflection over this assembly at start-up: adding a rule is adding its
/// file, with no list to keep (see docs/adr/0002-rule-catalog-by-reflection.md).
/// </summary>
public static class BuiltInRules
{
    public static ImmutableArray<IRule> All { get; } = Discover();

    // Trimmed and Native AOT publishes root this assembly (TrimmerRootAssembly in Bulwark.Cli.csproj), so every
    // rule type and its parameterless constructor survive and the reflection below finds them all.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Bulwark.Rules is a trimmer root assembly.")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Bulwark.Rules is a trimmer root assembly.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Bulwark.Rules is a trimmer root assembly.")]
    private static ImmutableArray<IRule> Discover() =>
        [.. typeof(BuiltInRules).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRule).IsAssignableFrom(t))
            .Select(t => (IRule)Activator.CreateInstance(t)!)
            .OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal)];
}
