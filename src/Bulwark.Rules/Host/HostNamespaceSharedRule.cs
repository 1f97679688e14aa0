using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Host;

public sealed class HostNamespaceSharedRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1009",
        Slug = "host-namespace-shared",
        Title = "Workload shares the host's network, PID or IPC namespace",
        Severity = Severity.High,
        MaximumSeverity = Severity.Critical,
        SeverityNote = "Critical for the host PID namespace (every process on the node can be seen and signalled, often inspected); high for the host network and IPC namespaces.",
        Category = "Host isolation",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["hostNamespaces"],
        Rationale = """
            hostNetwork exposes the node's interfaces and every service bound to localhost (the kubelet, cloud
            metadata proxies) and bypasses NetworkPolicy; hostPID lets the container see, signal and with
            ptrace enter every host process; hostIPC shares the host's shared memory.
            """,
        Remediation = "Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to false); expose ports through a Service instead.",
        References =
        [
            new("Pod Security Standards", "baseline: Host Namespaces", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("CIS Kubernetes Benchmark", "5.2.3, 5.2.4, 5.2.5"),
            new("CIS Docker Benchmark", "5.9, 5.15, 5.16"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: agent
                spec:
                  selector:
                    matchLabels: {app: agent}
                  template:
                    metadata:
                      labels: {app: agent}
                    spec:
                      hostNetwork: true # expect: BW1009
                      hostPID: true # expect: BW1009
                      containers:
                        - name: agent
                          image: agent:3.2.1
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: agent
                spec:
                  selector:
                    matchLabels: {app: agent}
                  template:
                    metadata:
                      labels: {app: agent}
                    spec:
                      hostNetwork: false
                      containers:
                        - name: agent
                          image: agent:3.2.1
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  monitor:
                    image: node-exporter:1.8.0
                    network_mode: host # expect: BW1009
                    pid: host # expect: BW1009
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  monitor:
                    image: node-exporter:1.8.0
                    ports:
                      - "9100:9100"
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/monitor",
                    "Config": { "Image": "node-exporter:1.8.0", "User": "65534" },
                    "HostConfig": {
                      "NetworkMode": "host", // expect: BW1009
                      "PidMode": "",
                      "IpcMode": "host" // expect: BW1009
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/monitor",
                    "Config": { "Image": "node-exporter:1.8.0", "User": "65534" },
                    "HostConfig": {
                      "NetworkMode": "bridge",
                      "PidMode": "",
                      "IpcMode": "private"
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to false); expose ports through a Service instead.",
        "Remove `network_mode: host`, `pid: host` and `ipc: host`; publish the ports the service needs with `ports:` instead.",
        "Run the container without `--network host`, `--pid host` and `--ipc host`; publish ports with `-p` instead.");

    private static readonly SourceText NetworkField = new("hostNetwork: true", "network_mode: host", "--network host");
    private static readonly SourceText PidField = new("hostPID: true", "pid: host", "--pid host");
    private static readonly SourceText IpcField = new("hostIPC: true", "ipc: host", "--ipc host");

    public override void Evaluate(Workload target, RuleContext context)
    {
        Check(target.HostNetwork, "network", NetworkField, Severity.High);
        Check(target.HostPid, "PID", PidField, Severity.Critical);
        Check(target.HostIpc, "IPC", IpcField, Severity.High);

        void Check(Located<bool>? setting, string what, SourceText field, Severity severity)
        {
            if (setting is { Value: true } on)
            {
                context.Report(Descriptor, target, on.Location,
                    $"{target.Object.Kind} \"{target.Object.Name}\" shares the host's {what} namespace ({field.For(target.Source)}).",
                    severity: severity, remediation: Fix.For(target.Source));
            }
        }
    }
}
