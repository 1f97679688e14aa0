using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacWorkloadCreateRule : RoleGrantRule
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch"];

    private static readonly (string Group, string Resource)[] Workloads =
    [
        (string.Empty, "pods"), (string.Empty, "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
    ];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4003",
        Slug = "rbac-workload-create",
        Title = "Role can create or change pods or workload controllers",
        Severity = Severity.High,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Whoever can create a pod, directly or through a Deployment, Job or any other controller, can run it
            as any service account of the namespace and mount any of its Secrets, ConfigMaps and volumes; where
            Pod Security admission allows it, the pod can be privileged and take the node. Updating a workload
            (an image swap) gives the same.
            """,
        Remediation = "Let people and CI deploy through a pipeline with its own narrowly bound account; keep create/update/patch on workloads out of roles that do not deploy.",
        References =
        [
            new("Kubernetes RBAC good practices", "Workload creation", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: deployer
                  namespace: shop
                rules:
                  - apiGroups: [apps]
                    resources: [deployments] # expect: BW4003
                    verbs: [get, update]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: viewer
                  namespace: shop
                rules:
                  - apiGroups: [apps]
                    resources: [deployments]
                    verbs: [get, list, watch]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        foreach (var (group, resource) in Workloads)
        {
            var verbs = GrantedVerbs(rule, WriteVerbs, [group], resource);
            if (verbs.Count > 0)
            {
                return new RoleGrantMatch(rule.ItemNode("resources", resource, "*"), $"{string.Join(", ", verbs)} on {resource}, so it can run pods as any service account of the namespace");
            }
        }

        return null;
    }
}
