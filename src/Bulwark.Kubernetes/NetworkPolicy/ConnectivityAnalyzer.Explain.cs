namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// An Ingress or Route object's part in a connection from the ingress controller: its route to the destination
/// either carries the part (<see cref="Allows"/>) or does not (its protocols and ports do not match).
/// </summary>
public sealed record RouteContribution(IngressRoute Route, bool Allows);

/// <summary>
/// How one direction decided a part of a connection, and by which policies. On the ingress side of a connection
/// from the ingress controller, <see cref="Routes"/> names the Ingress/Route objects too: the part needs one of
/// them to route it as well as the destination's policies to allow it.
/// </summary>
public sealed record DirectionVerdict(bool Allowed, IReadOnlyList<RuleContribution> Rules, IReadOnlyList<PolicyDefinition> DenyingPolicies)
{
    public IReadOnlyList<RouteContribution> Routes { get; init; } = [];

    /// <summary>Neither a policy, a rule nor an Ingress/Route object applied: the system default (allow).</summary>
    public bool IsDefault => Allowed && Rules.Count == 0 && Routes.Count == 0;

    public IEnumerable<PolicyDefinition> Policies => Rules.Select(r => r.Policy).Concat(DenyingPolicies).Distinct();

    public IEnumerable<IngressDefinition> IngressObjects => Routes.Select(r => r.Route.Object).Distinct<IngressDefinition>(ReferenceEqualityComparer.Instance);
}

/// <summary>A part of a connection whose egress and ingress were decided alike.</summary>
public sealed record ExplanationSegment(ConnectionSet Connections, DirectionVerdict Egress, DirectionVerdict Ingress)
{
    public bool Allowed => Egress.Allowed && Ingress.Allowed;

    /// <summary>The policies that decided this part, egress side first.</summary>
    public IReadOnlyList<PolicyDefinition> Policies => [.. Egress.Policies.Concat(Ingress.Policies).Distinct()];

    /// <summary>The Ingress and Route objects that decided this part (only for connections from the ingress controller).</summary>
    public IReadOnlyList<IngressDefinition> IngressObjects => [.. Ingress.IngressObjects];
}

/// <summary>Why a connection between two peers is allowed or denied, part by part.</summary>
public sealed record PairExplanation(NetpolPeer Source, NetpolPeer Destination, IReadOnlyList<ExplanationSegment> Segments)
{
    public ConnectionSet Allowed => Segments.Where(s => s.Allowed).Aggregate(ConnectionSet.None, (a, s) => a.Union(s.Connections));
}

public sealed partial class ConnectivityAnalyzer
{
    /// <summary>The peer of that np-guard name: a workload, an external range of the partition (or any range), the ingress controller.</summary>
    public NetpolPeer? FindPeer(string name)
    {
        if (name == NetpolNames.IngressControllerName)
        {
            return _ingressControllerClass >= 0 ? NetpolPeer.IngressController : null;
        }

        foreach (var workload in _model.Workloads)
        {
            if (workload.DisplayName == name || workload.Namespace + "/" + workload.Name == name)
            {
                return NetpolPeer.Of(workload);
            }
        }

        var text = name.EndsWith("[External]", StringComparison.Ordinal) ? name[..^"[External]".Length] : name;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && IpAddresses.TryParseAddress(text[..dash], out var family, out var start)
            && IpAddresses.TryParseAddress(text[(dash + 1)..], out var family2, out var end) && family == family2 && start <= end)
        {
            return NetpolPeer.Of(new IpInterval(family, start, end));
        }

        if (IpAddresses.TryParseCidr(text, out var cidr))
        {
            return NetpolPeer.Of(cidr);
        }

        return null;
    }

    /// <summary>
    /// Every part of the connection space between two peers, with the verdict of each direction and the
    /// policies and rules that gave it (np-guard's <c>--explain</c>, in Bulwark's model). From the ingress
    /// controller, a part is allowed only where an Ingress or Route object routes it to the destination (the
    /// routes <c>netpol list</c> uses) and the destination's ingress policies allow it.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is the ingress controller, or the source is it and the input has no Ingress or Route object.</exception>
    public PairExplanation Explain(NetpolPeer source, NetpolPeer destination)
    {
        if (destination.Kind == PeerKind.IngressController)
        {
            throw new ArgumentException("the ingress controller is only ever a source: Ingress and Route objects send traffic from it", nameof(destination));
        }

        List<IngressRoute>? routes = null;
        if (source.Kind == PeerKind.IngressController)
        {
            if (_ingressControllerClass < 0)
            {
                throw new ArgumentException("no Ingress or Route object in the input, so there is no ingress controller", nameof(source));
            }

            routes = [.. IngressRoutes.Where(r => ReferenceEquals(r.Workload, destination.Workload))];
        }

        var src = EndpointOf(source);
        var dst = EndpointOf(destination);
        var egress = new DirectionTrace { Ingress = false };
        var ingress = new DirectionTrace { Ingress = true };
        EvaluateDirection(src, dst, ingress: false, egress);
        EvaluateDirection(src, dst, ingress: true, ingress);

        var atoms = new List<ConnectionSet> { ConnectionSet.All };
        foreach (var set in Boundaries(egress).Concat(Boundaries(ingress)).Concat(routes?.Select(r => r.Connections) ?? []))
        {
            var next = new List<ConnectionSet>();
            foreach (var atom in atoms)
            {
                var inside = atom.Intersect(set);
                var outside = atom.Subtract(set);
                if (!inside.IsEmpty)
                {
                    next.Add(inside);
                }

                if (!outside.IsEmpty)
                {
                    next.Add(outside);
                }
            }

            atoms = next;
        }

        var segments = new List<ExplanationSegment>();
        foreach (var atom in atoms)
        {
            var ingressVerdict = Decide(ingress, atom);
            if (routes is not null)
            {
                ingressVerdict = ThroughRoutes(ingressVerdict, routes, atom);
            }

            var segment = new ExplanationSegment(atom, Decide(egress, atom), ingressVerdict);
            var same = segments.FindIndex(s => s.Allowed == segment.Allowed && SameReasons(s.Egress, segment.Egress) && SameReasons(s.Ingress, segment.Ingress));
            if (same >= 0)
            {
                segments[same] = segments[same] with { Connections = segments[same].Connections.Union(atom) };
            }
            else
            {
                segments.Add(segment);
            }
        }

        return new PairExplanation(source, destination, segments);
    }

    private Endpoint EndpointOf(NetpolPeer peer) => peer.Kind switch
    {
        PeerKind.External => Endpoint.OfRange(peer.Range!.Value),
        PeerKind.IngressController => Endpoint.OfClass(_ingressControllerClass),
        _ => Endpoint.OfClass(_classOf[peer.Workload!]),
    };

    private static IEnumerable<ConnectionSet> Boundaries(DirectionTrace trace) =>
        trace.Admin.Concat(trace.Rules).Concat(trace.Baseline).Select(c => c.Connections);

    private static DirectionVerdict Decide(DirectionTrace trace, ConnectionSet atom)
    {
        var rules = new List<RuleContribution>();
        foreach (var admin in trace.Admin)
        {
            if (!admin.Connections.Intersect(atom).IsEmpty)
            {
                rules.Add(admin);
                if (admin.Action != RuleAction.Pass)
                {
                    return admin.Action == RuleAction.Allow ? new(true, rules, []) : new(false, rules, []);
                }

                break;
            }
        }

        if (trace.Selecting.Count > 0)
        {
            var allowing = trace.Rules.Where(r => !r.Connections.Intersect(atom).IsEmpty).ToList();
            if (allowing.Count > 0)
            {
                rules.AddRange(allowing);
                return new(true, rules, []);
            }

            return new(false, rules, [.. trace.Selecting.Distinct()]);
        }

        foreach (var baseline in trace.Baseline)
        {
            if (!baseline.Connections.Intersect(atom).IsEmpty)
            {
                rules.Add(baseline);
                return new(baseline.Action != RuleAction.Deny, rules, []);
            }
        }

        return new(true, rules, []);
    }

    /// <summary>
    /// The ingress side of a part of a connection from the ingress controller: the policies' verdict on it, and
    /// the Ingress/Route objects whose routes carry it (np-guard's intersection of the two). When none carries
    /// it, the part is denied and every object routing to the destination is named as not matching it.
    /// </summary>
    private static DirectionVerdict ThroughRoutes(DirectionVerdict policies, List<IngressRoute> routes, ConnectionSet atom)
    {
        var carrying = routes.Where(r => !r.Connections.Intersect(atom).IsEmpty).Select(r => new RouteContribution(r, Allows: true)).ToList();
        var named = carrying.Count > 0 ? carrying : [.. routes.Select(r => new RouteContribution(r, Allows: false))];
        return policies with { Allowed = policies.Allowed && carrying.Count > 0, Routes = named };
    }

    private static bool SameReasons(DirectionVerdict a, DirectionVerdict b) =>
        a.Allowed == b.Allowed && a.Rules.Count == b.Rules.Count && a.Rules.Zip(b.Rules).All(p => ReferenceEquals(p.First.Rule, p.Second.Rule) && p.First.Action == p.Second.Action)
        && a.DenyingPolicies.SequenceEqual(b.DenyingPolicies)
        && a.Routes.Count == b.Routes.Count && a.Routes.Zip(b.Routes).All(p => ReferenceEquals(p.First.Route, p.Second.Route) && p.First.Allows == p.Second.Allows);
}
