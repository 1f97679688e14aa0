namespace Bulwark.Kubernetes.NetworkPolicy;

public enum PeerKind
{
    Workload,
    External,
    IngressController,
}

/// <summary>An endpoint of the connectivity graph: a workload, an external address range, or the ingress controller.</summary>
public sealed class NetpolPeer : IEquatable<NetpolPeer>
{
    private NetpolPeer(PeerKind kind, string name, NetpolWorkload? workload, IpInterval? range)
    {
        Kind = kind;
        Name = name;
        Workload = workload;
        Range = range;
    }

    public static NetpolPeer IngressController { get; } = new(PeerKind.IngressController, NetpolNames.IngressControllerName, null, null);

    public PeerKind Kind { get; }

    /// <summary>np-guard's text: <c>ns/name[Kind]</c>, <c>10.0.0.0-10.255.255.255[External]</c>, <c>{ingress-controller}</c>.</summary>
    public string Name { get; }

    public NetpolWorkload? Workload { get; }

    public IpInterval? Range { get; }

    public string? Namespace => Workload?.Namespace;

    public bool IsExternal => Kind == PeerKind.External;

    public static NetpolPeer Of(NetpolWorkload workload) => new(PeerKind.Workload, workload.DisplayName, workload, null);

    public static NetpolPeer Of(IpInterval range) => new(PeerKind.External, range + "[External]", null, range);

    public bool Equals(NetpolPeer? other) => other is not null && other.Kind == Kind && string.Equals(other.Name, Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is NetpolPeer other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Name));

    public override string ToString() => Name;
}

/// <summary>One allowed directed connection between two peers.</summary>
public sealed record NetpolConnection(NetpolPeer Source, NetpolPeer Destination, ConnectionSet Connections);

/// <summary>Everything <c>netpol list</c> reports: the allowed connections (sorted by source, then destination) and the workloads.</summary>
public sealed class ConnectivityReport
{
    public required IReadOnlyList<NetpolConnection> Connections { get; init; }

    public required IReadOnlyList<NetpolWorkload> Workloads { get; init; }

    public required IReadOnlyList<NetpolDiagnostic> Diagnostics { get; init; }

    public static int Compare(NetpolConnection a, NetpolConnection b)
    {
        var c = string.CompareOrdinal(a.Source.Name, b.Source.Name);
        return c != 0 ? c : string.CompareOrdinal(a.Destination.Name, b.Destination.Name);
    }
}
