using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Containers;

public sealed class PrivilegedContainerRule : Rule<Workload, DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1001",
        Slug = "privileged-container",
        Title = "Container runs privileged",
        Severity = Severity.Critical,
        Category = "Privileges",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect, SourceKind.Dockerfile],
        PodSecurityChecks = ["privileged"],
        Rationale = """
            A privileged container gets every capability, every host device and no seccomp or AppArmor
            confinement: root in it is root on the host, and escaping takes one mount command.
            """,
        Remediation = "Remove `privileged: true`; grant the one capability or device the workload really needs instead.",
        References =
        [
            new("Pod Security Standards", "baseline: Privileged Containers", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
            new("CIS Kubernetes Benchmark", "5.2.2"),
            new("CIS Docker Benchmark", "5.4"),
            new("NSA/CISA Kubernetes Hardening Guide", "Pod security: non-root and unprivileged containers"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: debug
                spec:
                  containers:
                    - name: shell
                      image: busybox:1.36
                      securityContext:
                        privileged: true # expect: BW1001
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: debug
                spec:
                  containers:
                    - name: shell
                      image: busybox:1.36
                      securityContext:
                        privileged: false
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  debug:
                    image: busybox:1.36
                    privileged: true # expect: BW1001
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  debug:
                    image: busybox:1.36
                    cap_drop: [ALL]
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/debug",
                    "Config": { "Image": "busybox:1.36", "User": "1000" },
                    "HostConfig": {
                      "Privileged": true, // expect: BW1001
                      "CapDrop": ["ALL"]
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/debug",
                    "Config": { "Image": "busybox:1.36", "User": "1000" },
                    "HostConfig": {
                      "Privileged": false,
                      "CapDrop": ["ALL"]
                    }
                  }
                ]
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  builder:
                    image: tools:1.0.0
                    build:
                      context: .
                      privileged: true # expect: BW1001
                  other:
                    image: other:1.0.0
                    build:
                      context: ./other
                      entitlements:
                        - security.insecure # expect: BW1001
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                # syntax=docker/dockerfile:1-labs
                FROM debian:12-slim
                RUN --security=insecure mount -t tmpfs none /mnt # expect: BW1001
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                # syntax=docker/dockerfile:1-labs
                FROM debian:12-slim
                RUN --security=sandbox echo ok
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Remove `securityContext.privileged: true`; grant the one capability or device the workload really needs instead.",
        "Remove `privileged: true` from the service; grant only the capability (`cap_add`) or device (`devices`) it really needs.",
        "Run the container without `--privileged`; use `--cap-add` or `--device` for what it really needs.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            if (container.Privileged is { Value: true } privileged)
            {
                context.Report(Descriptor, target, privileged.Location, $"Container \"{container.Name}\" runs privileged.", container.Name, remediation: Fix.For(target.Source));
            }

            if (container.BuildPrivileged is { Value: true } build)
            {
                context.Report(Descriptor, target, build.Location, $"The image of \"{container.Name}\" is built with elevated privileges (every capability, no confinement during RUN steps).",
                    container.Name, remediation: "Remove `build.privileged: true` and the `security.insecure` entitlement; do privileged work outside the image build.");
            }
        }
    }

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var instruction in target.Instructions)
        {
            var run = instruction.Keyword == "ONBUILD" ? instruction.Trigger : instruction;
            if (run is { Keyword: "RUN" } && run.Flags.LastOrDefault(f => f.Name == "security") is { Value: "insecure" } flag)
            {
                context.Report(Descriptor, target, DockerfileScope.At(run, flag),
                    "RUN --security=insecure runs the build step with every capability and no confinement (the build-time equivalent of --privileged).",
                    remediation: "Remove `--security=insecure`; it needs the `security.insecure` entitlement, which a build should not be granted. Do the privileged work outside the image build.");
            }
        }
    }
}
