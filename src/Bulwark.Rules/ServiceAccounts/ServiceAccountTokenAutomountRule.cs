using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.ServiceAccounts;

public sealed class ServiceAccountTokenAutomountRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1018",
        Slug = "service-account-token-automount",
        Title = "Service account token is mounted into the pod",
        Severity = Severity.Low,
        Category = "Service accounts",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Unless told otherwise, Kubernetes mounts an API token into every container. Most applications never
            call the API, and for them the token is only something an intruder can use to explore and attack
            the cluster.
            """,
        Remediation = "Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount) unless the application calls the Kubernetes API.",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.1.6"),
            new("NSA/CISA Kubernetes Hardening Guide", "Service account tokens"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec: # expect: BW1018
                  serviceAccountName: web
                  containers:
                    - name: web
                      image: nginx:1.27
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  serviceAccountName: web
                  automountServiceAccountToken: false
                  containers:
                    - name: web
                      image: nginx:1.27
                """),
        ],
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        if (!target.HasServiceAccounts)
        {
            return;
        }

        switch (target.AutomountServiceAccountToken)
        {
            case { Value: false }:
                break;
            case { Value: true } on:
                context.Report(Descriptor, target, on.Location, $"{target.Object.Kind} \"{target.Object.Name}\" mounts its service account token (automountServiceAccountToken: true).");
                break;
            default:
                context.Report(Descriptor, target, target.SpecLocation,
                    $"{target.Object.Kind} \"{target.Object.Name}\" does not set automountServiceAccountToken: false, so the API token is mounted.");
                break;
        }
    }
}
