using Bulwark.Core.Rules;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Rules;

namespace Bulwark.Scanning;

/// <summary>Every rule descriptor users can name: the built-in rules and the Pod Security Standards checks.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<RuleDescriptor> Descriptors { get; } =
        [.. BuiltInRules.All.Select(r => r.Descriptor).Concat(PodSecurityDescriptors.All).OrderBy(d => d.Id, StringComparer.Ordinal)];

    public static RuleDescriptor? Find(string idOrSlug) => Descriptors.FirstOrDefault(d => d.IsNamed(idOrSlug));
}
