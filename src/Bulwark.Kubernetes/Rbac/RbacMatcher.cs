namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// Whether one policy rule allows a request, exactly as the API server's RBAC authorizer decides
/// (<c>RuleAllows</c> in plugin/pkg/auth/authorizer/rbac and the helpers of pkg/apis/rbac/v1/evaluation_helpers.go):
/// <list type="bullet">
/// <item><c>*</c> matches every verb, API group or resource; otherwise values match exactly and case-sensitively;</item>
/// <item>a resource <c>res/sub</c> matches only that subresource, <c>*/sub</c> that subresource of any resource; there is
/// no <c>res/*</c> pattern (it is a literal that no request names), and <c>res</c> never covers <c>res/sub</c>;</item>
/// <item>empty resourceNames allow any name; otherwise only a request carrying one of those names, so never a
/// request without a name (list, watch of a collection, create, deletecollection);</item>
/// <item>non-resource URLs match exactly, by <c>*</c>, or by a prefix ending in <c>*</c>.</item>
/// </list>
/// </summary>
public static class RbacMatcher
{
    public const string All = "*";

    public static bool Allows(RbacPolicyRule rule, RbacRequest request)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(request);
        if (request.NonResourceUrl is { } url)
        {
            return VerbMatches(rule, request.Verb) && NonResourceUrlMatches(rule, url);
        }

        return VerbMatches(rule, request.Verb)
            && ApiGroupMatches(rule, request.ApiGroup)
            && ResourceMatches(rule, request.CombinedResource, request.Subresource)
            && ResourceNameMatches(rule, request.Name);
    }

    /// <summary>True when some rule of <paramref name="rules"/> allows the request.</summary>
    public static bool AnyAllows(IEnumerable<RbacPolicyRule> rules, RbacRequest request) => rules.Any(r => Allows(r, request));

    /// <summary>
    /// Allows the request for at least one name: verbs, groups and resources match, whatever the rule's
    /// resourceNames. Rules about what a role text grants use this (and then say which names it is limited to).
    /// </summary>
    public static bool AllowsSomeName(RbacPolicyRule rule, string verb, string apiGroup, string resource, string subresource = "")
    {
        ArgumentNullException.ThrowIfNull(rule);
        var combined = subresource.Length > 0 ? resource + "/" + subresource : resource;
        return VerbMatches(rule, verb) && ApiGroupMatches(rule, apiGroup) && ResourceMatches(rule, combined, subresource);
    }

    public static bool VerbMatches(RbacPolicyRule rule, string verb)
    {
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var v in rule.Verbs)
        {
            if (v == All || v == verb)
            {
                return true;
            }
        }

        return false;
    }

    public static bool ApiGroupMatches(RbacPolicyRule rule, string group)
    {
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var g in rule.ApiGroups)
        {
            if (g == All || g == group)
            {
                return true;
            }
        }

        return false;
    }

    public static bool ResourceMatches(RbacPolicyRule rule, string combinedResource, string subresource)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(subresource);
        foreach (var r in rule.Resources)
        {
            if (r == All || r == combinedResource)
            {
                return true;
            }

            // "*/sub" matches the subresource "sub" of any resource; nothing else is a pattern.
            if (subresource.Length > 0
                && r.Length == subresource.Length + 2
                && r.StartsWith("*/", StringComparison.Ordinal)
                && r.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool ResourceNameMatches(RbacPolicyRule rule, string name)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.ResourceNames.Length == 0)
        {
            return true;
        }

        foreach (var n in rule.ResourceNames)
        {
            if (n == name)
            {
                return true;
            }
        }

        return false;
    }

    public static bool NonResourceUrlMatches(RbacPolicyRule rule, string url)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(url);
        foreach (var u in rule.NonResourceUrls)
        {
            if (u == All || u == url)
            {
                return true;
            }

            // Go's strings.TrimRight(ruleURL, "*") drops every trailing star, not just one.
            if (u.EndsWith('*') && url.StartsWith(u.TrimEnd('*'), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
