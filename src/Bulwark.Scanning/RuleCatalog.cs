using Bulwark.Core.Rules;
using Bulwark.Core.Text;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Rules;

namespace Bulwark.Scanning;

/// <summary>Every rule descriptor users can name: the built-in rules and the Pod Security Standards checks.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<RuleDescriptor> Descriptors { get; } =
        [.. BuiltInRules.All.Select(r => r.Descriptor).Concat(PodSecurityDescriptors.All).OrderBy(d => d.Id, StringComparer.Ordinal)];

    public static RuleDescriptor? Find(string idOrSlug) => Descriptors.FirstOrDefault(d => d.IsNamed(idOrSlug));

    /// <summary>
    /// Null when <paramref name="idOrSlug"/> names a rule; otherwise the problem, with the closest name, for a
    /// usage error or a warning. A name that selects nothing must never pass silently: <c>--rule privileged</c>
    /// would otherwise run no rule at all and pass.
    /// </summary>
    public static string? Unknown(string idOrSlug)
    {
        if (Find(idOrSlug) is not null)
        {
            return null;
        }

        var names = Descriptors.SelectMany(d => (IEnumerable<string>)[d.Slug, d.Id, .. d.Aliases]);
        var hint = Suggestions.Closest(idOrSlug, names, MaxDistance(idOrSlug))
            ?? Descriptors.FirstOrDefault(d => idOrSlug.Length >= 4 && d.Slug.Contains(idOrSlug, StringComparison.OrdinalIgnoreCase))?.Slug;
        return $"unknown rule \"{idOrSlug}\"" + (hint is null ? "; `bulwark rules list` shows every rule" : $" (did you mean {hint}?)");
    }

    // Slugs are long: a few letters off is still clearly the same rule, but a short ID is not.
    private static int MaxDistance(string name) => name.Length >= 12 ? 4 : 2;
}
