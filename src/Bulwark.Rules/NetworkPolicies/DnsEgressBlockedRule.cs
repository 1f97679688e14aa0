using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.NetworkPolicies;

public sealed class DnsEgressBlockedRule : Rule<KubernetesCluster>
{
    private static readonly Dictionary<string, string> KubeDnsLabels = new(StringComparer.Ordinal) { ["k8s-app"] = "kube-dns" };

    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW3007",
        Slug = "dns-egress-blocked",
        Title = "Egress is isolated without allowing DNS to kube-dns",
        Severity = Severity.Medium,
        MinimumSeverity = Severity.Low,
        SeverityNote = "Low when only TCP 53 is blocked: ordinary lookups work, large answers fail.",
        Category = "Network policies",
        NeedsOtherObjects = true,
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Once a pod is isolated for egress, it can only open the connections some egress rule allows. If no
            rule allows port 53 to kube-dns (pods labelled `k8s-app: kube-dns` in kube-system), name resolution
            fails and every connection by name breaks; DNS needs UDP 53, and TCP 53 for large answers.
            """,
        Remediation = "Add an egress rule to `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}` with `podSelector: {matchLabels: {k8s-app: kube-dns}}` on UDP 53 and TCP 53.",
        References =
        [
            new("Kubernetes", "Network Policies", "https://kubernetes.io/docs/concepts/services-networking/network-policies/"),
            new("Cyclonus", "CheckDNSBlockedOnUDP / CheckDNSBlockedOnTCP"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1 # expect: BW3007
                kind: Deployment
                metadata:
                  name: api
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      containers:
                        - name: api
                          image: registry.example/api:1.0
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: default-deny
                  namespace: shop
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      containers:
                        - name: api
                          image: registry.example/api:1.0
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: default-deny
                  namespace: shop
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                  egress:
                    - to:
                        - namespaceSelector:
                            matchLabels: {kubernetes.io/metadata.name: kube-system}
                          podSelector:
                            matchLabels: {k8s-app: kube-dns}
                      ports:
                        - protocol: UDP
                          port: 53
                        - protocol: TCP
                          port: 53
                """),
        ],
    };

    public override void Evaluate(KubernetesCluster target, RuleContext context)
    {
        var network = ClusterNetwork.Of(target);
        var dnsNamespaceLabels = network.DnsNamespaceLabels;

        // What each policy's egress rules allow to kube-dns, worked out once per policy (a namespace's policies
        // select many workloads each).
        var byPolicy = new Dictionary<PolicyDefinition, (bool Udp, bool Tcp)>(ReferenceEqualityComparer.Instance);
        foreach (var workload in network.Model.Workloads)
        {
            var policies = network.Selecting(workload, ingress: false);
            if (policies.Count == 0)
            {
                continue;
            }

            var udp = false;
            var tcp = false;
            foreach (var policy in policies)
            {
                if (!byPolicy.TryGetValue(policy, out var allows))
                {
                    byPolicy[policy] = allows = AllowsDns(policy, dnsNamespaceLabels);
                }

                udp |= allows.Udp;
                tcp |= allows.Tcp;
                if (udp && tcp)
                {
                    break;
                }
            }

            if (!udp || !tcp)
            {
                var missing = !udp && !tcp ? "UDP 53 or TCP 53" : !udp ? "UDP 53" : "TCP 53";
                network.Report(context, Descriptor, workload,
                    $"{workload.DisplayName} is isolated for egress by {Listing.Join([.. policies.Select(p => p.ToString())])}, and no egress rule allows {missing} to kube-dns: name resolution {(udp ? "of large answers " : string.Empty)}fails.",
                    severity: udp ? Severity.Low : null);
            }
        }
    }

    private static (bool Udp, bool Tcp) AllowsDns(PolicyDefinition policy, IReadOnlyDictionary<string, string> dnsNamespaceLabels)
    {
        var udp = false;
        var tcp = false;
        foreach (var rule in policy.Egress)
        {
            if (!rule.AllPeers && !rule.Peers.Any(p => ReachesKubeDns(p, dnsNamespaceLabels)))
            {
                continue;
            }

            if (rule.AllPorts)
            {
                return (true, true);
            }

            foreach (var port in rule.Ports)
            {
                udp |= Allows53(port, NetProtocol.UDP, "dns");
                tcp |= Allows53(port, NetProtocol.TCP, "dns-tcp");
            }
        }

        return (udp, tcp);
    }

    private static bool ReachesKubeDns(PeerSpec peer, IReadOnlyDictionary<string, string> dnsNamespaceLabels)
    {
        if (peer.IpBlock is { } block)
        {
            // Only an ipBlock covering everything surely includes the DNS pods.
            return block.Intervals.Any(i => i == IpInterval.Universe(i.Family));
        }

        if (!peer.IsPods)
        {
            return false;
        }

        var namespaceMatches = peer.NamespaceSelector is { } selector ? selector.Matches(dnsNamespaceLabels) : peer.SameNamespace == ClusterNetwork.DnsNamespace;
        return namespaceMatches && (peer.PodSelector is null || peer.PodSelector.Matches(KubeDnsLabels));
    }

    private static bool Allows53(PortSpec port, NetProtocol protocol, string kubeDnsPortName)
    {
        if (port.Name is { } name)
        {
            return name == kubeDnsPortName && (port.Protocol is null || port.Protocol == protocol);
        }

        return (port.Protocol ?? NetProtocol.TCP) == protocol && (port.Port is not { } start || (start <= 53 && (port.EndPort ?? start) >= 53));
    }
}
