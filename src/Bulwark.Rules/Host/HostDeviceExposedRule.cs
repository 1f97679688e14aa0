using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Host;

/// <summary>
/// A host device node (or a device cgroup rule that opens many of them) inside the container. Kubernetes has no
/// such field; a device there comes in through a <c>hostPath</c> volume, which <c>host-path-mount</c> reports.
/// </summary>
public sealed class HostDeviceExposedRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1023",
        Slug = "host-device-exposed",
        Title = "Container gets direct access to a host device",
        Severity = Severity.High,
        MaximumSeverity = Severity.Critical,
        SeverityNote = "Critical for a host disk or memory device (`/dev/sd*`, `/dev/nvme*`, `/dev/mapper/*`, `/dev/mem`, …) or the whole of `/dev`.",
        Category = "Host isolation",
        Sources = [SourceKind.Compose, SourceKind.DockerInspect],
        Rationale = """
            A device node passed into a container talks to the host kernel's driver with no namespace in between:
            a disk (/dev/sda, /dev/nvme0n1) can be mounted and the host's files read or rewritten, /dev/mem and
            /dev/kmem expose physical and kernel memory, and every driver is more kernel attack surface. A device
            cgroup rule with wildcards allows every device of its type to be opened once the node exists.
            """,
        Remediation = "Remove the device; if the workload truly needs one, pass only that device, read-only where it can be.",
        References =
        [
            new("CIS Docker Benchmark", "5.17 Ensure that host devices are not directly exposed to containers", "https://www.cisecurity.org/benchmark/docker"),
            new("Docker documentation", "docker run --device", "https://docs.docker.com/reference/cli/docker/container/run/#device"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    devices:
                      - /dev/sda:/dev/xvda:rwm # expect: BW1023
                    device_cgroup_rules:
                      - "a *:* rwm" # expect: BW1023
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": { "Image": "app:1.0.0", "User": "1000" },
                    "HostConfig": {
                      "Devices": [
                        { "PathOnHost": "/dev/mem", "PathInContainer": "/dev/mem", "CgroupPermissions": "rwm" } // expect: BW1023
                      ]
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
                    "HostConfig": { "Devices": [] }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Remove the host device; use a volume or a device plugin instead.",
        "Remove the entry from the service's `devices` (or `device_cgroup_rules`); pass only the one device the service needs.",
        "Run the container without `--device` (or `--device-cgroup-rule`) for it; pass only the one device it needs.");

    /// <summary>Device nodes that expose memory or whole disks: reading or writing them is reading or writing the host.</summary>
    private static readonly string[] CriticalPrefixes =
        ["/dev/mem", "/dev/kmem", "/dev/port", "/dev/sd", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/nvme", "/dev/dm-", "/dev/mapper/", "/dev/md", "/dev/mmcblk", "/dev/loop", "/dev/disk/"];

    /// <summary>The devices every container has anyway; passing them in changes nothing.</summary>
    private static readonly HashSet<string> DefaultDevices = new(StringComparer.Ordinal)
    {
        "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            foreach (var device in container.Devices)
            {
                var path = device.Value;
                if (DefaultDevices.Contains(path))
                {
                    continue;
                }

                var critical = CriticalPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal)) || path == "/dev";
                var what = critical ? "a host disk or memory device" : "a host device";
                context.Report(
                    Descriptor,
                    target,
                    device.Location,
                    $"Container {container.Name} has {what}, {path}, passed in.",
                    container: container.Name,
                    severity: critical ? Severity.Critical : null,
                    remediation: Fix.For(target.Source));
            }

            foreach (var rule in container.DeviceCgroupRules)
            {
                if (IsBroad(rule.Value))
                {
                    context.Report(
                        Descriptor,
                        target,
                        rule.Location,
                        $"Container {container.Name} has the device cgroup rule \"{rule.Value}\", which allows access to every device it matches.",
                        container: container.Name,
                        remediation: Fix.For(target.Source));
                }
            }
        }
    }

    /// <summary>
    /// A rule <c>TYPE MAJOR:MINOR ACCESS</c> is broad when it covers all devices (<c>a</c>) or wildcards the major
    /// number (every driver of that type). A single major with a wildcard minor (<c>c 189:* rmw</c>, USB) is the
    /// usual narrow form and not reported.
    /// </summary>
    public static bool IsBroad(string rule)
    {
        var parts = rule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return false;
        }

        if (parts[0] == "a")
        {
            return true;
        }

        return parts.Length > 1 && parts[1].Split(':')[0] == "*";
    }
}
