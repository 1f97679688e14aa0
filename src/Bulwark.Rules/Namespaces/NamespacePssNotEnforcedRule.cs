using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Rules.Namespaces;

public sealed class NamespacePssNotEnforcedRule : Rule<KubernetesObject>
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1101",
        Slug = "namespace-pss-not-enforced",
        Title = "Namespace does not enforce the restricted Pod Security Standard",
        Severity = Severity.High,
        MinimumSeverity = Severity.Medium,
        SeverityNote = "Medium when the namespace enforces `baseline`, which still refuses the worst pods; high when it enforces nothing or `privileged`.",
        Category = "Namespaces",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Pod Security admission refuses non-compliant pods only in namespaces labelled
            `pod-security.kubernetes.io/enforce`. Without the label (or with `warn`/`audit` only, or a weaker
            level) any pod the API accepts will run, however privileged, so a mistake in CI is a hole in the
            cluster.
            """,
        Remediation = "Label the namespace `pod-security.kubernetes.io/enforce: restricted` (and pin `enforce-version`); move workloads that truly need more into a separate, tightly controlled namespace.",
        References =
        [
            new("Pod Security Admission", "Namespace labels", "https://kubernetes.io/docs/concepts/security/pod-security-admission/"),
            new("CIS Kubernetes Benchmark", "5.2.1"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Namespace
                metadata: # expect: BW1101
                  name: shop
                  labels:
                    pod-security.kubernetes.io/warn: restricted
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: tools
                  labels:
                    pod-security.kubernetes.io/enforce: baseline # expect: BW1101
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: production
                  labels:
                    pod-security.kubernetes.io/enforce: restricted
                    pod-security.kubernetes.io/enforce-version: latest
                """),
        ],
    };

    public override void Evaluate(KubernetesObject target, RuleContext context)
    {
        if (target.Kind != "Namespace" || target.ApiVersion != "v1")
        {
            return;
        }

        var labels = target.Metadata.Mapping("labels");
        var entry = labels?.Entry(EnforceLabel);
        if (entry is { Value: DocScalar level })
        {
            if (level.Value != "restricted")
            {
                var severity = level.Value == "baseline" ? Severity.Medium : Severity.High;
                context.Report(Descriptor, target, target.At(entry.Value.Key),
                    $"Namespace \"{target.Name}\" enforces Pod Security level \"{level.Value}\", weaker than restricted.", severity: severity);
            }

            return;
        }

        var at = target.Root.Entry("metadata") is { } metadata ? target.At(metadata.Key) : target.Location;
        context.Report(Descriptor, target, at,
            $"Namespace \"{target.Name}\" has no {EnforceLabel} label, so Pod Security admission refuses nothing there.", severity: Severity.High);
    }
}
