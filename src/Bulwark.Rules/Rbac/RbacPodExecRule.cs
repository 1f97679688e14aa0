using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacPodExecRule : RoleGrantRule
{
    private static readonly (string Resource, string[] Verbs)[] Entries =
    [
        ("pods/exec", ["create", "get"]),
        ("pods/attach", ["create", "get"]),
        ("pods/ephemeralcontainers", ["update", "patch"]),
    ];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4004",
        Slug = "rbac-pod-exec",
        Title = "Role can exec into, attach to or add ephemeral containers to pods",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            `pods/exec` and `pods/attach` run commands in running containers, with their service-account tokens,
            mounted Secrets and host access; `pods/ephemeralcontainers` adds a container of one's choosing to a
            running pod. Until the `AuthorizePodWebsocketUpgradeCreatePermission` gate (beta in Kubernetes
            1.35), `get` on `pods/exec` was enough, through a websocket upgrade.
            """,
        Remediation = "Remove pods/exec, pods/attach and pods/ephemeralcontainers from everyday roles; grant them through a separate, audited break-glass role.",
        References =
        [
            new("Kubernetes RBAC good practices", "Escalation paths", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: debugger
                  namespace: shop
                rules:
                  - apiGroups: [""]
                    resources: [pods, pods/exec] # expect: BW4004
                    verbs: [get, create]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: debugger
                  namespace: shop
                rules:
                  - apiGroups: [""]
                    resources: [pods, pods/log]
                    verbs: [get, list]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        foreach (var (resource, verbs) in Entries)
        {
            var granted = GrantedVerbs(rule, verbs, CoreGroup, resource);
            if (granted.Count > 0)
            {
                return new RoleGrantMatch(rule.ItemNode("resources", resource, "*/" + resource[5..], "*"), $"{string.Join(", ", granted)} on {resource}");
            }
        }

        return null;
    }
}
