namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// What one Ingress or Route object sends to one workload through one of its services: the TCP ports that reach
/// the workload (empty when none of the service ports it uses targets a port the workload declares).
/// </summary>
public sealed record IngressRoute(IngressDefinition Object, ServiceDefinition Service, NetpolWorkload Workload, ConnectionSet Connections);

public sealed partial class ConnectivityAnalyzer
{
    /// <summary>Every allowed directed connection between workloads, external ranges and the ingress controller.</summary>
    public ConnectivityReport Analyze(int maxParallelism = -1)
    {
        var classCount = _classes.Count;
        var sourceRanges = SourceRanges.Select(r => (Endpoint: Endpoint.OfRange(r), Peer: NetpolPeer.Of(r))).ToArray();
        var destinationRanges = DestinationRanges.Select(r => (Endpoint: Endpoint.OfRange(r), Peer: NetpolPeer.Of(r))).ToArray();
        var peers = new Dictionary<NetpolWorkload, NetpolPeer>(ReferenceEqualityComparer.Instance);
        foreach (var workload in _model.Workloads)
        {
            peers[workload] = NetpolPeer.Of(workload);
        }

        var perClass = new List<NetpolConnection>[classCount];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism };
        Parallel.For(0, classCount, options, s =>
        {
            var list = new List<NetpolConnection>();
            perClass[s] = list;
            if (s == _ingressControllerClass)
            {
                return;
            }

            var source = Endpoint.OfClass(s);
            var sourceMembers = _classes[s].Members;
            foreach (var d in EgressReach(s).Members())
            {
                if (d == _ingressControllerClass)
                {
                    continue;
                }

                var conns = EvaluatePair(source, Endpoint.OfClass(d));
                if (conns.IsEmpty)
                {
                    continue;
                }

                foreach (var from in sourceMembers)
                {
                    foreach (var to in _classes[d].Members)
                    {
                        if (!ReferenceEquals(from, to))
                        {
                            list.Add(new NetpolConnection(peers[from], peers[to], conns));
                        }
                    }
                }
            }

            foreach (var r in CandidateDestinationRanges(s, destinationRanges))
            {
                var (endpoint, peer) = destinationRanges[r];
                var conns = EvaluatePair(source, endpoint);
                if (!conns.IsEmpty)
                {
                    foreach (var from in sourceMembers)
                    {
                        list.Add(new NetpolConnection(peers[from], peer, conns));
                    }
                }
            }

            foreach (var (endpoint, peer) in sourceRanges)
            {
                // Ranges → this class; listed with the class as destination.
                var conns = EvaluatePair(endpoint, source);
                if (!conns.IsEmpty)
                {
                    foreach (var to in sourceMembers)
                    {
                        list.Add(new NetpolConnection(peer, peers[to], conns));
                    }
                }
            }
        });

        var connections = new List<NetpolConnection>(perClass.Sum(l => l.Count));
        foreach (var list in perClass)
        {
            connections.AddRange(list);
        }

        connections.AddRange(IngressControllerConnections(peers));
        connections.Sort(ConnectivityReport.Compare);
        return new ConnectivityReport { Connections = connections, Workloads = _model.Workloads, Diagnostics = _diagnostics };
    }

    /// <summary>
    /// The external ranges a class's egress can reach. When only NetworkPolicies decide its egress (it is
    /// isolated by one and no AdminNetworkPolicy selects it), a range no egress rule's ipBlock contains gets no
    /// connection, so only the ranges inside those ipBlocks are evaluated: with thousands of ranges from the
    /// policies' ipBlocks, evaluating every range for every class dominated the analysis.
    /// </summary>
    private IEnumerable<int> CandidateDestinationRanges(int c, (Endpoint Endpoint, NetpolPeer Peer)[] ranges)
    {
        if (_npEgress[c].Count == 0 || _anpEgress[c].Count > 0)
        {
            return Enumerable.Range(0, ranges.Length);
        }

        var candidates = new SortedSet<int>();
        foreach (var policy in _npEgress[c])
        {
            foreach (var rule in policy.Egress)
            {
                if (rule.AllPeers)
                {
                    return Enumerable.Range(0, ranges.Length);
                }

                foreach (var peer in rule.Peers)
                {
                    if (peer.IpBlock is not { } block)
                    {
                        continue;
                    }

                    foreach (var interval in block.Intervals)
                    {
                        // Ranges are disjoint and sorted; the first one starting at or after the interval's start.
                        var low = 0;
                        var high = ranges.Length;
                        while (low < high)
                        {
                            var mid = (low + high) / 2;
                            var range = ranges[mid].Endpoint.Range;
                            if (range.Family < interval.Family || (range.Family == interval.Family && range.Start < interval.Start))
                            {
                                low = mid + 1;
                            }
                            else
                            {
                                high = mid;
                            }
                        }

                        for (var i = low; i < ranges.Length && ranges[i].Endpoint.Range.Family == interval.Family && ranges[i].Endpoint.Range.Start <= interval.End; i++)
                        {
                            candidates.Add(i);
                        }
                    }
                }
            }
        }

        return candidates;
    }

    /// <summary>
    /// What the ingress controller may open, from Ingress and Route objects: to the workloads their services
    /// select, on the services' target ports, where the policies let the controller in.
    /// </summary>
    private List<NetpolConnection> IngressControllerConnections(Dictionary<NetpolWorkload, NetpolPeer> peers)
    {
        var result = new List<NetpolConnection>();
        if (_ingressControllerClass < 0 || _model.Services.Count == 0)
        {
            return result;
        }

        foreach (var (workload, conns) in IngressTargets())
        {
            var allowed = conns.Intersect(EvaluatePair(Endpoint.OfClass(_ingressControllerClass), Endpoint.OfClass(_classOf[workload])));
            if (allowed.IsEmpty)
            {
                _diagnostics.Add(new(DiagnosticLevel.Warning, workload.DisplayName, workload.Location,
                    "Ingress/Route traffic to this workload is blocked by network policies"));
                continue;
            }

            result.Add(new NetpolConnection(NetpolPeer.IngressController, peers[workload], allowed));
        }

        return result;
    }

    /// <summary>Per workload, the TCP ports Ingress and Route objects send traffic to (np-guard's ingress analysis).</summary>
    public IReadOnlyList<(NetpolWorkload Workload, ConnectionSet Connections)> IngressTargets()
    {
        var byWorkload = new Dictionary<NetpolWorkload, ConnectionSet>(ReferenceEqualityComparer.Instance);
        var order = new List<NetpolWorkload>();
        foreach (var route in IngressRoutes)
        {
            if (!byWorkload.TryGetValue(route.Workload, out var existing))
            {
                order.Add(route.Workload);
                existing = ConnectionSet.None;
            }

            byWorkload[route.Workload] = existing.Union(route.Connections);
        }

        return [.. order.Where(w => !byWorkload[w].IsEmpty).Select(w => (w, byWorkload[w]))];
    }

    /// <summary>
    /// Every route of an Ingress or Route object to a workload, through one of the object's services, with the
    /// TCP ports that reach the workload: what <see cref="IngressTargets"/> sums per workload and what
    /// <see cref="Explain"/> names for connections from the ingress controller. Computed once.
    /// </summary>
    public IReadOnlyList<IngressRoute> IngressRoutes => _ingressRoutes.Value;

    private List<IngressRoute> BuildIngressRoutes()
    {
        var routes = new List<IngressRoute>();
        if (_ingressControllerClass < 0 || _model.Services.Count == 0)
        {
            return routes;
        }

        var services = new Dictionary<(string, string), ServiceDefinition>();
        foreach (var service in _model.Services)
        {
            services.TryAdd((service.Namespace, service.Name), service);
        }

        foreach (var ingress in _model.Ingresses)
        {
            var first = routes.Count;
            foreach (var backend in ingress.Backends)
            {
                if (!services.TryGetValue((ingress.Namespace, backend.Service), out var service))
                {
                    _diagnostics.Add(new(DiagnosticLevel.Warning, $"{ingress.Kind} {ingress.Namespace}/{ingress.Name}", default, $"target service {backend.Service} not found; ignored"));
                    continue;
                }

                if (service.Selector is null)
                {
                    continue;
                }

                var targetPorts = TargetPorts(service, backend);
                foreach (var workload in _model.Workloads)
                {
                    if (workload.Namespace != service.Namespace || !LabelSelector.FromLabels(service.Selector).Matches(workload.Labels))
                    {
                        continue;
                    }

                    var conns = ConnectionSet.None;
                    foreach (var (number, name) in targetPorts)
                    {
                        var port = number;
                        if (name is not null)
                        {
                            var named = workload.NamedPort(name);
                            if (named is null || named.Protocol != NetProtocol.TCP)
                            {
                                continue;
                            }

                            port = named.Port;
                        }

                        // np-guard exposes a port only when a container declares it (any protocol).
                        if (workload.Ports.Any(p => p.Port == port))
                        {
                            conns = conns.Union(ConnectionSet.Of(NetProtocol.TCP, PortSet.Single(port)));
                        }
                    }

                    // Backends of one object through the same service to the same workload are one route.
                    var same = routes.FindIndex(first, r => ReferenceEquals(r.Service, service) && ReferenceEquals(r.Workload, workload));
                    if (same >= 0)
                    {
                        routes[same] = routes[same] with { Connections = routes[same].Connections.Union(conns) };
                    }
                    else
                    {
                        routes.Add(new IngressRoute(ingress, service, workload, conns));
                    }
                }
            }
        }

        return routes;
    }

    /// <summary>The pod ports a backend reaches: the matching service port's target, or every target when no port is named.</summary>
    private static List<(int Number, string? Name)> TargetPorts(ServiceDefinition service, IngressBackend backend)
    {
        var result = new List<(int, string?)>();
        foreach (var port in service.Ports)
        {
            (int, string?) target = port.TargetPortName is { } name ? (0, name) : (port.TargetPort ?? port.Port, null);
            if (backend.Port is null && backend.PortName is null)
            {
                result.Add(target);
                continue;
            }

            if ((port.Name is { Length: > 0 } && port.Name == backend.PortName) || (backend.Port is { } n && (port.Port == n || port.TargetPort == n))
                || (backend.PortName is not null && port.TargetPortName == backend.PortName))
            {
                result.Add(target);
                return result;
            }
        }

        return result;
    }
}
