using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.ServiceAccounts;

public sealed class DefaultServiceAccountRule : Rule<Workload, KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1017",
        Slug = "default-service-account",
        Title = "Workload runs as, or a binding grants a role to, a namespace's default service account",
        Severity = Severity.Low,
        MaximumSeverity = Severity.Medium,
        SeverityNote = "Medium for a ClusterRoleBinding that grants a role to a namespace's `default` service account: every pod there that names no account holds it cluster-wide.",
        Category = "Service accounts",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Every pod that names no service account shares `default`, so a permission granted to one
            application is granted to all of them, and the audit log cannot tell them apart. The checklist asks
            for a dedicated ServiceAccount per application. A RoleBinding or ClusterRoleBinding that names a
            namespace's `default` account hands its role to every pod of that namespace that names no account,
            today's and tomorrow's.
            """,
        Remediation = "Create a ServiceAccount for the application, set `serviceAccountName` to it, and bind only the permissions it needs to that account, never to `default`.",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.1.5"),
            new("NSA/CISA Kubernetes Hardening Guide", "Authentication and authorization"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec: # expect: BW1017
                      containers:
                        - name: api
                          image: api:2.1.0
                """),
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: reports-reader
                  namespace: billing
                subjects:
                  - kind: ServiceAccount # expect: BW1017
                    name: default
                    namespace: billing
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: view
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: reports-reader
                  namespace: billing
                subjects:
                  - kind: ServiceAccount
                    name: report-generator
                    namespace: billing
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: view
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      serviceAccountName: api
                      containers:
                        - name: api
                          image: api:2.1.0
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
                if (DefaultAccountNamespace(subject) is not { } ns)
                {
                    continue;
                }

                var scope = binding.IsClusterWide ? "cluster-wide" : $"in namespace {binding.Namespace}";
                var grants = binding.Role is { Rules.Count: > 0 } role ? $" ({Listing.Join([.. role.Rules.Select(r => r.Describe())], 2)})" : string.Empty;
                context.Report(new Finding
                {
                    Rule = Descriptor,
                    Severity = binding.IsClusterWide ? Severity.Medium : Severity.Low,
                    Message = $"{binding.Display} grants {binding.RoleDisplay}{grants} {scope} to the default service account of namespace {ns}, so every pod there that names no service account holds it.",
                    Location = subject.Node is { } node ? obj.At(node) : obj.Location,
                    Document = obj.Document,
                    Object = obj.Object,
                });
            }
        }
    }

    /// <summary>The namespace whose <c>default</c> account the subject names (as a ServiceAccount or by its user name), else null.</summary>
    private static string? DefaultAccountNamespace(RbacSubject subject)
    {
        if (subject is { Kind: RbacSubject.ServiceAccount, Name: "default", Namespace.Length: > 0 })
        {
            return subject.Namespace;
        }

        return subject.Kind == RbacSubject.User && RbacIdentity.ForUser(subject.Name) is { Kind: RbacIdentityKind.ServiceAccount, Name: "default" } account
            ? account.Namespace
            : null;
    }

    public override void Evaluate(Workload target, RuleContext context)
    {
        if (!target.HasServiceAccounts)
        {
            return;
        }

        switch (target.ServiceAccountName)
        {
            case null:
                context.Report(Descriptor, target, target.SpecLocation, $"{target.Object.Kind} \"{target.Object.Name}\" names no service account, so it runs as \"default\".");
                break;
            case { Value: "default" } account:
                context.Report(Descriptor, target, account.Location, $"{target.Object.Kind} \"{target.Object.Name}\" runs as the \"default\" service account.");
                break;
        }
    }
}
