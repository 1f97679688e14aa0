using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacPvCreateRule : RoleGrantRule
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4011",
        Slug = "rbac-pv-create",
        Title = "Role can create PersistentVolumes",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            A PersistentVolume can be a `hostPath` volume. Whoever creates one and can claim it mounts a
            directory of the node (its root, the container runtime socket, kubelet credentials) into a pod,
            which Pod Security admission does not stop because the pod only names a claim.
            """,
        Remediation = "Let storage classes provision volumes dynamically; keep create on persistentvolumes to cluster administrators.",
        References =
        [
            new("Kubernetes RBAC good practices", "Persistent volume creation", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: storage-admin
                rules:
                  - apiGroups: [""]
                    resources: [persistentvolumes] # expect: BW4011
                    verbs: [create]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: claims
                  namespace: shop
                rules:
                  - apiGroups: [""]
                    resources: [persistentvolumeclaims]
                    verbs: [create, get]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role) =>
        Grants(rule, "create", CoreGroup, "persistentvolumes")
            ? new RoleGrantMatch(rule.ItemNode("resources", "persistentvolumes", "*"), "create on persistentvolumes", ClusterScoped: true)
            : null;
}
