using System.Globalization;
using Bulwark.Parsing.Compose;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// Derives declared flows from a Compose project: a service that <c>depends_on</c> another may reach it on each
/// port the other exposes (<c>expose</c> and the container side of <c>ports</c>), provided the two share a
/// Compose network. Services map to workloads named like them in one namespace (kompose's convention).
/// </summary>
public static class ComposeFlowSeeder
{
    /// <summary>Port ranges wider than this are not expanded into one flow per port.</summary>
    public const int MaxRangePorts = 16;

    /// <summary>The flows; what cannot become a flow is described in <paramref name="warnings"/> and skipped.</summary>
    public static List<DeclaredFlow> Seed(ComposeProject project, NetworkModel model, string ns, List<string> warnings)
    {
        var flows = new List<DeclaredFlow>();
        var seen = new HashSet<DeclaredFlow>();
        foreach (var service in project.Services)
        {
            foreach (var dependency in DependsOn(service.Definition))
            {
                var target = project.Service(dependency);
                if (target is null)
                {
                    warnings.Add($"compose: service \"{service.Name}\" depends on \"{dependency}\", which is not a service of the project; skipped");
                    continue;
                }

                var shared = Networks(project, service).Intersect(Networks(project, target), StringComparer.Ordinal).Any();
                if (!shared)
                {
                    warnings.Add($"compose: service \"{service.Name}\" depends on \"{target.Name}\" but they share no network, so Compose would not connect them; no flow");
                    continue;
                }

                var ports = ExposedPorts(target, warnings);
                if (ports.Count == 0)
                {
                    warnings.Add($"compose: service \"{service.Name}\" depends on \"{target.Name}\", which exposes no usable port (expose or ports); no flow");
                    continue;
                }

                var from = Workload(model, ns, service.Name);
                var to = Workload(model, ns, target.Name);
                if (from is null || to is null)
                {
                    warnings.Add($"compose: {service.Name} -> {target.Name}: no workload named \"{(from is null ? service.Name : target.Name)}\" in namespace \"{ns}\" in the manifests; skipped");
                    continue;
                }

                foreach (var (port, protocol) in ports)
                {
                    var flow = new DeclaredFlow(from.DisplayName, to.DisplayName, port, protocol);
                    if (seen.Add(flow))
                    {
                        flows.Add(flow);
                    }
                }
            }
        }

        return flows;
    }

    // kompose writes a Deployment per service; another kind of the same name is the next best match.
    private static NetpolWorkload? Workload(NetworkModel model, string ns, string name) =>
        model.Workloads
            .Where(w => w.Namespace == ns && w.Name == name)
            .OrderBy(w => w.Kind == "Deployment" ? 0 : 1)
            .ThenBy(w => w.Kind, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary><c>depends_on</c> in list form or map form.</summary>
    private static IEnumerable<string> DependsOn(ComposeMapping service) => service["depends_on"] switch
    {
        ComposeSequence list => list.Items.OfType<ComposeScalar>().Where(s => !s.IsNullValue).Select(s => s.Value),
        ComposeMapping map => map.Entries.Select(e => e.Key),
        _ => [],
    };

    /// <summary>
    /// The project networks a service joins: its <c>networks</c> (list or map), else <c>default</c>. With
    /// <c>network_mode: service:X</c> it shares X's; any other <c>network_mode</c> joins none of the project's.
    /// </summary>
    private static HashSet<string> Networks(ComposeProject project, ComposeService service, int depth = 0)
    {
        var definition = service.Definition;
        switch (definition["networks"])
        {
            case ComposeSequence list:
                return [.. list.Items.OfType<ComposeScalar>().Select(s => s.Value)];
            case ComposeMapping map:
                return [.. map.Entries.Select(e => e.Key)];
        }

        if (definition["network_mode"] is ComposeScalar { IsNullValue: false } mode)
        {
            const string prefix = "service:";
            return mode.Value.StartsWith(prefix, StringComparison.Ordinal) && depth < 8 && project.Service(mode.Value[prefix.Length..]) is { } other
                ? Networks(project, other, depth + 1)
                : new HashSet<string>(StringComparer.Ordinal);
        }

        return new HashSet<string>(StringComparer.Ordinal) { "default" };
    }

    private static List<(int Port, NetProtocol Protocol)> ExposedPorts(ComposeService service, List<string> warnings)
    {
        var ports = new List<(int, NetProtocol)>();
        if (service.Definition["expose"] is ComposeSequence expose)
        {
            foreach (var item in expose.Items.OfType<ComposeScalar>().Where(s => !s.IsNullValue))
            {
                var text = item.Value;
                var protocol = "tcp";
                var slash = text.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0)
                {
                    protocol = text[(slash + 1)..];
                    text = text[..slash];
                }

                Add(ports, service, "expose", text, protocol, warnings);
            }
        }

        foreach (var port in service.Ports)
        {
            Add(ports, service, "ports", port.Target, port.Protocol, warnings);
        }

        return [.. ports.Distinct()];
    }

    private static void Add(List<(int, NetProtocol)> ports, ComposeService service, string key, string text, string protocolText, List<string> warnings)
    {
        if (!NetProtocols.TryParse(protocolText.ToUpperInvariant(), out var protocol))
        {
            warnings.Add($"compose: service \"{service.Name}\" {key} \"{text}/{protocolText}\": protocol is not tcp, udp or sctp; skipped");
            return;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var firstText = dash > 0 ? text[..dash] : text;
        var lastText = dash > 0 ? text[(dash + 1)..] : text;
        if (!TryPort(firstText, out var first) || !TryPort(lastText, out var last) || last < first)
        {
            warnings.Add($"compose: service \"{service.Name}\" {key} \"{text}\" is not a port or port range from 1 to 65535; skipped");
            return;
        }

        if (last - first + 1 > MaxRangePorts)
        {
            warnings.Add($"compose: service \"{service.Name}\" {key} \"{text}\" spans {last - first + 1} ports, more than {MaxRangePorts}; declare those flows with --flows; skipped");
            return;
        }

        for (var port = first; port <= last; port++)
        {
            ports.Add((port, protocol));
        }
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
