using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.Rbac;

public sealed class RbacClusterAdminBindingRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4013",
        Slug = "rbac-cluster-admin-binding",
        Title = "cluster-admin or an equivalent role is bound to a subject, or system:masters is named",
        Severity = Severity.Critical,
        MinimumSeverity = Severity.High,
        SeverityNote = "High when a RoleBinding grants the cluster-admin-equivalent role in one namespace only.",
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            cluster-admin, and any role that allows every verb on every resource, is full control of the
            cluster: every Secret, every node through privileged pods, and RBAC itself. Bound by a
            RoleBinding it is still full control of that namespace. Members of `system:masters` bypass RBAC
            and admission webhooks altogether, and no binding can take that away; a binding that names the
            group suggests it is being used as an ordinary group.
            """,
        Remediation = "Bind a role with the permissions the subject needs (the built-in `admin`, `edit` or `view`, or your own), and grant emergency cluster-admin through a separate, audited path.",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.1.1"),
            new("Kubernetes RBAC good practices", "Least privilege", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: ci-admin
                subjects:
                  - kind: ServiceAccount # expect: BW4013
                    name: ci
                    namespace: build
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: cluster-admin
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: ci-deployer
                  namespace: shop
                subjects:
                  - kind: ServiceAccount
                    name: ci
                    namespace: build
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: edit
                """),
        ],
    };

    /// <summary>True for cluster-admin and for any role one of whose rules allows every verb on every resource of every group.</summary>
    public static bool IsClusterAdminEquivalent(RbacRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return (role.Kind == RbacRoleKind.ClusterRole && role.Name == RbacModel.ClusterAdmin)
            || role.Rules.Any(r => RbacMatcher.Allows(r, RbacRequest.ForResource("*", "*", "*")));
    }

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = RbacModel.For(target);
        foreach (var binding in model.AllBindings)
        {
            if (binding.Object is not { } obj || binding.IsKubernetesDefault)
            {
                continue;
            }

            var admin = binding.Role is { } role && IsClusterAdminEquivalent(role);
            foreach (var subject in binding.Subjects)
            {
                string message;
                Severity severity;
                if (subject is { Kind: RbacSubject.Group, Name: RbacIdentity.Masters })
                {
                    message = $"{binding.Display} names group system:masters, whose members bypass RBAC and admission webhooks whatever is bound; no binding can limit them.";
                    severity = Severity.Critical;
                }
                else if (admin && subject.MatchKey is not null && !IsSystemSubject(subject))
                {
                    var scope = binding.IsClusterWide ? "cluster-wide" : $"in namespace {binding.Namespace}";
                    message = $"{binding.Display} grants {binding.Role!.Display}, full control {scope}, to {subject.Display}.";
                    severity = binding.IsClusterWide ? Severity.Critical : Severity.High;
                }
                else
                {
                    continue;
                }

                context.Report(new Finding
                {
                    Rule = Descriptor,
                    Severity = severity,
                    Message = message,
                    Location = subject.Node is { } node ? obj.At(node) : obj.Location,
                    Document = obj.Document,
                    Object = obj.Object,
                });
            }
        }
    }

    /// <summary>Kubernetes' own users and groups (<c>system:kube-controller-manager</c>, <c>system:nodes</c>); those standing for everyone are rbac-anonymous-binding's.</summary>
    private static bool IsSystemSubject(RbacSubject subject) =>
        subject.Kind != RbacSubject.ServiceAccount && subject.Name.StartsWith("system:", StringComparison.Ordinal)
        && !subject.Name.StartsWith(RbacIdentity.ServiceAccountUserPrefix, StringComparison.Ordinal);
}
