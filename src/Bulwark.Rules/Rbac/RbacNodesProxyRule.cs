using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacNodesProxyRule : RoleGrantRule
{
    private static readonly string[] Verbs = ["get", "create"];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4007",
        Slug = "rbac-nodes-proxy",
        Title = "Role can reach the kubelet API through nodes/proxy",
        Severity = Severity.Critical,
        MinimumSeverity = Severity.Medium,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            `nodes/proxy` forwards requests to each node's kubelet, whose API runs commands in every pod on the
            node, out of reach of admission control and the API server's audit log. `get` alone is enough: the
            kubelet's exec endpoint accepts a websocket upgrade of a GET.
            """,
        Remediation = "Remove nodes/proxy; monitoring agents can read `nodes/metrics` and `nodes/stats` instead.",
        References =
        [
            new("Kubernetes RBAC good practices", "Access to proxy subresource of Nodes", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: monitoring
                rules:
                  - apiGroups: [""]
                    resources: [nodes/proxy] # expect: BW4007
                    verbs: [get]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: monitoring
                rules:
                  - apiGroups: [""]
                    resources: [nodes/metrics, nodes/stats]
                    verbs: [get]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        var verbs = GrantedVerbs(rule, Verbs, CoreGroup, "nodes/proxy");
        return verbs.Count == 0 ? null : new RoleGrantMatch(rule.ItemNode("resources", "nodes/proxy", "*/proxy", "*"), $"{string.Join(", ", verbs)} on nodes/proxy", ClusterScoped: true);
    }
}
