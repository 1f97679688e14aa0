namespace Bulwark.Reporting.Tests;

/// <summary>A temporary folder of files, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public string Root { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "bulwark-html-" + Guid.NewGuid().ToString("N"))).FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does no harm.
        }
    }
}

/// <summary>Manifests with network policies and RBAC objects, for the report's cluster sections.</summary>
public static class ClusterManifests
{
    /// <summary>Namespace prod denies everything but frontend → backend on TCP 8080: exactly one connection.</summary>
    public const string FrontendBackend = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: frontend, namespace: prod}
        spec:
          template:
            metadata: {labels: {app: frontend}}
            spec: {containers: [{name: c, image: "registry.example/frontend:1.0"}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: backend, namespace: prod}
        spec:
          template:
            metadata: {labels: {app: backend}}
            spec: {containers: [{name: c, image: "registry.example/backend:1.0", ports: [{containerPort: 8080}]}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: prod}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: frontend-to-backend, namespace: prod}
        spec:
          podSelector: {matchLabels: {app: frontend}}
          policyTypes: [Egress]
          egress:
            - to: [{podSelector: {matchLabels: {app: backend}}}]
              ports: [{protocol: TCP, port: 8080}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: backend-from-frontend, namespace: prod}
        spec:
          podSelector: {matchLabels: {app: backend}}
          policyTypes: [Ingress]
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{protocol: TCP, port: 8080}]
        """;

    /// <summary>a/client may reach b/relay and c/server on TCP 80, and nothing else is allowed.</summary>
    public const string ThreeNamespaces = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: client, namespace: a}
        spec:
          template:
            metadata: {labels: {app: client}}
            spec: {containers: [{name: c, image: "registry.example/client:1.0"}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: relay, namespace: b}
        spec:
          template:
            metadata: {labels: {app: relay}}
            spec: {containers: [{name: c, image: "registry.example/relay:1.0"}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: server, namespace: c}
        spec:
          template:
            metadata: {labels: {app: server}}
            spec: {containers: [{name: c, image: "registry.example/server:1.0"}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: client-out, namespace: a}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
          egress:
            - to:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}
              ports: [{protocol: TCP, port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: from-a, namespace: b}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
          ingress:
            - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}}]
              ports: [{protocol: TCP, port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: from-a, namespace: c}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
          ingress:
            - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}}]
              ports: [{protocol: TCP, port: 80}]
        """;

    /// <summary>Service account ops/monitor may get nodes/proxy cluster-wide: code execution on every node in one step.</summary>
    public const string NodeProxyMonitor = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: monitor, namespace: ops}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: node-proxy}
        rules:
          - apiGroups: [""]
            resources: ["nodes/proxy"]
            verbs: ["get"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: monitor-node-proxy}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-proxy}
        subjects:
          - {kind: ServiceAccount, name: monitor, namespace: ops}
        """;

    public static string DenyAll(string ns) => $"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {"{"}name: deny-all, namespace: {ns}{"}"}
        spec:
          podSelector: {"{}"}
          policyTypes: [Ingress, Egress]

        """;
}
