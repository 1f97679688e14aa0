using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Network;

public sealed class PortPublishedOnAllInterfacesRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1024",
        Slug = "port-published-on-all-interfaces",
        Title = "Port published on every host interface",
        Severity = Severity.Low,
        Category = "Host isolation",
        Sources = [SourceKind.Compose, SourceKind.DockerInspect],
        Rationale = """
            A published port without a host address (`"5432:5432"`, `-p 8080:80`, or `0.0.0.0:`/`[::]:` written out)
            listens on every interface of the host, public ones included. Docker publishes it with NAT rules that
            rewrite the packet on arrival: it is forwarded to the container and never crosses the INPUT chain
            where ufw's rules (and other INPUT-based host firewalls) sit, so `ufw deny 5432` does not stop it. A
            database, cache or admin port published this way for local use is reachable from the network. A container port alone (`"5432"`) is published too, on a random host
            port, still on every interface; `expose:` publishes nothing and is not reported. A daemon whose
            default bind address was changed (`"ip": "127.0.0.1"` in daemon.json) publishes elsewhere, which
            the file does not show. Kubernetes hostPorts are `host-port`'s concern.
            """,
        Remediation = "Bind the port to loopback (`\"127.0.0.1:5432:5432\"`, `host_ip: 127.0.0.1`, `docker run -p 127.0.0.1:5432:5432`) unless it must be reachable from other machines; for other containers only, use `expose:` or a shared network instead of publishing. A port that must be public is filtered in the DOCKER-USER chain, not by ufw.",
        References =
        [
            new("Docker documentation", "Port publishing and mapping", "https://docs.docker.com/engine/network/port-publishing/"),
            new("Docker documentation", "Packet filtering and firewalls", "https://docs.docker.com/engine/network/packet-filtering-firewalls/"),
            new("CIS Docker Benchmark", "Ensure that incoming container traffic is bound to a specific host interface"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  db:
                    image: postgres:16.4-alpine
                    ports:
                      - "5432:5432" # expect: BW1024
                  cache:
                    image: redis:7.4-alpine
                    ports:
                      - "6379" # expect: BW1024
                  admin:
                    image: dpage/pgadmin4:8.11
                    ports:
                      - target: 80 # expect: BW1024
                        published: "8081"
                      - "0.0.0.0:8443:443" # expect: BW1024
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  db:
                    image: postgres:16.4-alpine
                    ports:
                      - "127.0.0.1:5432:5432"
                      - "[::1]:5433:5432"
                  cache:
                    image: redis:7.4-alpine
                    expose:
                      - "6379"
                  admin:
                    image: dpage/pgadmin4:8.11
                    ports:
                      - target: 80
                        published: "8081"
                        host_ip: 127.0.0.1
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/db",
                    "Config": { "Image": "postgres:16.4-alpine", "User": "999" },
                    "HostConfig": {
                      "PortBindings": {
                        "5432/tcp": [ { "HostIp": "", "HostPort": "5432" } ] // expect: BW1024
                      }
                    }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/db",
                    "Config": { "Image": "postgres:16.4-alpine", "User": "999" },
                    "HostConfig": {
                      "PortBindings": {
                        "5432/tcp": [ { "HostIp": "127.0.0.1", "HostPort": "5432" } ]
                      }
                    }
                  }
                ]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Bind the port to loopback (`\"127.0.0.1:HOST:CONTAINER\"`, or `host_ip: 127.0.0.1` in the long syntax) unless it must be reachable from other machines; if only other containers use it, replace `ports:` with `expose:` or a shared network.",
        Docker: "Publish the port on loopback (`docker run -p 127.0.0.1:HOST:CONTAINER …`) unless it must be reachable from other machines; if only other containers use it, connect them through a user-defined network instead of publishing.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        // A pod's hostPort is `host-port`'s; with the host's network, ports are not published but opened directly (`host-namespace-shared`).
        if (target.Source == SourceKind.Kubernetes || target.HostNetwork is { Value: true })
        {
            return;
        }

        foreach (var container in target.Containers)
        {
            foreach (var port in container.Ports)
            {
                if (!port.OnAllInterfaces)
                {
                    continue;
                }

                var protocol = port.Protocol.ToLowerInvariant();
                var what = port.HostPort is { } host
                    ? $"publishes port {host.Value}/{protocol}{(port.ContainerPort is { } c && c != host.Value ? $" (container port {c})" : string.Empty)}"
                    : $"publishes container port {port.ContainerPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}/{protocol} on a random host port";
                var address = port.HostIp is { Value.Length: > 0 } ip ? $" ({ip.Value})" : string.Empty;
                context.Report(Descriptor, target, port.HostIp?.Location ?? port.Location,
                    $"Container \"{container.Name}\" {what} on every host interface{address}, past the host firewall.",
                    container.Name, remediation: Fix.For(target.Source));
            }
        }
    }
}
