using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Kubernetes.NetworkPolicy;

namespace Bulwark.Reporting.NetworkPolicy;

/// <summary>
/// Writes <c>netpol list</c> results in np-guard's formats (txt, json, csv, md, dot) and as a Mermaid flowchart.
/// Rows are sorted by source, then destination, as np-guard sorts them.
/// </summary>
public static class ConnlistWriter
{
    public static readonly string[] Formats = ["txt", "json", "csv", "md", "dot", "mermaid"];

    public static void Write(ConnectivityReport report, string format, Stream output)
    {
        switch (format)
        {
            case "json":
                WriteJson(report.Connections, output);
                break;
            case "dot":
                WriteText(output, DotGraph.Connlist(report.Connections, report.Workloads));
                break;
            case "mermaid":
                WriteText(output, MermaidGraph.Connlist(report.Connections, report.Workloads));
                break;
            case "csv":
                WriteText(output, Csv(report.Connections));
                break;
            case "md":
                WriteText(output, Markdown(report.Connections));
                break;
            default:
                WriteText(output, Text(report.Connections));
                break;
        }
    }

    public static string Text(IEnumerable<NetpolConnection> connections)
    {
        var builder = new StringBuilder();
        foreach (var c in connections)
        {
            builder.Append(c.Source.Name).Append(" => ").Append(c.Destination.Name).Append(" : ").Append(c.Connections.ToString()).Append('\n');
        }

        return builder.ToString();
    }

    public static string Csv(IEnumerable<NetpolConnection> connections)
    {
        var builder = new StringBuilder("src,dst,conn\n");
        foreach (var c in connections)
        {
            builder.Append(CsvField(c.Source.Name)).Append(',').Append(CsvField(c.Destination.Name)).Append(',').Append(CsvField(c.Connections.ToString())).Append('\n');
        }

        return builder.ToString();
    }

    public static string Markdown(IEnumerable<NetpolConnection> connections)
    {
        var builder = new StringBuilder("| src | dst | conn |\n|-----|-----|------|\n");
        foreach (var c in connections)
        {
            builder.Append("| ").Append(c.Source.Name).Append(" | ").Append(c.Destination.Name).Append(" | ").Append(c.Connections.ToString()).Append(" |\n");
        }

        return builder.ToString();
    }

    /// <summary>RFC 4180 quoting, as Go's encoding/csv writes it.</summary>
    public static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && value[0] == ' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

    private static void WriteJson(IReadOnlyList<NetpolConnection> connections, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var c in connections)
        {
            json.WriteStartObject();
            json.WriteString("src", c.Source.Name);
            json.WriteString("dst", c.Destination.Name);
            json.WriteString("conn", c.Connections.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static void WriteText(Stream output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        output.Write(bytes, 0, bytes.Length);
    }

    internal static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                default:
                    if (ch < ' ')
                    {
                        builder.Append("\\x").Append(((int)ch).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}

/// <summary>Graphviz output in np-guard's layout: a cluster per namespace, external peers outside, labelled edges.</summary>
public static class DotGraph
{
    private const string Tab = "\t";

    public static string Connlist(IReadOnlyList<NetpolConnection> connections, IReadOnlyList<NetpolWorkload> workloads)
    {
        var namespaces = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var external = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var edges = new List<string>(connections.Count);
        foreach (var c in connections)
        {
            edges.Add(Edge(c.Source.Name, c.Destination.Name, c.Connections.ToString(), "gold2", "darkgreen"));
            AddNode(c.Source);
            AddNode(c.Destination);
        }

        foreach (var workload in workloads)
        {
            AddNode(NetpolPeer.Of(workload));
        }

        edges.Sort(StringComparer.Ordinal);
        external.Sort(StringComparer.Ordinal);
        var lines = new List<string> { "digraph {" };
        lines.AddRange(Groups(namespaces, "black"));
        lines.AddRange(external);
        lines.AddRange(edges);
        lines.Add("}");
        return string.Join("\n", lines);

        void AddNode(NetpolPeer peer)
        {
            if (!visited.Add(peer.Name))
            {
                return;
            }

            if (peer.Workload is { } workload)
            {
                AddToGroup(namespaces, workload.Namespace, Node(peer.Name, workload.Name + "[" + workload.Kind + "]", "blue"));
            }
            else
            {
                external.Add(Node(peer.Name, peer.Name, peer.IsExternal ? "red2" : "blue"));
            }
        }
    }

    internal static void AddToGroup(SortedDictionary<string, List<string>> namespaces, string ns, string line)
    {
        if (!namespaces.TryGetValue(ns + "[namespace]", out var list))
        {
            namespaces[ns + "[namespace]"] = list = [];
        }

        list.Add(Tab + line);
    }

    internal static string Node(string id, string label, string color) =>
        $"{Tab}{ConnlistWriter.Quote(id)} [label={ConnlistWriter.Quote(label)} color={ConnlistWriter.Quote(color)} fontcolor={ConnlistWriter.Quote(color)}]";

    internal static string Edge(string source, string destination, string label, string color, string fontColor)
    {
        var weight = string.CompareOrdinal(source, destination) <= 0 ? "0.5" : "1";
        return $"{Tab}{ConnlistWriter.Quote(source)} -> {ConnlistWriter.Quote(destination)} [label={ConnlistWriter.Quote(label)} color={ConnlistWriter.Quote(color)} fontcolor={ConnlistWriter.Quote(fontColor)} weight={weight}]";
    }

    internal static IEnumerable<string> Groups(SortedDictionary<string, List<string>> namespaces, string color)
    {
        foreach (var (ns, nodes) in namespaces)
        {
            nodes.Sort(StringComparer.Ordinal);
            yield return $"{Tab}subgraph \"cluster_{ns.Replace('-', '_')}\" {{";
            yield return $"{Tab}{Tab}color={ConnlistWriter.Quote(color)}";
            yield return $"{Tab}{Tab}fontcolor={ConnlistWriter.Quote(color)}";
            foreach (var node in nodes)
            {
                yield return node;
            }

            yield return $"{Tab}{Tab}label={ConnlistWriter.Quote(ns)}";
            yield return Tab + "}";
        }
    }
}

/// <summary>A Mermaid flowchart: a subgraph per namespace, workloads as nodes, edges labelled with ports.</summary>
public static class MermaidGraph
{
    public static string Connlist(IReadOnlyList<NetpolConnection> connections, IReadOnlyList<NetpolWorkload> workloads)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var byNamespace = new SortedDictionary<string, List<(string Id, string Label)>>(StringComparer.Ordinal);
        var external = new List<(string Id, string Label)>();

        string Id(NetpolPeer peer)
        {
            if (ids.TryGetValue(peer.Name, out var id))
            {
                return id;
            }

            id = "n" + ids.Count.ToString(CultureInfo.InvariantCulture);
            ids[peer.Name] = id;
            if (peer.Workload is { } workload)
            {
                if (!byNamespace.TryGetValue(workload.Namespace, out var list))
                {
                    byNamespace[workload.Namespace] = list = [];
                }

                list.Add((id, workload.Name + "[" + workload.Kind + "]"));
            }
            else
            {
                external.Add((id, peer.Name));
            }

            return id;
        }

        foreach (var workload in workloads)
        {
            Id(NetpolPeer.Of(workload));
        }

        var edges = new StringBuilder();
        foreach (var c in connections)
        {
            edges.Append("  ").Append(Id(c.Source)).Append(" -->|").Append(Label(c.Connections.ToString())).Append("| ").Append(Id(c.Destination)).Append('\n');
        }

        var builder = new StringBuilder("flowchart LR\n");
        var index = 0;
        foreach (var (ns, nodes) in byNamespace)
        {
            builder.Append("  subgraph ns").Append(index++.ToString(CultureInfo.InvariantCulture)).Append(Label(ns, square: true)).Append('\n');
            foreach (var (id, label) in nodes)
            {
                builder.Append("    ").Append(id).Append(Label(label, square: true)).Append('\n');
            }

            builder.Append("  end\n");
        }

        foreach (var (id, label) in external)
        {
            builder.Append("  ").Append(id).Append("((").Append(Label(label)).Append("))\n");
        }

        return builder.Append(edges).ToString();
    }

    private static string Label(string text, bool square = false)
    {
        var escaped = "\"" + text.Replace("\"", "#quot;", StringComparison.Ordinal) + "\"";
        return square ? "[" + escaped + "]" : escaped;
    }
}
