using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacNamespaceLabelWriteRule : RoleGrantRule
{
    private static readonly string[] WriteVerbs = ["update", "patch"];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4012",
        Slug = "rbac-namespace-label-write",
        Title = "Role can change namespace labels",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Pod Security admission reads its level from namespace labels, and NetworkPolicy
            `namespaceSelector`s match namespace labels. Whoever can update or patch a namespace can switch
            its Pod Security level to privileged, or relabel it into the set of namespaces another team's
            policy lets in.
            """,
        Remediation = "Keep update and patch on namespaces to cluster administrators; manage namespace labels through reviewed manifests.",
        References =
        [
            new("Kubernetes RBAC good practices", "Namespace modification", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#namespace-modification"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: namespace-editor
                rules:
                  - apiGroups: [""]
                    resources: [namespaces] # expect: BW4012
                    verbs: [get, patch]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: namespace-viewer
                rules:
                  - apiGroups: [""]
                    resources: [namespaces]
                    verbs: [get, list, watch]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        var verbs = GrantedVerbs(rule, WriteVerbs, CoreGroup, "namespaces");
        return verbs.Count == 0 ? null : new RoleGrantMatch(rule.ItemNode("resources", "namespaces", "*"), $"{string.Join(", ", verbs)} on namespaces");
    }
}
