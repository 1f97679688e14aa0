using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;

namespace Bulwark.Rules.Rbac;

public sealed class RbacWildcardRule : RoleGrantRule
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4001",
        Slug = "rbac-wildcard",
        Title = "Role uses a wildcard in verbs, resources or API groups",
        Severity = Severity.High,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.Critical,
        SeverityNote = BindingSeverityNote,
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            `*` grants every verb, resource or API group that exists today and every one added later: a CRD
            installed next year, a new subresource, a verb such as `escalate` or `impersonate`. The role's
            real power can no longer be read from its text, and least privilege is lost for good.
            """,
        Remediation = "List the verbs, resources and API groups the subject needs instead of `*`.",
        References =
        [
            new("Kubernetes RBAC good practices", "Least privilege", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"),
            new("CIS Kubernetes Benchmark", "5.1.3"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: ops
                rules:
                  - apiGroups: [""]
                    resources: [pods]
                    verbs: ["*"] # expect: BW4001
                  - apiGroups: ["*"] # expect: BW4001
                    resources: [deployments]
                    verbs: [get]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: ops
                rules:
                  - apiGroups: [""]
                    resources: [pods]
                    verbs: [get, list, watch]
                """),
        ],
    };

    protected override RoleGrantMatch? Match(RbacPolicyRule rule, RbacRole role)
    {
        var fields = new List<string>();
        var at = default(Parsing.Documents.DocNode);
        foreach (var (field, values) in new[] { ("verbs", rule.Verbs), ("resources", rule.Resources), ("apiGroups", rule.ApiGroups) })
        {
            if (values.Any(v => v.StartsWith('*')))
            {
                fields.Add(field);
                at ??= rule.ItemNode(field, [.. values.Where(v => v.StartsWith('*'))]);
            }
        }

        return fields.Count == 0 ? null : new RoleGrantMatch(at, $"{rule.Describe()} (\"*\" in {string.Join(" and ", fields)}, so it covers every present and future one)");
    }
}
