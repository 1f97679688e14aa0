using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.NetworkPolicy;

public static class NetpolNames
{
    /// <summary>The label the control plane puts on every namespace; the only way a selector can name one.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public const string DefaultNamespace = "default";

    /// <summary>np-guard's pseudo-workload standing for the ingress controller that Ingress and Route objects imply.</summary>
    public const string IngressControllerName = "{ingress-controller}";

    public const string IngressControllerNamespace = "ingress-controller-ns";
}

/// <summary>A namespace with its labels, the implicit <c>kubernetes.io/metadata.name</c> included.</summary>
public sealed record NetpolNamespace(string Name, IReadOnlyDictionary<string, string> Labels, SourceLocation? Location)
{
    public static NetpolNamespace Implicit(string name) =>
        new(name, new Dictionary<string, string>(StringComparer.Ordinal) { [NetpolNames.NamespaceNameLabel] = name }, null);
}

/// <summary>A container port of a workload, for named-port resolution.</summary>
public sealed record ContainerPortInfo(string? Name, int Port, NetProtocol Protocol);

/// <summary>
/// A workload: a pod-bearing object, or the owner that pods read from a cluster dump fold into. Its pods share
/// its labels and ports, so it is one endpoint of the connectivity graph.
/// </summary>
public sealed record NetpolWorkload(
    string Namespace,
    string Name,
    string Kind,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<ContainerPortInfo> Ports,
    SourceLocation Location,
    int Document)
{
    /// <summary>np-guard's name for it: <c>ns/name[Kind]</c>.</summary>
    public string DisplayName { get; } = Namespace + "/" + Name + "[" + Kind + "]";

    public bool HostNetwork { get; init; }

    public bool IsIngressController { get; init; }

    public ObjectReference Object => new(null, Kind, Namespace, Name);

    /// <summary>The container port a named port means on this workload, or null when it has none of that name.</summary>
    public ContainerPortInfo? NamedPort(string name)
    {
        foreach (var port in Ports)
        {
            if (string.Equals(port.Name, name, StringComparison.Ordinal))
            {
                return port;
            }
        }

        return null;
    }
}

public enum RuleAction
{
    Allow,
    Deny,
    Pass,
}

/// <summary>
/// What a rule's peer selects. Pod peers: pods matching <see cref="PodSelector"/> (null: all pods) in namespaces
/// matching <see cref="NamespaceSelector"/>, or, when that is null, in <see cref="SameNamespace"/>. IP peers:
/// the addresses of <see cref="IpBlock"/>. Node peers (ANP) select nothing Bulwark can see.
/// </summary>
public sealed record PeerSpec(SourceLocation Location)
{
    public LabelSelector? NamespaceSelector { get; init; }

    public string? SameNamespace { get; init; }

    public LabelSelector? PodSelector { get; init; }

    public IpSet? IpBlock { get; init; }

    /// <summary>The ipBlock as written (<c>10.0.0.0/8 except 10.1.0.0/16</c>), for messages.</summary>
    public string? IpBlockText { get; init; }

    public bool IsNodes { get; init; }

    public bool IsIpBlock => IpBlock is not null;

    public bool IsPods => IpBlock is null && !IsNodes;

    public override string ToString()
    {
        if (IsNodes)
        {
            return "nodes";
        }

        if (IpBlockText is not null)
        {
            return "ipBlock " + IpBlockText;
        }

        var ns = NamespaceSelector is null ? "namespace " + SameNamespace : NamespaceSelector.IsEmpty ? "all namespaces" : "namespaces with " + NamespaceSelector;
        var pods = PodSelector is null || PodSelector.IsEmpty ? "all pods" : "pods with " + PodSelector;
        return pods + " in " + ns;
    }
}

/// <summary>A port clause. <see cref="Protocol"/> is null for an ANP named port, whose protocol is the container port's.</summary>
public sealed record PortSpec(NetProtocol? Protocol, int? Port, int? EndPort, string? Name)
{
    public bool IsNamed => Name is not null;

    public bool IsAllPorts => Port is null && Name is null;
}

/// <summary>One ingress or egress rule: peers (empty = everyone, when <see cref="AllPeers"/>) AND ports (empty = all).</summary>
public sealed record PolicyRule(int Index, string? Name, RuleAction Action, IReadOnlyList<PeerSpec> Peers, bool AllPeers, IReadOnlyList<PortSpec> Ports, SourceLocation Location)
{
    public bool AllPorts => Ports.Count == 0;

    public bool HasNamedPorts => Ports.Any(p => p.IsNamed);
}

public enum PolicyKind
{
    NetworkPolicy,
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
}

/// <summary>
/// A parsed NetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy. For a NetworkPolicy the subject is
/// <see cref="PodSelector"/> within <see cref="Namespace"/>; for the admin kinds it is pods matching
/// <see cref="PodSelector"/> (null: all) in namespaces matching <see cref="NamespaceSelector"/>.
/// </summary>
public sealed record PolicyDefinition(PolicyKind Kind, string? Namespace, string Name, SourceLocation Location, int Document)
{
    private readonly ObjectReference? _object;

    public LabelSelector? NamespaceSelector { get; init; }

    public LabelSelector PodSelector { get; init; } = LabelSelector.Everything;

    public SourceLocation PodSelectorLocation { get; init; }

    /// <summary>NetworkPolicy: the effective policyTypes (after defaulting). Admin kinds: whether rules exist for the direction.</summary>
    public bool AffectsIngress { get; init; }

    public bool AffectsEgress { get; init; }

    /// <summary>True when <c>policyTypes</c> was written; false when it was defaulted.</summary>
    public bool PolicyTypesExplicit { get; init; }

    public int Priority { get; init; }

    public IReadOnlyList<PolicyRule> Ingress { get; init; } = [];

    public IReadOnlyList<PolicyRule> Egress { get; init; } = [];

    public string KindName => Kind switch
    {
        PolicyKind.AdminNetworkPolicy => "AdminNetworkPolicy",
        PolicyKind.BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        _ => "NetworkPolicy",
    };

    /// <summary><c>ns/name</c> for a NetworkPolicy, the name for the cluster-scoped kinds.</summary>
    public string QualifiedName => Namespace is null ? Name : Namespace + "/" + Name;

    /// <summary>
    /// The object as its manifest names it, which findings carry and suppressions (an object's ignore annotation, a
    /// comment above it) are matched against; built from the policy when it has no manifest.
    /// </summary>
    public ObjectReference Object
    {
        get => _object ?? new(null, KindName, Namespace, Name);
        init => _object = value;
    }

    public override string ToString() => $"{KindName} '{QualifiedName}'";
}

/// <summary>A Service's selector and ports, for what Ingress and Route objects reach.</summary>
public sealed record ServiceDefinition(string Namespace, string Name, IReadOnlyDictionary<string, string>? Selector, IReadOnlyList<ServicePortInfo> Ports);

/// <summary>A service port; <see cref="TargetPort"/>/<see cref="TargetPortName"/> null mean the service port itself.</summary>
public sealed record ServicePortInfo(string? Name, int Port, int? TargetPort, string? TargetPortName);

/// <summary>An Ingress or Route: the services it sends traffic to, with the port asked for (null: every service port).</summary>
public sealed record IngressDefinition(string Kind, string Namespace, string Name, IReadOnlyList<IngressBackend> Backends)
{
    public string QualifiedName => Namespace + "/" + Name;

    public override string ToString() => $"{Kind} '{QualifiedName}'";
}

public sealed record IngressBackend(string Service, int? Port, string? PortName);

public enum DiagnosticLevel
{
    Warning,
    Error,
}

/// <summary>A problem with one input object: errors drop the object (the API server would refuse it), warnings do not.</summary>
public sealed record NetpolDiagnostic(DiagnosticLevel Level, string Object, SourceLocation Location, string Message)
{
    public override string ToString()
    {
        var where = Location.File is { Length: > 0 } ? (Location.Line > 0 ? $"{Location.File}:{Location.Line}: " : Location.File + ": ") : string.Empty;
        return $"{where}{(Level == DiagnosticLevel.Error ? "error" : "warning")}: {Object}: {Message}";
    }
}
