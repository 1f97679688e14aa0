using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.ServiceAccounts;

/// <summary>
/// A pod that gets an API token it has no use for. The token is mounted unless the pod, or failing that its
/// ServiceAccount object, sets <c>automountServiceAccountToken: false</c>. When the input holds RBAC bindings,
/// an account they grant something to is taken to need its token and is not reported; one they grant nothing
/// is (its token only gives an intruder an identity). Without any binding in the input nothing can be said about
/// use, and every mounted token is reported.
/// </summary>
public sealed class ServiceAccountTokenAutomountRule : Rule<KubernetesCluster>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1018",
        Slug = "service-account-token-automount",
        Title = "Service account token is mounted into the pod",
        Severity = Severity.Low,
        Category = "Service accounts",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Unless told otherwise, Kubernetes mounts an API token into every container. Most applications never
            call the API, and for them the token is only something an intruder can use to explore and attack
            the cluster. When the scanned manifests include RBAC bindings, accounts that are granted permissions
            are taken to use their token; accounts granted nothing are reported.
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
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: web, namespace: shop}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: operator-reads-pods, namespace: shop}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
                subjects: [{kind: ServiceAccount, name: operator, namespace: shop}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: pod-reader, namespace: shop}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: shop}
                spec:
                  serviceAccountName: web
                  automountServiceAccountToken: true # expect: BW1018
                  containers: [{name: web, image: nginx:1.27}]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: operator, namespace: shop}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: pod-reader, namespace: shop}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: operator-reads-pods, namespace: shop}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
                subjects: [{kind: ServiceAccount, name: operator, namespace: shop}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: operator, namespace: shop}
                spec:
                  serviceAccountName: operator
                  containers: [{name: operator, image: operator:2.1.0}]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: web}
                automountServiceAccountToken: false
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  serviceAccountName: web
                  containers: [{name: web, image: nginx:1.27}]
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = RbacModel.For(target);
        var rbacKnown = model.AllBindings.Count > 0;
        RbacResolver? resolver = null;
        foreach (var account in model.ServiceAccounts)
        {
            bool? used = null;
            foreach (var workload in account.Workloads)
            {
                var setting = workload.AutomountServiceAccountToken;
                var explicitlyOn = setting is { Value: true };
                var mounted = workload.AutomountServiceAccountToken?.Value ?? account.AutomountServiceAccountToken ?? true;
                if (!mounted)
                {
                    continue;
                }

                string why;
                if (rbacKnown)
                {
                    resolver ??= new RbacResolver(model);
                    used ??= resolver.HasAnyPermission(account.Identity);
                    if (used.Value)
                    {
                        continue;
                    }

                    why = $"no binding in these manifests grants service account {account.Name} anything, so nothing needs the token";
                }
                else
                {
                    why = "the API token is mounted (these manifests have no RBAC bindings to tell whether the application uses it)";
                }

                var how = explicitlyOn ? "sets automountServiceAccountToken: true" : "does not set automountServiceAccountToken: false";
                context.Report(new Finding
                {
                    Rule = Descriptor,
                    Severity = Descriptor.Severity,
                    Message = $"{workload.Object.Kind} \"{workload.Object.Name}\" {how}; {why}.",
                    Location = explicitlyOn ? setting!.Value.Location : workload.SpecLocation,
                    Document = workload.Document,
                    Object = workload.Object,
                });
            }
        }
    }
}
