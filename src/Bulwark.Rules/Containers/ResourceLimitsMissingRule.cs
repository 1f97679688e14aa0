using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Containers;

public sealed class ResourceLimitsMissingRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1022",
        Slug = "resource-limits-missing",
        Title = "Container has no memory or CPU limit",
        Severity = Severity.Low,
        MinimumSeverity = Severity.Info,
        SeverityNote = "Info when only the CPU limit is missing: a memory limit is set, so the container cannot exhaust the node's memory.",
        Category = "Availability",

        // Not an item of the hardening checklist; opt in with `rules: {enable: [resource-limits-missing]}`.
        EnabledByDefault = false,
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
        Rationale = """
            Without limits one compromised or runaway container can take all of a node's memory or CPU and
            starve its neighbours (and, for memory, trigger the kernel's OOM killer on them): a denial of
            service from inside the cluster.
            """,
        Remediation = "Set `resources.limits.memory` (and usually `resources.limits.cpu`) on every container, or a LimitRange default in the namespace.",
        References =
        [
            new("NSA/CISA Kubernetes Hardening Guide", "Resource policies"),
            new("CIS Docker Benchmark", "5.10, 5.11"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: worker
                spec:
                  containers:
                    - name: worker # expect: BW1022
                      image: worker:1.0.0
                    - name: cpu-only
                      image: worker:1.0.0
                      resources: # expect: BW1022
                        limits:
                          cpu: 500m
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: worker
                spec:
                  containers:
                    - name: worker
                      image: worker:1.0.0
                      resources:
                        limits:
                          cpu: 500m
                          memory: 256Mi
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  worker: # expect: BW1022
                    image: worker:1.0.0
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  worker:
                    image: worker:1.0.0
                    deploy:
                      resources:
                        limits:
                          cpus: "0.5"
                          memory: 256M
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/worker",
                    "Config": { "Image": "worker:1.0.0", "User": "1000" },
                    "HostConfig": { // expect: BW1022
                      "Memory": 0,
                      "NanoCpus": 0
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/worker",
                    "Config": { "Image": "worker:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "Memory": 268435456,
                      "NanoCpus": 500000000
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Set `resources.limits.memory` (and usually `resources.limits.cpu`) on every container, or a LimitRange default in the namespace.",
        "Set `deploy.resources.limits.memory` (or `mem_limit`) and `cpus` on the service.",
        "Run the container with `--memory` and `--cpus`.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            var limits = container.Limits;
            var missing = (limits.Memory, limits.Cpu) switch
            {
                (null, null) => "memory and CPU limits",
                (null, _) => "a memory limit",
                (_, null) => "a CPU limit",
                _ => null,
            };
            if (missing is not null)
            {
                context.Report(Descriptor, target, limits.Location ?? container.Location, $"Container \"{container.Name}\" has no {missing}.", container.Name,
                    limits.Memory is null ? Severity.Low : Severity.Info, Fix.For(target.Source));
            }
        }
    }
}
