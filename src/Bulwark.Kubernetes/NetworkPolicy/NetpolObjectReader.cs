using System.Globalization;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// Reads the objects the connectivity analysis needs (namespaces, workloads, NetworkPolicies, AdminNetworkPolicies,
/// BaselineAdminNetworkPolicies, Services, Ingresses and Routes) into <see cref="NetworkInputs"/>, validating
/// policies as the API server would: an invalid one is reported and left out, the rest is read.
/// </summary>
public static class NetpolObjectReader
{
    private static readonly HashSet<string> WorkloadKinds = new(StringComparer.Ordinal)
    {
        "Pod", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "ReplicationController", "Job", "CronJob",
    };

    /// <summary>Kinds this reader takes; everything else is ignored.</summary>
    public static bool IsRelevant(KubernetesObject obj) =>
        WorkloadKinds.Contains(obj.Kind) || obj.Kind is "Namespace" or "NetworkPolicy" or "AdminNetworkPolicy" or "BaselineAdminNetworkPolicy" or "Service" or "Ingress" or "Route";

    public static void Read(KubernetesObject obj, NetworkInputs sink)
    {
        switch (obj.Kind)
        {
            case "Namespace" when !KubernetesApiGroups.IsCustomResource(obj):
                ReadNamespace(obj, sink);
                break;
            case "NetworkPolicy" when obj.ApiVersion.StartsWith("networking.k8s.io/", StringComparison.Ordinal) || obj.ApiVersion.Length == 0:
                if (NetworkPolicyReader.Read(obj, sink.Diagnostics) is { } policy)
                {
                    sink.Policies.Add(policy);
                }

                break;
            case "AdminNetworkPolicy" or "BaselineAdminNetworkPolicy":
                if (AdminNetworkPolicyReader.Read(obj, sink.Diagnostics) is { } admin)
                {
                    sink.Policies.Add(admin);
                }

                break;
            case "Service" when obj.ApiVersion == "v1":
                sink.Services.Add(ReadService(obj));
                break;
            case "Ingress" when obj.ApiVersion.StartsWith("networking.k8s.io/", StringComparison.Ordinal) || obj.ApiVersion.StartsWith("extensions/", StringComparison.Ordinal):
                ReadIngress(obj, sink);
                break;
            case "Route" when obj.ApiVersion.StartsWith("route.openshift.io/", StringComparison.Ordinal):
                ReadRoute(obj, sink);
                break;
            default:
                // A custom resource of kind Job (Volcano's, say) is not a batch Job.
                if (WorkloadKinds.Contains(obj.Kind) && !KubernetesApiGroups.IsCustomResource(obj))
                {
                    ReadWorkload(obj, sink);
                }

                break;
        }
    }

    public static string NamespaceOf(KubernetesObject obj) => obj.Namespace is { Length: > 0 } ns ? ns : NetpolNames.DefaultNamespace;

    public static string Describe(KubernetesObject obj) =>
        obj.Namespace is { Length: > 0 } || obj.Kind is "NetworkPolicy" or "Service" or "Ingress" or "Route" or "Pod"
            ? $"{obj.Kind} {NamespaceOf(obj)}/{obj.Name}"
            : $"{obj.Kind} {obj.Name}";

    private static void ReadNamespace(KubernetesObject obj, NetworkInputs sink)
    {
        if (obj.Name is not { Length: > 0 } name)
        {
            sink.Diagnostics.Add(new(DiagnosticLevel.Error, "Namespace", obj.Location, "has no metadata.name; ignored"));
            return;
        }

        var labels = new Dictionary<string, string>(obj.Labels, StringComparer.Ordinal)
        {
            [NetpolNames.NamespaceNameLabel] = name,
        };
        sink.Namespaces.Add(new NetpolNamespace(name, labels, obj.Location));
    }

    private static void ReadWorkload(KubernetesObject obj, NetworkInputs sink)
    {
        var template = obj.PodTemplate;
        if (template is null || obj.Name is not { Length: > 0 } name)
        {
            return;
        }

        var labels = KubernetesObject.StringMap(template.Metadata.Mapping("labels"));
        var ports = ReadContainerPorts(template.Spec);
        var ns = NamespaceOf(obj);
        if (obj.Kind == "Pod" && ControllerOwner(obj) is { } owner)
        {
            sink.OwnedPods.Add(new OwnedPod(ns, name, owner.Kind, owner.Name, labels, ports, obj.Location, obj.Document));
            return;
        }

        sink.Workloads.Add(new NetpolWorkload(ns, name, obj.Kind, labels, ports, obj.Location, obj.Document)
        {
            HostNetwork = template.Spec.Scalar("hostNetwork")?.AsBool() == true,
        });
    }

    /// <summary>The controlling owner of a pod read from a cluster dump; node-owned (static) pods stay pods.</summary>
    private static (string Kind, string Name)? ControllerOwner(KubernetesObject obj)
    {
        foreach (var owner in obj.Metadata.MappingsOf("ownerReferences"))
        {
            if (owner.Scalar("controller")?.AsBool() != true)
            {
                continue;
            }

            var kind = owner.String("kind") ?? string.Empty;
            var name = owner.String("name");
            if (kind == "Node" || name is not { Length: > 0 })
            {
                return null;
            }

            return (kind.Length == 0 ? "Pod" : kind, name);
        }

        return null;
    }

    private static List<ContainerPortInfo> ReadContainerPorts(DocMapping spec)
    {
        var ports = new List<ContainerPortInfo>();
        foreach (var container in spec.MappingsOf("containers"))
        {
            foreach (var port in container.MappingsOf("ports"))
            {
                if (port.Scalar("containerPort")?.AsInt64() is not { } number || number is < 1 or > 65535)
                {
                    continue;
                }

                var protocol = NetProtocols.TryParse(port.String("protocol") ?? "TCP", out var p) ? p : NetProtocol.TCP;
                ports.Add(new ContainerPortInfo(port.String("name"), (int)number, protocol));
            }
        }

        return ports;
    }

    private static ServiceDefinition ReadService(KubernetesObject obj)
    {
        var spec = obj.Root.Mapping("spec");
        var selector = spec?["selector"] is DocMapping s ? KubernetesObject.StringMap(s) : null;
        var ports = new List<ServicePortInfo>();
        foreach (var port in spec.MappingsOf("ports"))
        {
            var number = port.Scalar("port")?.AsInt64();
            int? target = null;
            string? targetName = null;
            if (port.Scalar("targetPort") is { } t)
            {
                if (t.AsInt64() is { } tn)
                {
                    target = (int)tn;
                }
                else if (int.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var quoted))
                {
                    target = quoted;
                }
                else
                {
                    targetName = t.Value;
                }
            }

            ports.Add(new ServicePortInfo(port.String("name"), number is { } n ? (int)n : 0, target, targetName));
        }

        return new ServiceDefinition(NamespaceOf(obj), obj.Name ?? string.Empty, selector, ports);
    }

    private static void ReadIngress(KubernetesObject obj, NetworkInputs sink)
    {
        var spec = obj.Root.Mapping("spec");
        var backends = new List<IngressBackend>();
        if (spec.Mapping("defaultBackend") is { } defaultBackend)
        {
            AddIngressBackend(defaultBackend, backends);
        }
        else if (spec.Mapping("backend") is { } legacy)
        {
            AddIngressBackend(legacy, backends);
        }

        foreach (var rule in spec.MappingsOf("rules"))
        {
            foreach (var path in rule.Mapping("http").MappingsOf("paths"))
            {
                if (path.Mapping("backend") is { } backend)
                {
                    AddIngressBackend(backend, backends);
                }
            }
        }

        sink.Ingresses.Add(new IngressDefinition("Ingress", NamespaceOf(obj), obj.Name ?? string.Empty, backends));
    }

    private static void AddIngressBackend(DocMapping backend, List<IngressBackend> backends)
    {
        if (backend.Mapping("service") is { } service && service.String("name") is { } name)
        {
            var port = service.Mapping("port");
            backends.Add(new IngressBackend(name, port.Scalar("number")?.AsInt64() is { } n ? (int)n : null, port.String("name")));
        }
        else if (backend.String("serviceName") is { } legacyName)
        {
            var port = backend.Scalar("servicePort");
            backends.Add(new IngressBackend(legacyName, port?.AsInt64() is { } n ? (int)n : null, port is not null && port.AsInt64() is null ? port.Value : null));
        }
    }

    private static void ReadRoute(KubernetesObject obj, NetworkInputs sink)
    {
        var spec = obj.Root.Mapping("spec");
        var targetPort = spec.Mapping("port").Scalar("targetPort");
        int? port = targetPort?.AsInt64() is { } n ? (int)n : null;
        var portName = targetPort is not null && port is null ? targetPort.Value : null;
        var backends = new List<IngressBackend>();
        var targets = new List<DocMapping>();
        if (spec.Mapping("to") is { } to)
        {
            targets.Add(to);
        }

        targets.AddRange(spec.MappingsOf("alternateBackends"));
        foreach (var target in targets)
        {
            var kind = target.String("kind");
            if (kind is not null and not "Service")
            {
                sink.Diagnostics.Add(new(DiagnosticLevel.Warning, Describe(obj), obj.At(target), $"target of kind {kind} ignored; only Services are followed"));
                continue;
            }

            if (target.String("name") is { } name)
            {
                backends.Add(new IngressBackend(name, port, portName));
            }
        }

        sink.Ingresses.Add(new IngressDefinition("Route", NamespaceOf(obj), obj.Name ?? string.Empty, backends));
    }
}
