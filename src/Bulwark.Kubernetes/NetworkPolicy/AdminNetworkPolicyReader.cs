using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// Reads policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy objects with the
/// CRD's validation (one subject field, one peer field, one port field, actions, priority range).
/// </summary>
public static class AdminNetworkPolicyReader
{
    public const int MaxPriority = 1000;

    public static PolicyDefinition? Read(KubernetesObject obj, List<NetpolDiagnostic> diagnostics)
    {
        var baseline = obj.Kind == "BaselineAdminNetworkPolicy";
        var name = obj.Name ?? string.Empty;
        var display = $"{obj.Kind} {name}";
        var errors = new List<(SourceLocation, string)>();
        var spec = obj.Root.Mapping("spec");
        if (spec is null)
        {
            diagnostics.Add(new(DiagnosticLevel.Error, display, obj.Location, "has no spec; ignored"));
            return null;
        }

        if (!obj.ApiVersion.StartsWith("policy.networking.k8s.io/", StringComparison.Ordinal))
        {
            diagnostics.Add(new(DiagnosticLevel.Warning, display, obj.Location, $"apiVersion {obj.ApiVersion} is not policy.networking.k8s.io; read as v1alpha1"));
        }

        if (baseline && name != "default")
        {
            errors.Add((obj.Location, "a BaselineAdminNetworkPolicy must be named \"default\""));
        }

        var priority = 0;
        if (!baseline)
        {
            var priorityNode = spec.Scalar("priority");
            if (priorityNode?.AsInt64() is not { } p || p is < 0 or > MaxPriority)
            {
                errors.Add((priorityNode is null ? obj.At(spec) : obj.At(priorityNode), $"spec.priority must be an integer from 0 to {MaxPriority}"));
            }
            else
            {
                priority = (int)p;
            }
        }

        LabelSelector? nsSelector = null, podSelector = null;
        var subject = spec.Mapping("subject");
        var subjectLocation = subject is null ? obj.At(spec) : obj.At(subject);
        if (subject is null || (subject["namespaces"] is null) == (subject["pods"] is null))
        {
            errors.Add((subjectLocation, "spec.subject must set exactly one of namespaces and pods"));
        }
        else if (subject["namespaces"] is { } nsNode)
        {
            nsSelector = Selector(obj, nsNode, "spec.subject.namespaces", errors);
        }
        else
        {
            var pods = subject["pods"];
            nsSelector = Selector(obj, pods.Mapping("namespaceSelector"), "spec.subject.pods.namespaceSelector", errors);
            podSelector = Selector(obj, pods.Mapping("podSelector"), "spec.subject.pods.podSelector", errors);
        }

        var ingress = ReadRules(obj, spec, "ingress", "from", baseline, errors);
        var egress = ReadRules(obj, spec, "egress", "to", baseline, errors);
        if (errors.Count > 0)
        {
            foreach (var (location, message) in errors)
            {
                diagnostics.Add(new(DiagnosticLevel.Error, display, location, message + "; the policy is ignored (the API server would reject it)"));
            }

            return null;
        }

        return new PolicyDefinition(baseline ? PolicyKind.BaselineAdminNetworkPolicy : PolicyKind.AdminNetworkPolicy, null, name, obj.Location, obj.Document)
        {
            Object = obj.Object,
            NamespaceSelector = nsSelector ?? LabelSelector.Everything,
            PodSelector = podSelector ?? LabelSelector.Everything,
            PodSelectorLocation = subjectLocation,
            Priority = priority,
            AffectsIngress = ingress.Count > 0,
            AffectsEgress = egress.Count > 0,
            PolicyTypesExplicit = true,
            Ingress = ingress,
            Egress = egress,
        };
    }

    private static LabelSelector? Selector(KubernetesObject obj, DocNode? node, string path, List<(SourceLocation, string)> errors)
    {
        var selector = LabelSelector.Parse(node, out var error);
        if (selector is null)
        {
            errors.Add((node is null ? obj.Location : obj.At(node), path + ": " + error));
        }

        return selector;
    }

    private static List<PolicyRule> ReadRules(KubernetesObject obj, DocMapping spec, string key, string peersKey, bool baseline, List<(SourceLocation, string)> errors)
    {
        var rules = new List<PolicyRule>();
        var index = 0;
        foreach (var item in spec.ItemsOf(key))
        {
            index++;
            var path = $"spec.{key}[{index - 1}]";
            var location = obj.At(item);
            if (item is not DocMapping rule)
            {
                errors.Add((location, path + " must be a mapping"));
                continue;
            }

            var actionText = rule.String("action");
            RuleAction action;
            switch (actionText)
            {
                case "Allow":
                    action = RuleAction.Allow;
                    break;
                case "Deny":
                    action = RuleAction.Deny;
                    break;
                case "Pass" when !baseline:
                    action = RuleAction.Pass;
                    break;
                default:
                    errors.Add((location, $"{path}.action: unsupported action \"{actionText}\" ({(baseline ? "Allow, Deny" : "Allow, Deny, Pass")})"));
                    continue;
            }

            var peers = new List<PeerSpec>();
            var peerNodes = rule.ItemsOf(peersKey).ToList();
            if (peerNodes.Count == 0)
            {
                errors.Add((location, $"{path}.{peersKey} must list at least one peer"));
                continue;
            }

            foreach (var peerNode in peerNodes)
            {
                if (ReadPeer(obj, peerNode, $"{path}.{peersKey}", key == "egress", errors) is { } peer)
                {
                    peers.Add(peer);
                }
            }

            var ports = new List<PortSpec>();
            foreach (var portNode in rule.ItemsOf("ports"))
            {
                if (ReadPort(obj, portNode, path + ".ports", errors) is { } port)
                {
                    ports.Add(port);
                }
            }

            rules.Add(new PolicyRule(index, rule.String("name"), action, peers, false, ports, location));
        }

        return rules;
    }

    private static PeerSpec? ReadPeer(KubernetesObject obj, DocNode node, string path, bool egress, List<(SourceLocation, string)> errors)
    {
        var location = obj.At(node);
        if (node is not DocMapping peer)
        {
            errors.Add((location, path + ": a peer must be a mapping"));
            return null;
        }

        var fields = peer.Entries.Where(e => e.KeyText is "namespaces" or "pods" or "nodes" or "networks" && e.Value is not DocScalar { IsNull: true }).ToList();
        if (fields.Count != 1)
        {
            errors.Add((location, path + $": a peer must set exactly one of namespaces, pods{(egress ? ", nodes, networks" : string.Empty)}"));
            return null;
        }

        var field = fields[0];
        switch (field.KeyText)
        {
            case "namespaces":
                return Selector(obj, field.Value, path + ".namespaces", errors) is { } ns ? new PeerSpec(location) { NamespaceSelector = ns } : null;
            case "pods":
                {
                    var ns2 = Selector(obj, field.Value.Mapping("namespaceSelector"), path + ".pods.namespaceSelector", errors);
                    var pods = Selector(obj, field.Value.Mapping("podSelector"), path + ".pods.podSelector", errors);
                    return ns2 is null || pods is null ? null : new PeerSpec(location) { NamespaceSelector = ns2, PodSelector = pods };
                }

            case "nodes" when egress:
                return Selector(obj, field.Value, path + ".nodes", errors) is null ? null : new PeerSpec(location) { IsNodes = true };
            case "networks" when egress:
                {
                    var intervals = new List<IpInterval>();
                    var texts = new List<string>();
                    foreach (var item in field.Value.AsSequence()?.Items ?? [])
                    {
                        var text = (item as DocScalar)?.Value;
                        if (!IpAddresses.TryParseCidr(text, out var cidr))
                        {
                            errors.Add((obj.At(item), $"{path}.networks: \"{text}\" is not a valid CIDR"));
                            return null;
                        }

                        intervals.Add(cidr);
                        texts.Add(text!);
                    }

                    if (intervals.Count == 0)
                    {
                        errors.Add((location, path + ".networks must list at least one CIDR"));
                        return null;
                    }

                    return new PeerSpec(location) { IpBlock = IpSet.Of(intervals), IpBlockText = string.Join(", ", texts) };
                }

            default:
                errors.Add((location, $"{path}: {field.KeyText} peers are not allowed here"));
                return null;
        }
    }

    private static PortSpec? ReadPort(KubernetesObject obj, DocNode node, string path, List<(SourceLocation, string)> errors)
    {
        var location = obj.At(node);
        if (node is not DocMapping port)
        {
            errors.Add((location, path + ": a port must be a mapping"));
            return null;
        }

        var fields = port.Entries.Where(e => e.KeyText is "portNumber" or "namedPort" or "portRange").ToList();
        if (fields.Count != 1)
        {
            errors.Add((location, path + ": a port must set exactly one of portNumber, namedPort, portRange"));
            return null;
        }

        var field = fields[0];
        if (field.KeyText == "namedPort")
        {
            return field.Value is DocScalar { IsNull: false } named ? new PortSpec(null, null, null, named.Value) : Fail("namedPort must be a name");
        }

        var protocolText = field.Value.String("protocol") ?? "TCP";
        if (!NetProtocols.TryParse(protocolText, out var protocol))
        {
            return Fail($"unsupported protocol \"{protocolText}\" (TCP, UDP, SCTP)");
        }

        if (field.KeyText == "portNumber")
        {
            return field.Value.Scalar("port")?.AsInt64() is { } n and >= 1 and <= 65535 ? new PortSpec(protocol, (int)n, null, null) : Fail("portNumber.port must be a port number (1-65535)");
        }

        var start = field.Value.Scalar("start")?.AsInt64();
        var end = field.Value.Scalar("end")?.AsInt64();
        if (start is not (>= 1 and <= 65535) || end is not (>= 1 and <= 65535))
        {
            return Fail("portRange start and end must be port numbers (1-65535)");
        }

        if (end < start)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"portRange end {end} is less than start {start}"));
        }

        return new PortSpec(protocol, (int)start, (int)end, null);

        PortSpec? Fail(string message)
        {
            errors.Add((location, path + ": " + message));
            return null;
        }
    }
}
