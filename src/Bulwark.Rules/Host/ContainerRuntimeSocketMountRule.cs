using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Host;

public sealed class ContainerRuntimeSocketMountRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1011",
        Slug = "container-runtime-socket-mount",
        Title = "Workload mounts a container runtime socket",
        Severity = Severity.Critical,
        Category = "Host isolation",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        PodSecurityChecks = ["hostPathVolumes", "restrictedVolumes"],
        Rationale = """
            Whoever can talk to docker.sock, containerd.sock, crio.sock or podman.sock can start a privileged
            container with the host's root filesystem mounted: the socket is root on the node, read-only mount
            or not (connecting to a socket is not a write).
            """,
        Remediation = "Remove the hostPath volume for the runtime socket. Build images with a rootless builder (BuildKit rootless, kaniko, buildah) and read container state through the Kubernetes API.",
        References =
        [
            new("CIS Docker Benchmark", "5.31"),
            new("Pod Security Standards", "baseline: HostPath Volumes", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("NSA/CISA Kubernetes Hardening Guide", "Pod security"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: ci-runner
                spec:
                  containers:
                    - name: runner
                      image: runner:16.0.0
                      volumeMounts:
                        - name: docker
                          mountPath: /var/run/docker.sock
                  volumes:
                    - name: docker
                      hostPath:
                        path: /var/run/docker.sock # expect: BW1011
                        type: Socket
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: ci-runner
                spec:
                  containers:
                    - name: runner
                      image: runner:16.0.0
                      volumeMounts:
                        - name: work
                          mountPath: /work
                  volumes:
                    - name: work
                      emptyDir: {}
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  portainer:
                    image: portainer/portainer-ce:2.21.0
                    volumes:
                      - /var/run/docker.sock:/var/run/docker.sock # expect: BW1011
                  builder:
                    image: docker:27.3-cli
                    use_api_socket: true # expect: BW1011
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  web:
                    image: nginx:1.27
                    volumes:
                      - ./site:/usr/share/nginx/html:ro
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/portainer",
                    "Mounts": [
                      { "Type": "bind", "Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock", "RW": true } // expect: BW1011
                    ],
                    "Config": { "Image": "portainer/portainer-ce:2.21.0", "User": "1000" },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/web",
                    "Mounts": [],
                    "Config": { "Image": "nginx:1.27", "User": "101" },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Remove the hostPath volume for the runtime socket. Build images with a rootless builder (BuildKit rootless, kaniko, buildah) and read container state through the Kubernetes API.",
        "Remove the bind mount of the runtime socket (and `use_api_socket`). If a tool must manage containers, put a filtering socket proxy in front of it that allows only the calls it needs.",
        "Run the container without the socket bind mount; if a tool must manage containers, give it a filtering socket proxy.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var volume in target.Volumes)
        {
            if (volume.HostPath is { } path && HostPaths.RuntimeSocket(path.Value) is { } socket)
            {
                var subject = target.Source == SourceKind.Kubernetes ? $"Volume \"{volume.Name}\" mounts" : "Bind mount of";
                context.Report(Descriptor, target, path.Location, $"{subject} the container runtime socket {socket} from the host.",
                    remediation: Fix.For(target.Source));
            }
        }
    }
}
