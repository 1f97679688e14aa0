using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Scanning;

/// <summary>
/// Adds the Pod Security Standards verdict to a scan as findings. A violation that a checklist rule already
/// reported on the same object (a rule declaring that PSS check) is not reported twice: the rule's finding
/// notes the PSS check instead.
/// </summary>
public sealed class PodSecurityStage(PodSecurityPolicy policy, IReadOnlyList<RuleDescriptor> descriptors)
{
    public IReadOnlyList<RuleDescriptor> Descriptors { get; } = descriptors;

    public void Evaluate(IEnumerable<KubernetesObject> objects, List<Finding> findings)
    {
        var byObject = findings
            .Select((finding, index) => (finding, index))
            .Where(x => x.finding.Object is not null && x.finding.Rule.PodSecurityChecks.Length > 0)
            .ToLookup(x => (x.finding.Document, x.finding.Object!));

        foreach (var obj in objects)
        {
            var violations = PodSecurityEvaluator.Evaluate(policy, obj);
            foreach (var violation in violations)
            {
                var control = $"PodSecurity \"{policy}\": {violation.Text}";
                var covering = byObject[(obj.Document, obj.Object)]
                    .Where(x => x.finding.Rule.PodSecurityChecks.Contains(violation.CheckId, StringComparer.Ordinal))
                    .ToList();
                if (covering.Count > 0)
                {
                    foreach (var (finding, index) in covering)
                    {
                        findings[index] = findings[index] with { AlsoViolates = [.. findings[index].AlsoViolates, control] };
                    }

                    continue;
                }

                var descriptor = Descriptors.FirstOrDefault(d => d.PodSecurityChecks.Contains(violation.CheckId, StringComparer.Ordinal));
                if (descriptor is null)
                {
                    // The check's rule is switched off (config or --rule).
                    continue;
                }

                findings.Add(new Finding
                {
                    Rule = descriptor,
                    Severity = descriptor.Severity,
                    Message = $"violates {control}",
                    Location = violation.Locations.Count > 0 ? violation.Locations[0] : obj.Location,
                    Document = obj.Document,
                    Object = obj.Object,
                });
            }
        }
    }
}
