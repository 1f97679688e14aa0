using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.ServiceAccounts;

public sealed class SharedServiceAccountRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW4015",
        Slug = "shared-service-account",
        Title = "One service account is used by several applications",
        Severity = Severity.Medium,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.High,
        SeverityNote = "By what the shared account may do: high with cluster-wide permissions, medium with permissions in namespaces, low when no binding in these manifests grants it anything.",
        Category = "Service accounts",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            A service account shared by several applications holds the union of what they all need, so each
            of them can do what any of them may, and the audit log cannot tell them apart. The checklist asks
            for a dedicated ServiceAccount per application. (Workloads that run as `default` are
            default-service-account's.)
            """,
        Remediation = "Give each application its own ServiceAccount and bind to each only the permissions that application needs.",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.1.5"),
            new("Kubernetes RBAC good practices", "Least privilege", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      serviceAccountName: shop-apps # expect: BW4015
                      containers: [{name: web, image: web:1.0}]
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report, namespace: shop}
                spec:
                  schedule: "0 1 * * *"
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {app: report}}
                        spec:
                          serviceAccountName: shop-apps # expect: BW4015
                          restartPolicy: OnFailure
                          containers: [{name: report, image: report:1.0}]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      serviceAccountName: web
                      containers: [{name: web, image: web:1.0}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web-canary, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      serviceAccountName: web
                      containers: [{name: web, image: web:1.1}]
                """),
        ],
    };

    /// <summary>The application a workload belongs to: its pods' app label, else the workload's own name.</summary>
    private static string Application(WorkloadSummary workload) =>
        workload.PodLabels.GetValueOrDefault("app.kubernetes.io/name") ?? workload.PodLabels.GetValueOrDefault("app") ?? workload.Object.Name ?? string.Empty;

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = RbacModel.For(target);
        RbacResolver? resolver = null;
        foreach (var account in model.ServiceAccounts)
        {
            if (account.Name == "default" || account.Workloads.Count < 2)
            {
                continue;
            }

            var applications = account.Workloads.Select(Application).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (applications.Count < 2)
            {
                continue;
            }

            resolver ??= new RbacResolver(model);
            var permissions = resolver.PermissionsOf(account.Identity);
            var severity = permissions.Count == 0 ? Severity.Low : permissions.Any(p => p.Scope.Length == 0) ? Severity.High : Severity.Medium;
            var rights = permissions.Count == 0 ? "no RBAC permissions in these manifests" : permissions.Any(p => p.Scope.Length == 0) ? "cluster-wide permissions" : "namespace permissions";
            foreach (var workload in account.Workloads)
            {
                context.Report(new Finding
                {
                    Rule = Descriptor,
                    Severity = severity,
                    Message = $"{workload.Object.Kind} \"{workload.Object.Name}\" shares service account {account.Name} ({rights}) with other applications: {string.Join(", ", applications)}.",
                    Location = workload.ServiceAccountName?.Location ?? workload.SpecLocation,
                    Document = workload.Document,
                    Object = workload.Object,
                });
            }
        }
    }
}
