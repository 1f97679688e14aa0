using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacCsrApproveRule : RoleGrantRule
{
    private static readonly string[] CertificatesGroup = ["certificates.k8s.io"];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4009",
        Slug = "rbac-csr-approve",
        Title = "Role can approve certificate signing requests",
        Severity = Severity.High,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Approving CertificateSigningRequests (`update` on `certificatesigningrequests/approval` together
            with `approve` on a signer) issues certificates that the API server trusts; with the
            `kubernetes.io/kube-apiserver-client` signer a client certificate can name any user and group,
            `system:masters` included.
            """,
        Remediation = "Leave CSR approval to the controller manager and to dedicated, reviewed approvers; limit `approve` on signers with `resourceNames` to the signers they serve.",
        References =
        [
            new("Kubernetes RBAC good practices", "CSRs and certificate issuing", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing"),
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
                    resources: [signers] # expect: BW4009
                    verbs: [approve]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: csr-requester
                rules:
                  - apiGroups: [certificates.k8s.io]
                    resources: [certificatesigningrequests]
                    verbs: [create, get]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        if (Grants(rule, "update", CertificatesGroup, "certificatesigningrequests/approval") || Grants(rule, "patch", CertificatesGroup, "certificatesigningrequests/approval"))
        {
            return new RoleGrantMatch(rule.ItemNode("resources", "certificatesigningrequests/approval", "*/approval", "*"), "update on certificatesigningrequests/approval");
        }

        return Grants(rule, "approve", CertificatesGroup, "signers")
            ? new RoleGrantMatch(rule.ItemNode("resources", "signers", "*"), "approve on signers")
            : null;
    }
}
