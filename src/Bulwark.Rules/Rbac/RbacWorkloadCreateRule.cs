using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacWorkloadCreateRule : RoleGrantRule
{
    private static readonly string[] Create = ["create"];
    private static readonly string[] Rewrite = ["update", "patch"];

    private static readonly (string Group, string Resource)[] Workloads =
    [
        (string.Empty, "pods"), (string.Empty, "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
    ];

    /// <summary>Controllers whose pod template can be rewritten (a Job's is immutable once created).</summary>
    private static readonly (string Group, string Resource)[] Templated =
    [
        (string.Empty, "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "cronjobs"),
    ];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4003",
        Slug = "rbac-workload-create",
        Title = "Role can create or change pods or workload controllers",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Whoever can create a pod, directly or through a Deployment, Job or any other controller, can run it
            as any service account of the namespace and mount any of its Secrets, ConfigMaps and volumes; where
            Pod Security admission allows it, the pod can be privileged and take the node. Updating a controller's
            pod template (Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, CronJob) gives the
            same. Updating a pod changes less: its service account and volumes are immutable, but a container's
            image is not, so new code runs with the pod's own account. A Job's pod template is immutable, so
            update and patch on Jobs alone are not reported.
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
        var created = Workloads.Where(w => Grants(rule, "create", [w.Group], w.Resource)).Select(w => w.Resource).ToList();
        if (created.Count > 0)
        {
            return new RoleGrantMatch(rule.ItemNode("resources", [.. created, "*"]),
                $"create on {string.Join(", ", created)}, so it can run pods as any service account of the namespace");
        }

        var rewritten = Templated.Where(w => GrantedVerbs(rule, Rewrite, [w.Group], w.Resource).Count > 0).Select(w => w.Resource).ToList();
        if (rewritten.Count > 0)
        {
            var verbs = Rewrite.Where(v => Templated.Any(w => Grants(rule, v, [w.Group], w.Resource)));
            return new RoleGrantMatch(rule.ItemNode("resources", [.. rewritten, "*"]),
                $"{string.Join(", ", verbs)} on {string.Join(", ", rewritten)}, so it can rewrite their pod template (service account included) and run pods as any service account of the namespace");
        }

        var podVerbs = GrantedVerbs(rule, Rewrite, CoreGroup, "pods");
        return podVerbs.Count > 0
            ? new RoleGrantMatch(rule.ItemNode("resources", "pods", "*"),
                $"{string.Join(", ", podVerbs)} on pods, so it can swap the image of running pods and run its code with their service accounts (a pod's service account itself is immutable)")
            : null;
    }
}
