using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// Reads a networking.k8s.io/v1 NetworkPolicy with the API server's defaulting (policyTypes) and validation
/// (selectors, peers, ipBlocks, ports). A policy the API server would refuse is reported and returns null.
/// </summary>
public static class NetworkPolicyReader
{
    public static PolicyDefinition? Read(KubernetesObject obj, List<NetpolDiagnostic> diagnostics)
    {
        var ns = NetpolObjectReader.NamespaceOf(obj);
        var name = obj.Name ?? string.Empty;
        var display = $"NetworkPolicy {ns}/{name}";
        var errors = new List<(SourceLocation, string)>();
        var spec = obj.Root.Mapping("spec");
        if (spec is null)
        {
            diagnostics.Add(new(DiagnosticLevel.Error, display, obj.Location, "has no spec; ignored"));
            return null;
        }

        var podSelectorEntry = spec.Entry("podSelector");
        var podSelector = LabelSelector.Parse(podSelectorEntry?.Value, out var selectorError);
        if (podSelector is null)
        {
            errors.Add((obj.At(podSelectorEntry!.Value.Value), "spec.podSelector: " + selectorError));
        }

        var ingress = ReadRules(obj, spec, "ingress", "from", ns, errors);
        var egress = ReadRules(obj, spec, "egress", "to", ns, errors);

        bool affectsIngress, affectsEgress, explicitTypes;
        if (spec["policyTypes"] is DocSequence types && types.Items.Count > 0)
        {
            explicitTypes = true;
            affectsIngress = affectsEgress = false;
            foreach (var item in types.Items)
            {
                switch ((item as DocScalar)?.Value)
                {
                    case "Ingress":
                        affectsIngress = true;
                        break;
                    case "Egress":
                        affectsEgress = true;
                        break;
                    default:
                        errors.Add((obj.At(item), $"spec.policyTypes: unsupported value \"{(item as DocScalar)?.Value}\" (Ingress, Egress)"));
                        break;
                }
            }
        }
        else
        {
            // The API server's defaulting: every policy affects ingress; egress only when it has egress rules.
            explicitTypes = false;
            affectsIngress = true;
            affectsEgress = egress.Count > 0;
        }

        if (errors.Count > 0)
        {
            foreach (var (location, message) in errors)
            {
                diagnostics.Add(new(DiagnosticLevel.Error, display, location, message + "; the policy is ignored (the API server would reject it)"));
            }

            return null;
        }

        return new PolicyDefinition(PolicyKind.NetworkPolicy, ns, name, obj.Location, obj.Document)
        {
            Object = obj.Object,
            PodSelector = podSelector!,
            PodSelectorLocation = podSelectorEntry is { } e ? obj.At(e.Key) : obj.At(spec),
            AffectsIngress = affectsIngress,
            AffectsEgress = affectsEgress,
            PolicyTypesExplicit = explicitTypes,
            Ingress = ingress,
            Egress = egress,
        };
    }

    private static List<PolicyRule> ReadRules(KubernetesObject obj, DocMapping spec, string key, string peersKey, string ns, List<(SourceLocation, string)> errors)
    {
        var rules = new List<PolicyRule>();
        if (spec[key] is not DocSequence list)
        {
            return rules;
        }

        var index = 0;
        foreach (var item in list.Items)
        {
            index++;
            var rule = item as DocMapping;
            var location = obj.At(item);
            if (item is DocScalar { IsNull: true })
            {
                rules.Add(new PolicyRule(index, null, RuleAction.Allow, [], true, [], location));
                continue;
            }

            if (rule is null)
            {
                errors.Add((location, $"spec.{key}[{index - 1}] must be a mapping"));
                continue;
            }

            var peers = new List<PeerSpec>();
            var peerList = rule[peersKey] as DocSequence;
            foreach (var peerNode in peerList?.Items ?? [])
            {
                if (ReadPeer(obj, peerNode, ns, $"spec.{key}[{index - 1}].{peersKey}", errors) is { } peer)
                {
                    peers.Add(peer);
                }
            }

            var ports = new List<PortSpec>();
            foreach (var portNode in rule.ItemsOf("ports"))
            {
                if (ReadPort(obj, portNode, $"spec.{key}[{index - 1}].ports", errors) is { } port)
                {
                    ports.Add(port);
                }
            }

            rules.Add(new PolicyRule(index, null, RuleAction.Allow, peers, peerList is null || peerList.Items.Count == 0, ports, location));
        }

        return rules;
    }

    private static PeerSpec? ReadPeer(KubernetesObject obj, DocNode node, string ns, string path, List<(SourceLocation, string)> errors)
    {
        var location = obj.At(node);
        if (node is not DocMapping peer)
        {
            errors.Add((location, path + ": a peer must be a mapping"));
            return null;
        }

        var podNode = peer.Entry("podSelector");
        var nsNode = peer.Entry("namespaceSelector");
        var ipNode = peer.Entry("ipBlock");
        bool Present(DocEntry? e) => e is { Value: not DocScalar { IsNull: true } };
        if (!Present(podNode) && !Present(nsNode) && !Present(ipNode))
        {
            errors.Add((location, path + ": a peer must set podSelector, namespaceSelector or ipBlock"));
            return null;
        }

        if (Present(ipNode))
        {
            if (Present(podNode) || Present(nsNode))
            {
                errors.Add((location, path + ": a peer with ipBlock may not also set podSelector or namespaceSelector"));
                return null;
            }

            return ReadIpBlock(obj, ipNode!.Value.Value, path + ".ipBlock", location, errors);
        }

        LabelSelector? podSelector = null, nsSelector = null;
        if (Present(podNode))
        {
            podSelector = LabelSelector.Parse(podNode!.Value.Value, out var error);
            if (podSelector is null)
            {
                errors.Add((obj.At(podNode.Value.Value), path + ".podSelector: " + error));
                return null;
            }
        }

        if (Present(nsNode))
        {
            nsSelector = LabelSelector.Parse(nsNode!.Value.Value, out var error);
            if (nsSelector is null)
            {
                errors.Add((obj.At(nsNode.Value.Value), path + ".namespaceSelector: " + error));
                return null;
            }
        }

        return new PeerSpec(location) { PodSelector = podSelector, NamespaceSelector = nsSelector, SameNamespace = nsSelector is null ? ns : null };
    }

    private static PeerSpec? ReadIpBlock(KubernetesObject obj, DocNode node, string path, SourceLocation location, List<(SourceLocation, string)> errors)
    {
        var cidrText = node.String("cidr");
        if (!IpAddresses.TryParseCidr(cidrText, out var cidr))
        {
            errors.Add((obj.At((node as DocMapping)?.Entry("cidr")?.Value ?? node), $"{path}.cidr: \"{cidrText}\" is not a valid CIDR"));
            return null;
        }

        var excepts = new List<IpInterval>();
        var exceptTexts = new List<string>();
        foreach (var item in node.ItemsOf("except"))
        {
            var text = (item as DocScalar)?.Value;
            if (!IpAddresses.TryParseCidr(text, out var except))
            {
                errors.Add((obj.At(item), $"{path}.except: \"{text}\" is not a valid CIDR"));
                return null;
            }

            if (!cidr.Contains(except) || except == cidr)
            {
                errors.Add((obj.At(item), $"{path}.except: {text} must be a strict subset of the cidr {cidrText}"));
                return null;
            }

            excepts.Add(except);
            exceptTexts.Add(text!);
        }

        var set = IpSet.Of([cidr]).Subtract(IpSet.Of(excepts));
        var display = exceptTexts.Count == 0 ? cidrText! : cidrText + " except " + string.Join(", ", exceptTexts);
        return new PeerSpec(location) { IpBlock = set, IpBlockText = display };
    }

    private static PortSpec? ReadPort(KubernetesObject obj, DocNode node, string path, List<(SourceLocation, string)> errors)
    {
        var location = obj.At(node);
        if (node is not DocMapping port)
        {
            errors.Add((location, path + ": a port must be a mapping"));
            return null;
        }

        var protocolText = port.String("protocol") ?? "TCP";
        if (!NetProtocols.TryParse(protocolText, out var protocol))
        {
            errors.Add((location, $"{path}.protocol: unsupported protocol \"{protocolText}\" (TCP, UDP, SCTP)"));
            return null;
        }

        var portNode = port.Scalar("port");
        var endPortNode = port.Scalar("endPort");
        if (portNode is null)
        {
            if (endPortNode is not null)
            {
                errors.Add((location, $"{path}.endPort may only be set with a numeric port"));
                return null;
            }

            return new PortSpec(protocol, null, null, null);
        }

        if (portNode.AsInt64() is not { } number)
        {
            if (endPortNode is not null)
            {
                errors.Add((location, $"{path}.endPort may not be set with a named port (\"{portNode.Value}\")"));
                return null;
            }

            if (PortNameError(portNode.Value) is { } nameError)
            {
                errors.Add((obj.At(portNode), $"{path}.port: \"{portNode.Value}\" {nameError}"));
                return null;
            }

            return new PortSpec(protocol, null, null, portNode.Value);
        }

        if (number is < 1 or > 65535)
        {
            errors.Add((obj.At(portNode), $"{path}.port: {number.ToString(CultureInfo.InvariantCulture)} is not a port number (1-65535)"));
            return null;
        }

        int? end = null;
        if (endPortNode is not null)
        {
            if (endPortNode.AsInt64() is not { } endNumber || endNumber is < 1 or > 65535)
            {
                errors.Add((obj.At(endPortNode), $"{path}.endPort: \"{endPortNode.Value}\" is not a port number (1-65535)"));
                return null;
            }

            if (endNumber < number)
            {
                errors.Add((obj.At(endPortNode), $"{path}.endPort {endNumber.ToString(CultureInfo.InvariantCulture)} is less than port {number.ToString(CultureInfo.InvariantCulture)}"));
                return null;
            }

            end = (int)endNumber;
        }

        return new PortSpec(protocol, (int)number, end, null);
    }

    /// <summary>IANA service name syntax, as Kubernetes validates named ports.</summary>
    public static string? PortNameError(string name)
    {
        if (name.Length is 0 or > 15)
        {
            return "is not a valid port name (1-15 characters)";
        }

        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return "is not a valid port name (lowercase letters, digits and '-')";
        }

        if (!name.Any(char.IsAsciiLetterLower))
        {
            return "is not a valid port name (must contain a letter)";
        }

        return name[0] == '-' || name[^1] == '-' || name.Contains("--", StringComparison.Ordinal) ? "is not a valid port name (no leading, trailing or double '-')" : null;
    }
}
