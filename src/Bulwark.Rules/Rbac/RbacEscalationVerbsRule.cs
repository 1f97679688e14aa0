using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacEscalationVerbsRule : RoleGrantRule
{
    private static readonly string[] RbacGroup = [RbacModel.RbacGroup];
    private static readonly string[] ImpersonationGroups = [string.Empty, "authentication.k8s.io"];

    private static readonly (string Verb, string[] Groups, string[] Resources)[] Entries =
    [
        ("escalate", RbacGroup, ["roles", "clusterroles"]),
        ("bind", RbacGroup, ["roles", "clusterroles"]),
        ("impersonate", ImpersonationGroups, ["users", "groups", "serviceaccounts", "uids", "userextras"]),
    ];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4005",
        Slug = "rbac-escalation-verbs",
        Title = "Role grants escalate, bind or impersonate",
        Severity = Severity.Critical,
        MinimumSeverity = Severity.Medium,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            These verbs switch off RBAC's own escalation prevention. `escalate` lets a subject write roles with
            permissions it does not hold; `bind` lets it bind roles it does not hold (cluster-admin included);
            `impersonate` lets it act as other users, groups (`system:masters`) or service accounts.
            """,
        Remediation = "Remove escalate, bind and impersonate; where a controller truly needs bind, limit it with `resourceNames` to the roles it hands out.",
        References =
        [
            new("Kubernetes RBAC good practices", "Escalate verb, Bind verb, Impersonate verb", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb"),
            new("Kubernetes RBAC", "Privilege escalation prevention", "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: role-manager
                rules:
                  - apiGroups: [rbac.authorization.k8s.io]
                    resources: [clusterroles] # expect: BW4005
                    verbs: [get, bind]
                  - apiGroups: [""]
                    resources: [groups] # expect: BW4005
                    verbs: [impersonate]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: role-viewer
                rules:
                  - apiGroups: [rbac.authorization.k8s.io]
                    resources: [clusterroles, clusterrolebindings]
                    verbs: [get, list, watch]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        var what = new List<string>();
        var clusterScoped = true;
        var at = default(Parsing.Documents.DocNode);
        foreach (var (verb, groups, resources) in Entries)
        {
            var on = resources.Where(r => Grants(rule, verb, groups, r)).ToList();
            if (on.Count > 0)
            {
                what.Add($"{verb} on {string.Join(", ", on)}");
                clusterScoped &= on.All(r => r is not ("roles" or "serviceaccounts"));
                at ??= rule.ItemNode("resources", [.. on, "*"]);
            }
        }

        return what.Count == 0 ? null : new RoleGrantMatch(at, string.Join("; ", what), clusterScoped);
    }
}
