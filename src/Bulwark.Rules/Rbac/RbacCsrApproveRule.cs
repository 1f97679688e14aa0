using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacCsrApproveRule : RoleGrantRule
{
    private static readonly string[] ApprovalVerbs = ["update", "patch"];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4009",
        Slug = "rbac-csr-approve",
        Title = "Role can approve certificate signing requests",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = "Starts from the signers the role can approve: critical for `kubernetes.io/kube-apiserver-client` (client certificates naming any user and group, `system:masters` included), high for `kubernetes.io/kube-apiserver-client-kubelet` (node client certificates), medium for other signers. " + BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Approving a CertificateSigningRequest takes two permissions together, both cluster-scoped:
            `update` (or `patch`) on `certificatesigningrequests/approval`, and `approve` on the `signers` resource
            named after the request's signer (`kubernetes.io/kube-apiserver-client`, or a domain wildcard such as
            `kubernetes.io/*`; no `resourceNames` means every signer). Approved requests become certificates the API
            server trusts: with `kubernetes.io/kube-apiserver-client` a client certificate can name any user and
            group, `system:masters` included; with `kubernetes.io/kube-apiserver-client-kubelet` it is a node's
            identity. Holding only one of the two permissions approves nothing.
            """,
        Remediation = "Leave CSR approval to the controller manager and to dedicated, reviewed approvers; limit `approve` on signers with `resourceNames` to the signers they serve.",
        References =
        [
            new("Kubernetes RBAC good practices", "CSRs and certificate issuing", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing"),
            new("Kubernetes", "Certificates and Certificate Signing Requests: authorization", "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: csr-approver
                rules:
                  - apiGroups: [certificates.k8s.io]
                    resources: [certificatesigningrequests/approval] # expect: BW4009
                    verbs: [update]
                  - apiGroups: [certificates.k8s.io]
                    resources: [signers]
                    resourceNames: [kubernetes.io/*]
                    verbs: [approve]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: csr-status-writer
                rules:
                  - apiGroups: [certificates.k8s.io]
                    resources: [certificatesigningrequests, certificatesigningrequests/approval]
                    verbs: [get, list, update]
                  # approve on a signer is missing: nothing can be approved with this role alone.
                  - apiGroups: [certificates.k8s.io]
                    resources: [signers]
                    resourceNames: [example.com/serving]
                    verbs: [sign]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role) => null;

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role, RbacModel model)
    {
        if (!SignerApproval.AllowsApproval(rule))
        {
            return null;
        }

        // approve on signers from the role itself, else from another ClusterRoleBinding of a subject this role is bound to.
        var signers = role.Rules.Where(r => RbacMatcher.AllowsSomeName(r, "approve", SignerApproval.Group, "signers")).ToList();
        var elsewhere = string.Empty;
        if (signers.Count == 0 && OtherSignerGrant(role, model) is { } other)
        {
            signers.Add(other.Rule);
            elsewhere = $" (approve on signers from {other.Binding.Display} → {other.Role.Display})";
        }

        if (signers.Count == 0)
        {
            return null;
        }

        var verbs = string.Join(", ", ApprovalVerbs.Where(v => RbacMatcher.AllowsSomeName(rule, v, SignerApproval.Group, "certificatesigningrequests", "approval")));
        var (severity, reach) = signers.Any(r => SignerApproval.Covers(r, SignerApproval.ApiServerClient))
            ? (Severity.Critical, "client certificates naming any user and group, system:masters included")
            : signers.Any(r => SignerApproval.Covers(r, SignerApproval.KubeletClient))
                ? (Severity.High, "client certificates of nodes (system:nodes)")
                : (Severity.Medium, "certificates of those signers");
        var which = string.Join("; ", signers.Select(SignerApproval.Describe).Distinct(StringComparer.Ordinal));
        return new RoleGrantMatch(
            rule.ItemNode("resources", "certificatesigningrequests/approval", "*/approval", "*"),
            $"{verbs} on certificatesigningrequests/approval and approve on {which}{elsewhere}, so its holders can approve {reach}",
            ClusterScoped: true,
            Severity: severity);
    }

    private static RbacGrant? OtherSignerGrant(RbacRole role, RbacModel model)
    {
        var resolver = new RbacResolver(model);
        foreach (var binding in model.EffectiveBindingsOf(role).Where(b => b.IsClusterWide))
        {
            foreach (var subject in binding.Subjects.Where(s => s.MatchKey is not null))
            {
                var identity = subject.Kind switch
                {
                    RbacSubject.ServiceAccount => RbacIdentity.ForServiceAccount(subject.Namespace, subject.Name),
                    RbacSubject.Group => RbacIdentity.ForGroup(subject.Name),
                    _ => RbacIdentity.ForUser(subject.Name),
                };
                var grant = resolver.RulesFor(identity, string.Empty)
                    .FirstOrDefault(g => g.Binding.IsClusterWide && RbacMatcher.AllowsSomeName(g.Rule, "approve", SignerApproval.Group, "signers"));
                if (grant is not null)
                {
                    return grant;
                }
            }
        }

        return null;
    }
}
