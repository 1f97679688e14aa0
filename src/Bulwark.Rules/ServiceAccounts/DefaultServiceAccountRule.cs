using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.ServiceAccounts;

public sealed class DefaultServiceAccountRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1017",
        Slug = "default-service-account",
        Title = "Workload runs as the namespace's default service account",
        Severity = Severity.Low,
        Category = "Service accounts",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Every pod that names no service account shares `default`, so a permission granted to one
            application is granted to all of them, and the audit log cannot tell them apart. The checklist asks
            for a dedicated ServiceAccount per application.
            """,
        Remediation = "Create a ServiceAccount for the application, set `serviceAccountName` to it, and bind only the permissions it needs.",
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
