using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;

namespace Bulwark.Reporting.NetworkPolicy;

/// <summary>
/// Writes <c>netpol explain</c>: per pair, the allowed and denied parts of the connection and, for each part, the
/// policies and rules of each direction that decided it (the layout of np-guard's <c>--explain</c>).
/// </summary>
public static class ExplainWriter
{
    private const string Separator = "----------------------------------------------------------------------------------------------------------------------------------------------------------------";

    public static string Render(IEnumerable<PairExplanation> explanations)
    {
        var builder = new StringBuilder();
        foreach (var explanation in explanations)
        {
            builder.Append(Separator).Append('\n');
            builder.Append("Connections between ").Append(explanation.Source.Name).Append(" => ").Append(explanation.Destination.Name).Append(":\n");
            foreach (var allowed in new[] { true, false })
            {
                var segments = explanation.Segments.Where(s => s.Allowed == allowed).ToList();
                if (segments.Count == 0)
                {
                    continue;
                }

                builder.Append('\n').Append(allowed ? "Allowed" : "Denied").Append(" connections:\n");
                foreach (var segment in segments)
                {
                    var verdict = allowed ? "Allowed" : "Denied";
                    builder.Append('\t').Append(verdict).Append(' ').Append(segment.Connections.ToExplanationString());
                    if (segment.Egress.IsDefault && segment.Ingress.IsDefault)
                    {
                        builder.Append(" due to the system default (Allow all)\n");
                        continue;
                    }

                    builder.Append(" due to the following policies and rules:\n");
                    Direction(builder, "Egress", segment.Egress, explanation, ingress: false);
                    Direction(builder, "Ingress", segment.Ingress, explanation, ingress: true);
                }
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    private static void Direction(StringBuilder builder, string name, DirectionVerdict verdict, PairExplanation pair, bool ingress)
    {
        builder.Append("\t\t").Append(name).Append(verdict.Allowed ? " (Allowed)" : " (Denied)");
        if (verdict.IsDefault)
        {
            builder.Append(" due to the system default (Allow all)\n");
            return;
        }

        builder.Append('\n');
        foreach (var rule in verdict.Rules)
        {
            var action = rule.Action switch { RuleAction.Deny => "denies", RuleAction.Pass => "passes", _ => "allows" };
            var label = rule.Rule.Name is { Length: > 0 } ruleName ? ruleName : "#" + rule.Rule.Index;
            builder.Append("\t\t\t").Append(rule.Policy.KindName).Append(" '").Append(rule.Policy.QualifiedName).Append("' ").Append(action)
                .Append(" connections by ").Append(name).Append(" rule ").Append(label).Append('\n');
        }

        var subject = ingress ? pair.Destination : pair.Source;
        var other = ingress ? pair.Source : pair.Destination;
        foreach (var policy in verdict.DenyingPolicies)
        {
            var rules = ingress ? policy.Ingress : policy.Egress;
            builder.Append("\t\t\t").Append(policy.KindName).Append(" '").Append(policy.QualifiedName).Append("' selects ").Append(subject.Name)
                .Append(", but ").Append(other.Name).Append(" is not allowed by any ").Append(name).Append(" rule")
                .Append(rules.Count == 0 ? " (no rules defined)" : string.Empty).Append('\n');
        }
    }
}
