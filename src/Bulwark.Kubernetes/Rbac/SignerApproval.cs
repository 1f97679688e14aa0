namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// Who may approve CertificateSigningRequests, as the API server checks it: <c>update</c> (or <c>patch</c>) on
/// <c>certificatesigningrequests/approval</c>, and <c>approve</c> on the <c>signers</c> resource of
/// <c>certificates.k8s.io</c> named after the request's <c>signerName</c>, or after its domain with a wildcard path
/// (<c>example.com/*</c>). A rule without resourceNames approves for every signer.
/// </summary>
public static class SignerApproval
{
    public const string Group = "certificates.k8s.io";

    /// <summary>Signs client certificates for any user and group the request names, <c>system:masters</c> included.</summary>
    public const string ApiServerClient = "kubernetes.io/kube-apiserver-client";

    /// <summary>Signs client certificates for nodes (<c>system:node:NAME</c> in <c>system:nodes</c>).</summary>
    public const string KubeletClient = "kubernetes.io/kube-apiserver-client-kubelet";

    /// <summary>True when the rule lets its holder approve requests for <paramref name="signerName"/>.</summary>
    public static bool Covers(RbacPolicyRule rule, string signerName)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(signerName);
        if (!RbacMatcher.AllowsSomeName(rule, "approve", Group, "signers"))
        {
            return false;
        }

        if (rule.ResourceNames.Length == 0)
        {
            return true;
        }

        var slash = signerName.IndexOf('/', StringComparison.Ordinal);
        var wildcard = slash > 0 ? signerName[..slash] + "/*" : null;
        return rule.ResourceNames.Any(n => n == signerName || n == wildcard);
    }

    /// <summary>True when the rule allows setting the Approved condition (the approval subresource) for some request.</summary>
    public static bool AllowsApproval(RbacPolicyRule rule) =>
        RbacMatcher.AllowsSomeName(rule, "update", Group, "certificatesigningrequests", "approval")
        || RbacMatcher.AllowsSomeName(rule, "patch", Group, "certificatesigningrequests", "approval");

    /// <summary>The signers a rule approves for, in words: "every signer" or the names it lists.</summary>
    public static string Describe(RbacPolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.ResourceNames.Length == 0 ? "every signer" : "signers " + string.Join(", ", rule.ResourceNames);
    }
}
