using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Rbac;

/// <summary>
/// What one entry of a role's <c>rules</c> grants that a rule is about, and the list item to point at.
/// <paramref name="ClusterScoped"/>: the grant is about cluster-scoped resources only, which a RoleBinding never
/// grants. <paramref name="Severity"/>: the severity when bound cluster-wide, when it is not the descriptor's.
/// </summary>
public readonly record struct RoleGrantMatch(DocNode? At, string What, bool ClusterScoped = false, Severity? Severity = null);

/// <summary>
/// A rule about what the text of a Role or ClusterRole grants. It judges every written rule entry of every role
/// of the input (Kubernetes' own bootstrap roles aside), reports at the matching list item, and sets the
/// severity from where the role is in force: bound cluster-wide (the descriptor's severity), bound only
/// in namespaces (one step lower), not bound in the input (two steps lower, at least low), or bound to everyone
/// (<c>system:authenticated</c>, <c>system:unauthenticated</c>, <c>system:anonymous</c>: critical).
/// Bindings through an aggregated ClusterRole count for the roles it aggregates.
/// </summary>
public abstract class RoleGrantRule : Rule<KubernetesCluster>
{
    protected static readonly string[] CoreGroup = [string.Empty];

    /// <summary>What <see cref="Exposure"/> does to the severity, for the descriptors' <c>SeverityNote</c>.</summary>
    protected const string BindingSeverityNote =
        "Where the role is in force moves it: unchanged when a ClusterRoleBinding grants it, one step lower when only RoleBindings do, two steps lower (at least low) when no binding in these manifests grants it (for a cluster-scoped resource, no ClusterRoleBinding), and critical when it is bound to every user (`system:authenticated`, `system:unauthenticated` or `system:anonymous`).";

    /// <summary>What <paramref name="rule"/> grants that this rule reports, or null.</summary>
    protected abstract RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role);

    /// <summary>The same, for rules that need the rest of the model (what else the role's subjects hold).</summary>
    protected virtual RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role, RbacModel model) => Match(rule, role);

    public sealed override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = RbacModel.For(target);
        foreach (var role in model.AllRoles)
        {
            if (role.Object is not { } obj || role.IsKubernetesDefault)
            {
                continue;
            }

            foreach (var rule in role.WrittenRules)
            {
                if (Match(rule, role, model) is not { } match)
                {
                    continue;
                }

                var (severity, exposure) = Exposure(model, role, match.Severity ?? Descriptor.Severity, match.ClusterScoped);
                var names = rule.ResourceNames.Length > 0 ? $" (only for {string.Join(", ", rule.ResourceNames)})" : string.Empty;
                context.Report(new Finding
                {
                    Rule = Descriptor,
                    Severity = severity,
                    Message = $"{role.Display} grants {match.What}{names}; {exposure}.",
                    Location = match.At is { } at ? obj.At(at) : obj.Location,
                    Document = obj.Document,
                    Object = obj.Object,
                });
            }
        }
    }

    /// <summary>
    /// The severity for a role given where it is bound, and a phrase saying so: the bindings (through the aggregated
    /// ClusterRoles that take the role's rules too), where they apply and to whom. A grant of cluster-scoped
    /// resources counts only ClusterRoleBindings.
    /// </summary>
    internal static (Severity Severity, string Phrase) Exposure(RbacModel model, RbacRole role, Severity baseSeverity, bool clusterScoped = false)
    {
        var bindings = model.EffectiveBindingsOf(role).ToList();
        if (bindings.Count == 0)
        {
            return (Lower(baseSeverity, 2), "it is not bound in these manifests");
        }

        if (clusterScoped && !bindings.Any(b => b.IsClusterWide))
        {
            return (Lower(baseSeverity, 2),
                $"it is bound only by {Listing.Join([.. bindings.Select(b => b.Display)], 2)}, and a RoleBinding grants no cluster-scoped resource, so it is in force for no one yet");
        }

        if (clusterScoped)
        {
            bindings = [.. bindings.Where(b => b.IsClusterWide)];
        }

        var subjects = bindings.SelectMany(b => b.Subjects).Where(s => s.MatchKey is not null).Select(s => s.Display).Distinct(StringComparer.Ordinal).ToList();
        var shown = Listing.Join(subjects);
        var clusterWide = bindings.Where(b => b.IsClusterWide).ToList();
        var through = role.IsAggregated || bindings.All(b => b.Role == role) ? string.Empty : Through(bindings.Where(b => b.Role != role));
        var where = clusterWide.Count > 0
            ? $"bound cluster-wide by {Listing.Join([.. clusterWide.Select(b => b.Display)], 2)}{through}"
            : $"bound in namespace {string.Join(", ", bindings.Select(b => b.Namespace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))} by {Listing.Join([.. bindings.Select(b => b.Display)], 2)}{through}";
        var phrase = subjects.Count > 0 ? $"{where} to {shown}" : $"{where} (to no valid subject)";
        if (bindings.SelectMany(b => b.Subjects).Any(IsEveryone))
        {
            return (Severity.Critical, phrase);
        }

        return (clusterWide.Count > 0 ? baseSeverity : Lower(baseSeverity, 1), phrase);
    }

    private static string Through(IEnumerable<RbacBinding> bindings) =>
        " (through " + string.Join(", ", bindings.Select(b => b.RoleDisplay).Distinct(StringComparer.Ordinal)) + ", which aggregates it)";

    /// <summary>Subjects that stand for every user (or every unauthenticated client).</summary>
    internal static bool IsEveryone(RbacSubject subject) =>
        (subject.Kind == RbacSubject.Group && subject.Name is RbacIdentity.Authenticated or RbacIdentity.Unauthenticated)
        || (subject.Kind == RbacSubject.User && subject.Name == RbacIdentity.Anonymous);

    private static Severity Lower(Severity severity, int steps) => (Severity)Math.Max((int)Severity.Low, (int)severity - steps);

    /// <summary>True when the rule allows <paramref name="verb"/> on <paramref name="resource"/> (maybe <c>res/sub</c>) in one of <paramref name="groups"/>, for some name.</summary>
    protected static bool Grants(RbacPolicyRule rule, string verb, string[] groups, string resource)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(resource);
        if (!RbacMatcher.VerbMatches(rule, verb))
        {
            return false;
        }

        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var sub = slash >= 0 ? resource[(slash + 1)..] : string.Empty;
        foreach (var group in groups)
        {
            // AllowsSomeName without its per-call string work: the combined resource is the one given.
            if (RbacMatcher.ApiGroupMatches(rule, group) && RbacMatcher.ResourceMatches(rule, resource, sub))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The verbs of <paramref name="verbs"/> the rule allows on the resource, in order.</summary>
    protected static List<string> GrantedVerbs(RbacPolicyRule rule, string[] verbs, string[] groups, string resource)
    {
        var result = new List<string>();
        foreach (var verb in verbs)
        {
            if (Grants(rule, verb, groups, resource))
            {
                result.Add(verb);
            }
        }

        return result;
    }

    /// <summary>The list item to point at: the first of the values in <c>resources</c>, else in <c>verbs</c>.</summary>
    protected static DocNode? ResourceOrVerbNode(RbacPolicyRule rule, string[] resources, string[] verbs)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.ItemNode("resources", [.. resources, "*"]) ?? rule.ItemNode("verbs", [.. verbs, "*"]) ?? rule.Node;
    }
}
