using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;

namespace Bulwark.Reporting.NetworkPolicy;

/// <summary>
/// Writes <c>netpol explain</c>: per pair, the allowed and denied parts of the connection and, for each part, the
/// policies and rules of each direction that decided it (the layout of np-guard's <c>--explain</c>); from the
/// ingress controller, also the Ingress and Route objects (with the service and the ports they route to).
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
        var subject = ingress ? pair.Destination : pair.Source;
        var other = ingress ? pair.Source : pair.Destination;
        var reasons = new List<(string Kind, string Text)>();
        foreach (var rule in verdict.Rules)
        {
            var action = rule.Action switch { RuleAction.Deny => "denies", RuleAction.Pass => "passes", _ => "allows" };
            var label = rule.Rule.Name is { Length: > 0 } ruleName ? ruleName : "#" + rule.Rule.Index;
            reasons.Add((rule.Policy.KindName, $"{rule.Policy} {action} connections by {name} rule {label}"));
        }

        foreach (var policy in verdict.DenyingPolicies)
        {
            var rules = ingress ? policy.Ingress : policy.Egress;
            reasons.Add((policy.KindName, $"{policy} selects {subject.Name}, but {other.Name} is not allowed by any {name} rule{(rules.Count == 0 ? " (no rules defined)" : string.Empty)}"));
        }

        foreach (var contribution in verdict.Routes)
        {
            var route = contribution.Route;
            var ports = route.Connections.IsEmpty ? "no port " + subject.Name + " declares" : route.Connections.ToString();
            reasons.Add((route.Object.Kind, contribution.Allows
                ? $"{route.Object} allows ingress connections through service {route.Service.Name} ({ports})"
                : $"{route.Object} allows ingress to service {route.Service.Name} ({ports}), but the protocols and ports do not match"));
        }

        // By kind name, as np-guard orders a direction's reasons; OrderBy is stable, so one kind's lines keep their precedence order.
        foreach (var (_, text) in reasons.OrderBy(r => r.Kind, StringComparer.Ordinal))
        {
            builder.Append("\t\t\t").Append(text).Append('\n');
        }

        if (ingress && pair.Source.Kind == PeerKind.IngressController && verdict.Routes.Count == 0)
        {
            builder.Append("\t\t\tno Ingress or Route object routes traffic to ").Append(subject.Name).Append('\n');
        }
    }
}
