using System.Globalization;
using System.Text;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>A declared flow: <see cref="From"/> may open connections to <see cref="To"/> on one port.</summary>
public sealed record DeclaredFlow(string From, string To, int Port, NetProtocol Protocol);

/// <summary>
/// Writes least-privilege NetworkPolicies for a declared list of flows between workloads: per namespace a
/// default deny in both directions with DNS to kube-dns allowed, then for each flow an egress allow on the
/// source and an ingress allow on the destination, selecting both ends by their pod labels.
/// </summary>
public static class PolicySuggester
{
    /// <summary>Reads <c>flows: [{from: ns/name, to: ns/name, port: 8080, protocol: TCP}]</c> (or a bare list); problems go to <paramref name="errors"/>.</summary>
    public static List<DeclaredFlow> ReadFlows(SourceFile file, List<string> errors)
    {
        var flows = new List<DeclaredFlow>();
        errors.AddRange(file.Errors.Select(e => e.ToString()));
        foreach (var document in file.Documents)
        {
            var items = document.Root is DocMapping root ? root.ItemsOf("flows") : document.Root is DocSequence list ? list.Items : [];
            var index = 0;
            foreach (var item in items)
            {
                index++;
                var from = item.String("from");
                var to = item.String("to");
                var portText = item.String("port");
                var protocolText = item.String("protocol") ?? "TCP";
                if (from is null || to is null || portText is null)
                {
                    errors.Add($"{file.Path}:{item.Line}: flow {index} needs from, to and port");
                    continue;
                }

                if (portText.Contains('/', StringComparison.Ordinal))
                {
                    protocolText = portText[(portText.IndexOf('/', StringComparison.Ordinal) + 1)..];
                    portText = portText[..portText.IndexOf('/', StringComparison.Ordinal)];
                }

                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    errors.Add($"{file.Path}:{item.Line}: flow {index}: port \"{portText}\" is not a number from 1 to 65535");
                    continue;
                }

                if (!NetProtocols.TryParse(protocolText.ToUpperInvariant(), out var protocol))
                {
                    errors.Add($"{file.Path}:{item.Line}: flow {index}: protocol \"{protocolText}\" is not TCP, UDP or SCTP");
                    continue;
                }

                flows.Add(new DeclaredFlow(from, to, port, protocol));
            }
        }

        return flows;
    }

    /// <summary>The policies as a multi-document YAML stream; flows naming unknown workloads are reported and skipped.</summary>
    public static string Suggest(NetworkModel model, IReadOnlyList<DeclaredFlow> flows, List<string> errors)
    {
        NetpolWorkload? Find(string name) => model.Workloads.FirstOrDefault(w => w.DisplayName == name || w.Namespace + "/" + w.Name == name);

        var resolved = new List<(NetpolWorkload From, NetpolWorkload To, DeclaredFlow Flow)>();
        foreach (var flow in flows)
        {
            var from = Find(flow.From);
            var to = Find(flow.To);
            if (from is null || to is null)
            {
                errors.Add($"flow {flow.From} -> {flow.To}: no workload \"{(from is null ? flow.From : flow.To)}\" in the input; skipped");
                continue;
            }

            // The same flow declared twice (e.g. in --flows and seeded from Compose, named differently) needs one pair of policies.
            if (!resolved.Any(r => r.From == from && r.To == to && r.Flow.Port == flow.Port && r.Flow.Protocol == flow.Protocol))
            {
                resolved.Add((from, to, flow));
            }
        }

        var documents = new List<string>();
        var namespaces = model.Workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            documents.Add($"""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: default-deny
                  namespace: {Quote(ns)}
                spec:
                  podSelector: {"{}"}
                  policyTypes: [Ingress, Egress]
                  egress:
                    - to:
                        - namespaceSelector:
                            matchLabels:
                              kubernetes.io/metadata.name: kube-system
                          podSelector:
                            matchLabels:
                              k8s-app: kube-dns
                      ports:
                        - protocol: UDP
                          port: 53
                        - protocol: TCP
                          port: 53

                """);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (from, to, flow) in resolved)
        {
            var protocol = NetProtocols.Name(flow.Protocol);
            var suffix = $"{protocol.ToLowerInvariant()}-{flow.Port}";
            var egressName = Unique(names, from.Namespace, $"allow-{from.Name}-to-{to.Name}-{suffix}");
            var ingressName = Unique(names, to.Namespace, $"allow-{to.Name}-from-{from.Name}-{suffix}");
            documents.Add(Policy(egressName, from, "Egress", "to", to, protocol, flow.Port));
            documents.Add(Policy(ingressName, to, "Ingress", "from", from, protocol, flow.Port));
        }

        return string.Join("---\n", documents);
    }

    private static string Unique(HashSet<string> names, string ns, string name)
    {
        var candidate = Truncate(name);
        for (var i = 2; !names.Add(ns + "/" + candidate); i++)
        {
            candidate = Truncate(name, "-" + i.ToString(CultureInfo.InvariantCulture));
        }

        return candidate;
    }

    // Object names are DNS subdomains: at most 253 characters.
    private static string Truncate(string name, string suffix = "") => (name.Length + suffix.Length > 253 ? name[..(253 - suffix.Length)] : name) + suffix;

    private static string Policy(string name, NetpolWorkload subject, string type, string peerKey, NetpolWorkload peer, string protocol, int port)
    {
        var builder = new StringBuilder();
        builder.Append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n");
        builder.Append("  name: ").Append(Quote(name)).Append('\n');
        builder.Append("  namespace: ").Append(Quote(subject.Namespace)).Append('\n');
        builder.Append("spec:\n  podSelector:\n");
        Labels(builder, subject.Labels, "    ");
        builder.Append("  policyTypes: [").Append(type).Append("]\n");
        builder.Append("  ").Append(type.ToLowerInvariant()).Append(":\n");
        builder.Append("    - ").Append(peerKey).Append(":\n");
        builder.Append("        - podSelector:\n");
        Labels(builder, peer.Labels, "            ");
        if (peer.Namespace != subject.Namespace)
        {
            builder.Append("          namespaceSelector:\n            matchLabels:\n");
            builder.Append("              kubernetes.io/metadata.name: ").Append(Quote(peer.Namespace)).Append('\n');
        }

        builder.Append("      ports:\n        - protocol: ").Append(protocol).Append("\n          port: ").Append(port.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return builder.ToString();
    }

    private static void Labels(StringBuilder builder, IReadOnlyDictionary<string, string> labels, string indent)
    {
        if (labels.Count == 0)
        {
            builder.Append(indent).Append("matchLabels: {}\n");
            return;
        }

        builder.Append(indent).Append("matchLabels:\n");
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            builder.Append(indent).Append("  ").Append(Quote(key)).Append(": ").Append(Quote(value)).Append('\n');
        }
    }

    /// <summary>Double-quoted YAML scalars, so values like <c>true</c>, <c>8080</c> or <c>null</c> stay strings.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
