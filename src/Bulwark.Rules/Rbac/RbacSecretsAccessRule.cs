using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacSecretsAccessRule : RoleGrantRule
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4002",
        Slug = "rbac-secrets-access",
        Title = "Role can read Secrets",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            `get`, `list` and `watch` on Secrets all return their contents (`list` returns every Secret at once).
            Secrets hold credentials, and service-account token Secrets carry the rights of their service
            accounts, so reading Secrets in a namespace is often as good as being its most privileged account;
            cluster-wide it is close to cluster-admin.
            """,
        Remediation = "Grant Secret access only to the controllers that need it, by `resourceNames` where possible; mount Secrets into pods instead of reading them through the API.",
        References =
        [
            new("Kubernetes RBAC good practices", "Listing secrets", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets"),
            new("CIS Kubernetes Benchmark", "5.1.2"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: config-reader
                  namespace: shop
                rules:
                  - apiGroups: [""]
                    resources: [configmaps, secrets] # expect: BW4002
                    verbs: [list]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: config-reader
                  namespace: shop
                rules:
                  - apiGroups: [""]
                    resources: [configmaps]
                    verbs: [get, list]
                  - apiGroups: [""]
                    resources: [secrets]
                    verbs: [create, delete]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        var verbs = GrantedVerbs(rule, ReadVerbs, CoreGroup, "secrets");
        return verbs.Count == 0 ? null : new RoleGrantMatch(rule.ItemNode("resources", "secrets", "*"), $"{string.Join(", ", verbs)} on secrets");
    }
}
