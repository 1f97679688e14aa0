using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacTokenCreateRule : RoleGrantRule
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4008",
        Slug = "rbac-token-create",
        Title = "Role can issue service account tokens",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            `create` on `serviceaccounts/token` issues a token for a service account through the TokenRequest
            API, so the subject gains the rights of every service account it can name: of the whole namespace,
            or of the cluster through a ClusterRoleBinding.
            """,
        Remediation = "Remove create on serviceaccounts/token, or limit it with `resourceNames` to the one service account the holder must act as.",
        References =
        [
            new("Kubernetes RBAC good practices", "Token request", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: token-issuer
                  namespace: shop
                rules:
                  - apiGroups: [""]
                    resources: [serviceaccounts/token] # expect: BW4008
                    verbs: [create]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: sa-viewer
                  namespace: shop
                rules:
                  - apiGroups: [""]
                    resources: [serviceaccounts]
                    verbs: [get, list]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role) =>
        Grants(rule, "create", CoreGroup, "serviceaccounts/token")
            ? new RoleGrantMatch(rule.ItemNode("resources", "serviceaccounts/token", "*/token", "*"), "create on serviceaccounts/token")
            : null;
}
