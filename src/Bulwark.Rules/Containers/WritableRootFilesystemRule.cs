using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class WritableRootFilesystemRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1006",
        Slug = "writable-root-filesystem",
        Title = "Container root filesystem is writable",
        Severity = Severity.Medium,
        Category = "Filesystem",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        Rationale = """
            A writable root filesystem lets an intruder drop tools, replace binaries and persist for the life of
            the container. A read-only root, with emptyDir or tmpfs mounts where the application must write,
            takes that away and makes tampering visible.
            """,
        Remediation = "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` at the paths the application writes to (e.g. /tmp).",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.7.3"),
            new("CIS Docker Benchmark", "5.12"),
            new("NSA/CISA Kubernetes Hardening Guide", "Use immutable container file systems"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  containers:
                    - name: app
                      image: app:1.0.0
                      securityContext:
                        readOnlyRootFilesystem: false # expect: BW1006
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  containers:
                    - name: app
                      image: app:1.0.0
                      securityContext:
                        readOnlyRootFilesystem: true
                      volumeMounts:
                        - name: tmp
                          mountPath: /tmp
                  volumes:
                    - name: tmp
                      emptyDir: {}
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  app: # expect: BW1006
                    image: app:1.0.0
                  cache:
                    image: redis:7.4
                    read_only: false # expect: BW1006
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    read_only: true
                    tmpfs:
                      - /tmp
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "ReadonlyRootfs": false // expect: BW1006
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "ReadonlyRootfs": true
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` at the paths the application writes to (e.g. /tmp).",
        "Set `read_only: true` on the service and mount `tmpfs` (or a volume) at the paths it writes to (e.g. /tmp).",
        "Run the container with `--read-only` and `--tmpfs /tmp` (or a volume) where it writes.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            if (container.ReadOnlyRootFilesystem is { Value: true })
            {
                continue;
            }

            var at = container.ReadOnlyRootFilesystem?.Location ?? container.SecurityContextLocation;
            context.Report(Descriptor, target, at, $"Container \"{container.Name}\" can write to its root filesystem.", container.Name, remediation: Fix.For(target.Source));
        }
    }
}
