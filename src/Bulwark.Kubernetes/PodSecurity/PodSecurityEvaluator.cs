using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Kubernetes.PodSecurity.Checks;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Kubernetes.PodSecurity;

/// <summary>
/// Evaluates pods against the Pod Security Standards exactly as upstream pod-security-admission does: the
/// same checks per level and version, the same overrides and exemptions, and the same reason and detail
/// wording, in the same order, so our output reads like the warnings <c>kubectl</c> prints.
/// </summary>
public static class PodSecurityEvaluator
{
    /// <summary>
    /// Evaluates the pod template of <paramref name="obj"/> (a Pod, or the template of a workload such as a
    /// Deployment or CronJob). Objects without a pod template, and the privileged level, give no violations.
    /// </summary>
    public static IReadOnlyList<PodSecurityViolation> Evaluate(PodSecurityPolicy policy, KubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(obj);
        if (policy.Level == PodSecurityLevel.Privileged || obj.PodTemplate is not { } template)
        {
            return [];
        }

        return Evaluate(policy, template.Metadata, template.Spec, obj.At, template.SpecKey);
    }

    /// <summary>
    /// Evaluates a raw pod: its metadata (for annotations; may be null) and spec. <paramref name="locate"/>
    /// turns nodes into locations; <paramref name="specKey"/> is where pod-level findings with no nearer
    /// field point (defaults to the spec mapping itself).
    /// </summary>
    public static IReadOnlyList<PodSecurityViolation> Evaluate(
        PodSecurityPolicy policy,
        DocMapping? podMetadata,
        DocMapping podSpec,
        Func<DocNode, SourceLocation> locate,
        DocNode? specKey = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(podSpec);
        ArgumentNullException.ThrowIfNull(locate);
        if (policy.Level == PodSecurityLevel.Privileged)
        {
            return [];
        }

        var pod = new PodView(podMetadata, podSpec, locate, specKey);
        var violations = new List<PodSecurityViolation>();
        foreach (var check in PodSecurityCheckRegistry.For(policy.Level, policy.EffectiveMinor))
        {
            if (check.Revision.Evaluate(pod) is { } violation)
            {
                violations.Add(violation);
            }
        }

        return violations;
    }

    /// <summary>
    /// The newest policy minor version any check has a revision for (v1.37): <c>latest</c> and every newer
    /// version evaluate as this one.
    /// </summary>
    public static int NewestPolicyMinor => PodSecurityCheckRegistry.MaxMinor;

    /// <summary>The IDs of the checks <paramref name="policy"/> runs, in the order their violations are reported.</summary>
    public static IReadOnlyList<string> ChecksFor(PodSecurityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return PodSecurityCheckRegistry.For(policy.Level, policy.EffectiveMinor).Select(check => check.Id).ToArray();
    }

    /// <summary>
    /// The violations as one line, as upstream aggregates them: <c>reason (detail), reason (detail)</c>.
    /// This is the text after <c>violate PodSecurity "restricted:latest": </c> in a kubectl warning.
    /// </summary>
    public static string Describe(IReadOnlyList<PodSecurityViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(violation.Text);
        }

        return text.ToString();
    }
}
