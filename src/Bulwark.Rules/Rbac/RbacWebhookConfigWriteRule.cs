using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacWebhookConfigWriteRule : RoleGrantRule
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] AdmissionGroup = ["admissionregistration.k8s.io"];
    private static readonly string[] Resources = ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"];

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4010",
        Slug = "rbac-webhook-config-write",
        Title = "Role can change admission webhook configurations",
        Severity = Severity.Critical,
        MinimumSeverity = Severity.Medium,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            An admission webhook receives every object it registers for, Secrets included, and a mutating one
            can rewrite pods as they are created (new containers, service accounts, host mounts). Deleting or
            loosening a validating webhook removes a policy guard. Whoever writes these configurations
            controls what the cluster admits.
            """,
        Remediation = "Keep write access to mutating and validating webhook configurations to cluster administrators and the one operator that owns each configuration, limited by `resourceNames`.",
        References =
        [
            new("Kubernetes RBAC good practices", "Control admission webhooks", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: injector
                rules:
                  - apiGroups: [admissionregistration.k8s.io]
                    resources: [mutatingwebhookconfigurations] # expect: BW4010
                    verbs: [get, patch]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: webhook-viewer
                rules:
                  - apiGroups: [admissionregistration.k8s.io]
                    resources: [mutatingwebhookconfigurations, validatingwebhookconfigurations]
                    verbs: [get, list, watch]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        foreach (var resource in Resources)
        {
            var verbs = GrantedVerbs(rule, WriteVerbs, AdmissionGroup, resource);
            if (verbs.Count > 0)
            {
                return new RoleGrantMatch(rule.ItemNode("resources", resource, "*"), $"{string.Join(", ", verbs)} on {resource}", ClusterScoped: true);
            }
        }

        return null;
    }
}
