using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Rbac;

public sealed class RbacAnonymousBindingRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4014",
        Slug = "rbac-anonymous-binding",
        Title = "Role is bound to anonymous, unauthenticated or all authenticated users",
        Severity = Severity.Critical,
        MinimumSeverity = Severity.Low,
        SeverityNote = "High when the subject is `system:authenticated` (everyone with credentials rather than everyone); low when the role only reads non-resource URLs (discovery and health endpoints).",
        Category = "RBAC",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            `system:anonymous` and the group `system:unauthenticated` are every request without credentials;
            `system:authenticated` is everyone with any credentials, every service account of every namespace
            included (and, on some managed platforms, any account of the provider). A role bound to them is
            granted to the world.
            """,
        Remediation = "Bind the role to the users, groups or service accounts that need it; leave the built-in discovery bindings as the only ones naming these subjects.",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.1.7"),
            new("Kubernetes RBAC", "Default roles and role bindings", "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: public-config
                  namespace: shop
                subjects:
                  - {kind: Group, name: "system:unauthenticated", apiGroup: rbac.authorization.k8s.io} # expect: BW4014
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: Role
                  name: config-reader
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: config
                  namespace: shop
                subjects:
                  - {kind: Group, name: shop-developers, apiGroup: rbac.authorization.k8s.io}
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: Role
                  name: config-reader
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var binding in RbacModel.For(target).AllBindings)
        {
            if (binding.Object is not { } obj || binding.IsKubernetesDefault)
            {
                continue;
            }

            foreach (var subject in binding.Subjects)
            {
                if (!RoleGrantRule.IsEveryone(subject))
                {
                    continue;
                }

                var who = subject.Name == RbacIdentity.Authenticated ? "every authenticated user and service account" : "anyone, without credentials";
                var scope = binding.IsClusterWide ? "cluster-wide" : $"in namespace {binding.Namespace}";
                var severity = subject.Name == RbacIdentity.Authenticated ? Severity.High : Severity.Critical;
                var grants = string.Empty;
                if (binding.Role is { Rules.Count: > 0 } role)
                {
                    grants = $" ({Listing.Join([.. role.Rules.Select(r => r.Describe())], 2)})";

                    // Reading discovery or health URLs (what the bootstrap policy itself gives everyone) discloses little.
                    if (role.Rules.All(r => r.Resources.Length == 0 && r.Verbs.All(v => v == "get")))
                    {
                        severity = Severity.Low;
                        who += "; the role only reads non-resource URLs";
                    }
                }

                context.Report(new Finding
                {
                    Rule = Descriptor,
                    Severity = severity,
                    Message = $"{binding.Display} grants {binding.RoleDisplay}{grants} {scope} to {subject.Display}: {who}.",
                    Location = subject.Node is { } node ? obj.At(node) : obj.Location,
                    Document = obj.Document,
                    Object = obj.Object,
                });
            }
        }
    }
}
