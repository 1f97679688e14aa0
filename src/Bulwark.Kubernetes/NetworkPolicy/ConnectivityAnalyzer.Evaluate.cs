namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>A matched rule and the connections it decides in one direction (after higher-precedence rules took theirs).</summary>
public sealed record RuleContribution(PolicyDefinition Policy, PolicyRule Rule, RuleAction Action, ConnectionSet Connections);

/// <summary>How one direction (the source's egress or the destination's ingress) of a connection was decided.</summary>
public sealed class DirectionTrace
{
    public required bool Ingress { get; init; }

    /// <summary>AdminNetworkPolicy rules that matched, in precedence order, with the connections each claimed.</summary>
    public List<RuleContribution> Admin { get; } = [];

    /// <summary>NetworkPolicies that select the pod for this direction (empty: not isolated).</summary>
    public List<PolicyDefinition> Selecting { get; } = [];

    /// <summary>NetworkPolicy rules that match the other end, with their connections.</summary>
    public List<RuleContribution> Rules { get; } = [];

    /// <summary>BaselineAdminNetworkPolicy rules that matched, first match first.</summary>
    public List<RuleContribution> Baseline { get; } = [];

    public ConnectionSet Result { get; set; } = ConnectionSet.None;
}

public sealed partial class ConnectivityAnalyzer
{
    /// <summary>A connection end: an equivalence class, or an external range.</summary>
    private readonly record struct Endpoint(int Class, IpInterval Range)
    {
        public bool IsIp => Class < 0;

        public static Endpoint OfClass(int c) => new(c, default);

        public static Endpoint OfRange(IpInterval range) => new(-1, range);
    }

    private bool RuleMatches(PolicyRule rule, Endpoint other)
    {
        if (rule.AllPeers)
        {
            return true;
        }

        foreach (var peer in rule.Peers)
        {
            if (other.IsIp)
            {
                if (peer.IpBlock is { } block && block.Contains(other.Range))
                {
                    return true;
                }
            }
            else if (peer.IsPods && _peerClasses[peer][other.Class])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The connections a rule's ports mean towards <paramref name="destination"/> (named ports resolved on it).</summary>
    private ConnectionSet RuleConnections(PolicyRule rule, Endpoint destination)
    {
        var ports = _rulePorts[rule];
        if (ports.Named.Length == 0 || destination.IsIp)
        {
            return ports.Numeric;
        }

        var result = ports.Numeric;
        var workload = _classes[destination.Class].Representative;
        foreach (var named in ports.Named)
        {
            if (workload.NamedPort(named.Name!) is { } port && (named.Protocol is null || named.Protocol == port.Protocol))
            {
                result = result.Union(ConnectionSet.Of(port.Protocol, PortSet.Single(port.Port)));
            }
        }

        return result;
    }

    /// <summary>
    /// One direction of <paramref name="source"/> → <paramref name="destination"/>: egress is decided by the
    /// policies selecting the source, ingress by those selecting the destination.
    /// </summary>
    private ConnectionSet EvaluateDirection(Endpoint source, Endpoint destination, bool ingress, DirectionTrace? trace)
    {
        var subject = ingress ? destination : source;
        var other = ingress ? source : destination;
        if (subject.IsIp)
        {
            // Policies select pods only; the external end of a connection is never isolated.
            if (trace is not null)
            {
                trace.Result = ConnectionSet.All;
            }

            return ConnectionSet.All;
        }

        var c = subject.Class;
        var allowed = ConnectionSet.None;
        var denied = ConnectionSet.None;
        var claimed = ConnectionSet.None;
        foreach (var policy in ingress ? _anpIngress[c] : _anpEgress[c])
        {
            foreach (var rule in ingress ? policy.Ingress : policy.Egress)
            {
                if (claimed.IsAll)
                {
                    break;
                }

                if (!RuleMatches(rule, other))
                {
                    continue;
                }

                var conns = RuleConnections(rule, destination).Subtract(claimed);
                if (conns.IsEmpty)
                {
                    continue;
                }

                claimed = claimed.Union(conns);
                if (rule.Action == RuleAction.Allow)
                {
                    allowed = allowed.Union(conns);
                }
                else if (rule.Action == RuleAction.Deny)
                {
                    denied = denied.Union(conns);
                }

                trace?.Admin.Add(new RuleContribution(policy, rule, rule.Action, conns));
            }
        }

        ConnectionSet result;
        var networkPolicies = ingress ? _npIngress[c] : _npEgress[c];
        if (trace is null && allowed.Union(denied).IsAll)
        {
            result = allowed;
        }
        else if (networkPolicies.Count > 0)
        {
            // Isolated: only what some selecting policy's rule allows, below what the admin tier decided.
            var npAllowed = ConnectionSet.None;
            foreach (var policy in networkPolicies)
            {
                trace?.Selecting.Add(policy);
                foreach (var rule in ingress ? policy.Ingress : policy.Egress)
                {
                    if (!RuleMatches(rule, other))
                    {
                        continue;
                    }

                    var conns = RuleConnections(rule, destination);
                    npAllowed = npAllowed.Union(conns);
                    trace?.Rules.Add(new RuleContribution(policy, rule, RuleAction.Allow, conns));
                }
            }

            result = allowed.Union(npAllowed.Subtract(denied));
        }
        else
        {
            var baselineDenied = ConnectionSet.None;
            if ((ingress ? _banpIngress[c] : _banpEgress[c]) && _model.Baseline is { } baseline)
            {
                var baselineClaimed = ConnectionSet.None;
                foreach (var rule in ingress ? baseline.Ingress : baseline.Egress)
                {
                    if (!RuleMatches(rule, other))
                    {
                        continue;
                    }

                    var conns = RuleConnections(rule, destination).Subtract(baselineClaimed);
                    if (conns.IsEmpty)
                    {
                        continue;
                    }

                    baselineClaimed = baselineClaimed.Union(conns);
                    if (rule.Action == RuleAction.Deny)
                    {
                        baselineDenied = baselineDenied.Union(conns);
                    }

                    trace?.Baseline.Add(new RuleContribution(baseline, rule, rule.Action, conns));
                }
            }

            result = allowed.Union(ConnectionSet.All.Subtract(denied).Subtract(baselineDenied));
        }

        if (trace is not null)
        {
            trace.Result = result;
        }

        return result;
    }

    private ConnectionSet EvaluatePair(Endpoint source, Endpoint destination)
    {
        var egress = EvaluateDirection(source, destination, ingress: false, null);
        if (egress.IsEmpty)
        {
            return egress;
        }

        return egress.Intersect(EvaluateDirection(source, destination, ingress: true, null));
    }

    /// <summary>Whether a class's egress to a destination matched by no rule at all could still allow something.</summary>
    private bool EgressOpen(int c) => _npEgress[c].Count == 0;

    /// <summary>The classes a class's egress rules can reach (a superset of where egress allows anything, when isolated).</summary>
    private BitSet EgressReach(int c)
    {
        var reach = new BitSet(_classes.Count);
        if (EgressOpen(c))
        {
            reach.SetAll();
            return reach;
        }

        foreach (var policy in _anpEgress[c].Concat(_npEgress[c]))
        {
            foreach (var rule in policy.Egress)
            {
                if (rule.Action == RuleAction.Deny)
                {
                    continue;
                }

                if (rule.AllPeers)
                {
                    reach.SetAll();
                    return reach;
                }

                foreach (var peer in rule.Peers)
                {
                    if (peer.IsPods)
                    {
                        reach.Or(_peerClasses[peer]);
                    }
                }
            }
        }

        return reach;
    }
}
