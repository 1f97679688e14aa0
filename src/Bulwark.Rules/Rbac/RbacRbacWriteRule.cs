using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacRbacWriteRule : RoleGrantRule
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch"];
    private static readonly string[] RbacGroup = [RbacModel.RbacGroup];
    private static readonly string[] RbacResources = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4006",
        Slug = "rbac-rbac-write",
        Title = "Role can create or change roles or role bindings",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Writing roles and bindings is managing access itself. Escalation prevention limits it to
            permissions the writer already holds, but within that the subject can hand its rights to anyone,
            add rules to aggregated ClusterRoles through labels, and rebind roles it was meant only to use.
            """,
        Remediation = "Manage RBAC objects through reviewed manifests applied by a deployment pipeline; keep write access to roles and bindings out of application and user roles.",
        References =
        [
            new("Kubernetes RBAC", "Privilege escalation prevention", "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: team-admin
                  namespace: shop
                rules:
                  - apiGroups: [rbac.authorization.k8s.io]
                    resources: [rolebindings] # expect: BW4006
                    verbs: [create, delete]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: team-auditor
                  namespace: shop
                rules:
                  - apiGroups: [rbac.authorization.k8s.io]
                    resources: [roles, rolebindings]
                    verbs: [get, list, watch]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        var on = RbacResources.Where(r => GrantedVerbs(rule, WriteVerbs, RbacGroup, r).Count > 0).ToList();
        if (on.Count == 0)
        {
            return null;
        }

        var verbs = WriteVerbs.Where(v => on.Any(r => Grants(rule, v, RbacGroup, r)));
        return new RoleGrantMatch(rule.ItemNode("resources", [.. on, "*"]), $"{string.Join(", ", verbs)} on {string.Join(", ", on)}", on.All(r => r.StartsWith("cluster", StringComparison.Ordinal)));
    }
}
