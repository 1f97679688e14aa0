using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Host;

public sealed class HostPathMountRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1010",
        Slug = "host-path-mount",
        Title = "Workload mounts a path from the host",
        Severity = Severity.High,
        MinimumSeverity = Severity.Info,
        MaximumSeverity = Severity.Critical,
        SeverityNote = "Critical for the host's root or a sensitive path (`/etc`, `/proc`, `/sys`, `/dev`, `/var/lib/kubelet`, `/var/run`, `/usr`, …) mounted writable; high for any other writable path and for a sensitive one mounted read-only; medium for other read-only paths. A Compose or `docker inspect` bind mount of a project path (`./config`) is low, or info when read-only.",
        Category = "Host isolation",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["hostPathVolumes", "restrictedVolumes"],
        Rationale = """
            A hostPath volume reaches past the container's filesystem into the node's. Writable, it can plant
            cron jobs, kubelet configs or binaries on the host; even read-only, /etc, /proc or /var/lib/kubelet
            leak credentials. The severity rises for the host root and sensitive folders and falls for
            read-only mounts.
            """,
        Remediation = "Replace the hostPath volume with an emptyDir, a ConfigMap/Secret, or a PersistentVolumeClaim; if host access is truly needed, mount the narrowest path read-only.",
        References =
        [
            new("Pod Security Standards", "baseline: HostPath Volumes", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("CIS Kubernetes Benchmark", "5.2.12"),
            new("CIS Docker Benchmark", "5.5"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: log-shipper
                spec:
                  containers:
                    - name: shipper
                      image: shipper:2.0.0
                      volumeMounts:
                        - name: logs
                          mountPath: /host/logs
                          readOnly: true
                        - name: root
                          mountPath: /host
                  volumes:
                    - name: logs
                      hostPath:
                        path: /var/log/pods # expect: BW1010
                    - name: root
                      hostPath:
                        path: / # expect: BW1010
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: log-shipper
                spec:
                  containers:
                    - name: shipper
                      image: shipper:2.0.0
                      volumeMounts:
                        - name: data
                          mountPath: /data
                  volumes:
                    - name: data
                      persistentVolumeClaim:
                        claimName: shipper-data
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  agent:
                    image: agent:1.0.0
                    volumes:
                      - /etc:/host/etc:ro # expect: BW1010
                      - type: bind
                        source: / # expect: BW1010
                        target: /host
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  db:
                    image: postgres:17.2
                    volumes:
                      - db-data:/var/lib/postgresql/data
                volumes:
                  db-data: {}
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/agent",
                    "Mounts": [
                      { "Type": "bind", "Source": "/etc", "Destination": "/host/etc", "RW": false } // expect: BW1010
                    ],
                    "Config": { "Image": "agent:1.0.0", "User": "1000" },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/db",
                    "Mounts": [
                      { "Type": "volume", "Name": "db-data", "Source": "/var/lib/docker/volumes/db-data/_data", "Destination": "/var/lib/postgresql/data", "RW": true }
                    ],
                    "Config": { "Image": "postgres:17.2", "User": "999" },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Replace the hostPath volume with an emptyDir, a ConfigMap/Secret, or a PersistentVolumeClaim; if host access is truly needed, mount the narrowest path read-only.",
        "Use a named volume instead of the bind mount; if host access is truly needed, bind the narrowest path read-only (`:ro`).",
        "Use a named volume instead of the bind mount; if host access is truly needed, bind the narrowest path read-only.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var volume in target.Volumes)
        {
            if (volume.HostPath is not { } path || HostPaths.RuntimeSocket(path.Value) is not null)
            {
                // Runtime sockets are reported once, by container-runtime-socket-mount.
                continue;
            }

            var access = volume.ReadOnly ? "read-only" : "writable";
            if (target.Source != SourceKind.Kubernetes && HostPaths.IsProjectRelative(path.Value))
            {
                // Binding the project's own files (./config, ./src) is how Compose is used in development; it
                // still lets the container change them, so it is reported, at low severity.
                context.Report(Descriptor, target, path.Location, $"Bind mount of project path {path.Value} ({access}).",
                    severity: volume.ReadOnly ? Severity.Info : Severity.Low, remediation: Fix.For(target.Source));
                continue;
            }

            var sensitive = HostPaths.IsSensitive(path.Value);
            var severity = (HostPaths.IsHostRoot(path.Value), sensitive, volume.ReadOnly) switch
            {
                (true, _, false) => Severity.Critical,
                (_, true, false) => Severity.Critical,
                (_, true, true) => Severity.High,
                (_, false, false) => Severity.High,
                _ => Severity.Medium,
            };
            var what = HostPaths.IsHostRoot(path.Value) ? "the host's root filesystem" : $"host path {path.Value}";
            var subject = target.Source == SourceKind.Kubernetes ? $"Volume \"{volume.Name}\" mounts" : "Bind mount of";
            context.Report(Descriptor, target, path.Location, $"{subject} {what} ({access}).", severity: severity, remediation: Fix.For(target.Source));
        }
    }
}
