using System.Text;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>The three protocols NetworkPolicies speak of; the order is the one explanations list them in.</summary>
public enum NetProtocol
{
    TCP = 0,
    UDP = 1,
    SCTP = 2,
}

public static class NetProtocols
{
    public static readonly NetProtocol[] All = [NetProtocol.TCP, NetProtocol.UDP, NetProtocol.SCTP];

    /// <summary>Reads a protocol name as the API server does: exactly <c>TCP</c>, <c>UDP</c> or <c>SCTP</c>.</summary>
    public static bool TryParse(string? text, out NetProtocol protocol)
    {
        switch (text)
        {
            case "TCP":
                protocol = NetProtocol.TCP;
                return true;
            case "UDP":
                protocol = NetProtocol.UDP;
                return true;
            case "SCTP":
                protocol = NetProtocol.SCTP;
                return true;
            default:
                protocol = NetProtocol.TCP;
                return false;
        }
    }

    public static string Name(NetProtocol protocol) => protocol switch
    {
        NetProtocol.UDP => "UDP",
        NetProtocol.SCTP => "SCTP",
        _ => "TCP",
    };
}

/// <summary>
/// An immutable set of connections: a port set per protocol. <see cref="ToString"/> is np-guard's text form
/// (<c>All Connections</c>, <c>SCTP 1-9002,TCP 1-79,81-65535</c>), which the list, diff and graph outputs share.
/// </summary>
public sealed class ConnectionSet : IEquatable<ConnectionSet>
{
    public const string AllConnectionsText = "All Connections";
    public const string NoConnectionsText = "No Connections";

    private readonly PortSet[] _ports;
    private string? _text;

    private ConnectionSet(PortSet tcp, PortSet udp, PortSet sctp) => _ports = [tcp, udp, sctp];

    public static ConnectionSet None { get; } = new(PortSet.Empty, PortSet.Empty, PortSet.Empty);

    public static ConnectionSet All { get; } = new(PortSet.All, PortSet.All, PortSet.All);

    public static ConnectionSet Of(PortSet tcp, PortSet udp, PortSet sctp)
    {
        if (tcp.IsEmpty && udp.IsEmpty && sctp.IsEmpty)
        {
            return None;
        }

        return tcp.IsAll && udp.IsAll && sctp.IsAll ? All : new ConnectionSet(tcp, udp, sctp);
    }

    public static ConnectionSet Of(NetProtocol protocol, PortSet ports) => protocol switch
    {
        NetProtocol.UDP => Of(PortSet.Empty, ports, PortSet.Empty),
        NetProtocol.SCTP => Of(PortSet.Empty, PortSet.Empty, ports),
        _ => Of(ports, PortSet.Empty, PortSet.Empty),
    };

    public PortSet this[NetProtocol protocol] => _ports[(int)protocol];

    public bool IsEmpty => ReferenceEquals(this, None) || (_ports[0].IsEmpty && _ports[1].IsEmpty && _ports[2].IsEmpty);

    public bool IsAll => ReferenceEquals(this, All) || (_ports[0].IsAll && _ports[1].IsAll && _ports[2].IsAll);

    public bool Contains(NetProtocol protocol, int port) => this[protocol].Contains(port);

    public ConnectionSet Union(ConnectionSet other)
    {
        if (other.IsEmpty || IsAll || ReferenceEquals(this, other))
        {
            return this;
        }

        return IsEmpty || other.IsAll ? other : Of(_ports[0].Union(other._ports[0]), _ports[1].Union(other._ports[1]), _ports[2].Union(other._ports[2]));
    }

    public ConnectionSet Intersect(ConnectionSet other)
    {
        if (IsEmpty || other.IsAll)
        {
            return this;
        }

        return other.IsEmpty || IsAll ? other : Of(_ports[0].Intersect(other._ports[0]), _ports[1].Intersect(other._ports[1]), _ports[2].Intersect(other._ports[2]));
    }

    public ConnectionSet Subtract(ConnectionSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        return other.IsAll ? None : Of(_ports[0].Subtract(other._ports[0]), _ports[1].Subtract(other._ports[1]), _ports[2].Subtract(other._ports[2]));
    }

    public ConnectionSet Complement() => All.Subtract(this);

    public bool IsSubsetOf(ConnectionSet other) => Subtract(other).IsEmpty;

    /// <summary>np-guard's connection text: protocols sorted by name, each with its port ranges.</summary>
    public override string ToString() => _text ??= Format();

    private string Format()
    {
        if (IsAll)
        {
            return AllConnectionsText;
        }

        if (IsEmpty)
        {
            return NoConnectionsText;
        }

        var parts = new List<string>(3);
        foreach (var protocol in NetProtocols.All)
        {
            if (!this[protocol].IsEmpty)
            {
                parts.Add(NetProtocols.Name(protocol) + " " + this[protocol]);
            }
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    /// <summary>np-guard's explanation form: <c>TCP, UDP:[1-52,54-65535], SCTP</c> (a bare protocol means all its ports).</summary>
    public string ToExplanationString()
    {
        var builder = new StringBuilder();
        foreach (var protocol in NetProtocols.All)
        {
            var ports = this[protocol];
            if (ports.IsEmpty)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(NetProtocols.Name(protocol));
            if (!ports.IsAll)
            {
                builder.Append(":[").Append(ports).Append(']');
            }
        }

        return builder.ToString();
    }

    public bool Equals(ConnectionSet? other) =>
        other is not null && (ReferenceEquals(this, other) || (_ports[0].Equals(other._ports[0]) && _ports[1].Equals(other._ports[1]) && _ports[2].Equals(other._ports[2])));

    public override bool Equals(object? obj) => obj is ConnectionSet other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_ports[0], _ports[1], _ports[2]);
}
