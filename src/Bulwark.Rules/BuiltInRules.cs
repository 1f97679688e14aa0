using System.Collections.Immutable;
using Bulwark.Core.Rules;

namespace Bulwark.Rules;

/// <summary>
/// Every built-in rule, found by reflection over this assembly at start-up: adding a rule is adding its
/// file, with no list to keep (see docs/adr/0002-rule-catalog-by-reflection.md).
/// </summary>
public static class BuiltInRules
{
    public static ImmutableArray<IRule> All { get; } = Discover();

    private static ImmutableArray<IRule> Discover() =>
        [.. typeof(BuiltInRules).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRule).IsAssignableFrom(t))
            .Select(t => (IRule)Activator.CreateInstance(t)!)
            .OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal)];
}
