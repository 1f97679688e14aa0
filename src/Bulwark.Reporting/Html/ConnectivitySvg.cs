using Bulwark.Kubernetes.NetworkPolicy;

namespace Bulwark.Reporting.Html;

/// <summary>
/// The allowed connections drawn as inline SVG, laid out here rather than by Graphviz (a user's machine has no
/// <c>dot</c>): what <c>bulwark netpol graph</c> draws — a group per namespace, workloads as nodes, external ranges
/// and the ingress controller outside every namespace, edges labelled with their ports — as columns: the peers
/// outside first, then one column per namespace in name order, nodes in name order. Edges between columns are
/// curves from one side to the other; edges within a column bulge out to its right. The picture is a pure function
/// of the report: the same input draws the same SVG.
/// </summary>
internal static class ConnectivitySvg
{
    /// <summary>Beyond this many nodes or edges a picture is no longer readable; the report says so instead.</summary>
    public const int MaxNodes = 150;

    public const int MaxEdges = 600;

    // Labels are set in a 12px monospace font, so their width is known without measuring text.
    private const double CharWidth = 7.3;
    private const double NodeHeight = 26;
    private const double RowGap = 14;
    private const double ColumnGap = 190;
    private const double GroupPadding = 12;
    private const double GroupHeader = 26;
    private const double Margin = 16;
    private const int MaxNodeLabel = 44;
    private const int MaxEdgeLabel = 28;
    private const double LaneHeight = 18;

    private sealed record Node(NetpolPeer Peer, string Label, int Column, int Row)
    {
        public double X { get; set; }

        public double Y { get; set; }

        public double Width { get; set; }

        public double Middle => Y + (NodeHeight / 2);
    }

    private sealed record Column(string? Namespace, List<Node> Nodes)
    {
        public double X { get; set; }

        public double Width { get; set; }
    }

    /// <summary>Whether a report of this size is drawn at all.</summary>
    public static bool Fits(ConnectivityReport report) => report.Connections.Count <= MaxEdges && PeersOf(report).Count <= MaxNodes;

    public static void Write(HtmlOutput html, ConnectivityReport report)
    {
        var peers = PeersOf(report);
        var columns = new List<Column>();
        var outside = peers.Where(p => p.Workload is null).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (outside.Count > 0)
        {
            columns.Add(new Column(null, [.. outside.Select((p, row) => new Node(p, p.Name, 0, row))]));
        }

        foreach (var group in peers.Where(p => p.Workload is not null)
            .GroupBy(p => p.Workload!.Namespace, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var index = columns.Count;
            columns.Add(new Column(group.Key, [.. group.OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select((p, row) => new Node(p, p.Workload!.Name + "[" + p.Workload.Kind + "]", index, row))]));
        }

        // Edges between columns that are not neighbours run along lanes above the groups, so they never cross a node.
        var columnOf = columns.SelectMany(c => c.Nodes).ToDictionary(n => n.Peer, n => n.Column);
        var lanes = report.Connections.Count(c => Math.Abs(columnOf[c.Source] - columnOf[c.Destination]) > 1);
        var top = Margin + (lanes > 0 ? (lanes * LaneHeight) + 8 : 0);
        var nodes = new Dictionary<NetpolPeer, Node>();
        var x = Margin;
        var height = 0.0;
        foreach (var column in columns)
        {
            var longest = column.Nodes.Max(n => Math.Min(n.Label.Length, MaxNodeLabel));
            if (column.Namespace is { } ns)
            {
                longest = Math.Max(longest, Math.Min(ns.Length, MaxNodeLabel));
            }

            column.X = x;
            column.Width = Math.Max(110, (longest * CharWidth) + 20);
            foreach (var node in column.Nodes)
            {
                node.X = x + GroupPadding;
                node.Y = top + GroupHeader + (node.Row * (NodeHeight + RowGap));
                node.Width = column.Width;
                nodes[node.Peer] = node;
            }

            height = Math.Max(height, top + GroupHeader + (column.Nodes.Count * (NodeHeight + RowGap)) + GroupPadding);
            x += column.Width + (2 * GroupPadding) + ColumnGap;
        }

        var width = x - ColumnGap + Margin;
        height += Margin;

        html.Markup("<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"graph-title\"")
            .Markup(" width=\"").Number(Math.Ceiling(width)).Markup("\" height=\"").Number(Math.Ceiling(height))
            .Markup("\" viewBox=\"0 0 ").Number(Math.Ceiling(width)).Markup(' ').Number(Math.Ceiling(height)).Markup("\">")
            .Markup("<title id=\"graph-title\">Allowed connections between workloads and external ranges</title>")
            .Markup("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">")
            .Markup("<path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n");

        foreach (var column in columns)
        {
            var groupHeight = GroupHeader + (column.Nodes.Count * (NodeHeight + RowGap)) - RowGap + (2 * GroupPadding);
            html.Markup("<g class=\"").Markup(column.Namespace is null ? "outside" : "namespace").Markup("\">")
                .Markup("<rect x=\"").Number(column.X).Markup("\" y=\"").Number(top).Markup("\" width=\"").Number(column.Width + (2 * GroupPadding))
                .Markup("\" height=\"").Number(groupHeight).Markup("\" rx=\"8\"/>")
                .Markup("<text class=\"group-label\" x=\"").Number(column.X + GroupPadding).Markup("\" y=\"").Number(top + 17).Markup("\">");
            Label(html, column.Namespace is { } ns ? ns : "outside the cluster", MaxNodeLabel);
            html.Markup("</text></g>\n");
        }

        // Edges under nodes, so arrowheads end at a node's border.
        var lane = 0;
        foreach (var connection in report.Connections)
        {
            var from = nodes[connection.Source];
            var to = nodes[connection.Destination];
            var route = Math.Abs(from.Column - to.Column) > 1
                ? Lane(from, to, columns, Margin + 10 + (lane * LaneHeight), lane++)
                : from.Column == to.Column ? Loop(from, to) : Neighbours(from, to);
            Edge(html, from, to, connection, route);
        }

        foreach (var node in nodes.Values.OrderBy(n => n.Column).ThenBy(n => n.Row))
        {
            var kind = node.Peer.Kind switch
            {
                PeerKind.External => "external",
                PeerKind.IngressController => "ingress",
                _ => "workload",
            };
            html.Markup("<g class=\"node ").Markup(kind).Markup("\" data-node><title>").Text(node.Peer.Name).Markup("</title>")
                .Markup("<rect x=\"").Number(node.X).Markup("\" y=\"").Number(node.Y).Markup("\" width=\"").Number(node.Width)
                .Markup("\" height=\"").Number(NodeHeight).Markup("\" rx=\"4\"/>")
                .Markup("<text x=\"").Number(node.X + 10).Markup("\" y=\"").Number(node.Middle + 4).Markup("\">");
            Label(html, node.Label, MaxNodeLabel);
            html.Markup("</text></g>\n");
        }

        html.Markup("</svg>\n");
    }

    /// <summary>An edge's path, and where its label goes (<c>start</c>: the label begins there; else it is centred).</summary>
    private sealed record Route(string Path, double LabelX, double LabelY, bool LabelStart);

    /// <summary>Neighbouring columns: a curve across the gap; a connection each way would draw one curve twice, so rightward ones run higher.</summary>
    private static Route Neighbours(Node from, Node to)
    {
        var rightward = from.Column < to.Column;
        var x1 = rightward ? from.X + from.Width : from.X;
        var x2 = rightward ? to.X : to.X + to.Width;
        var shift = rightward ? -4 : 4;
        var y1 = from.Middle + shift;
        var y2 = to.Middle + shift;
        var c = (x1 + x2) / 2;

        // The label sits at the curve's midpoint: B(½) = (P0 + 3·P1 + 3·P2 + P3) / 8, which here is the middle of both.
        return new Route(Invariant($"M{x1:0.#},{y1:0.#} C{c:0.#},{y1:0.#} {c:0.#},{y2:0.#} {x2:0.#},{y2:0.#}"), c, ((y1 + y2) / 2) + (rightward ? -3 : 12), false);
    }

    /// <summary>Within one column: out of the right side and back in, further out the further apart the nodes are.</summary>
    private static Route Loop(Node from, Node to)
    {
        var down = from.Row < to.Row;
        var x = from.X + from.Width;
        var y1 = from.Middle + (down ? 4 : -4);
        var y2 = to.Middle + (down ? -4 : 4);
        var bulge = 36 + (Math.Abs(from.Row - to.Row) * 12);
        return new Route(Invariant($"M{x:0.#},{y1:0.#} C{x + bulge:0.#},{y1:0.#} {x + bulge:0.#},{y2:0.#} {x:0.#},{y2:0.#}"), x + (bulge * 0.75) + 4, ((y1 + y2) / 2) + 4, true);
    }

    /// <summary>Columns further apart: into the gap beside the source, up to a lane of its own, along it, and down the gap beside the destination.</summary>
    private static Route Lane(Node from, Node to, List<Column> columns, double laneY, int lane)
    {
        var rightward = from.Column < to.Column;
        var offset = 12 + ((lane % 8) * 6);
        var x1 = rightward ? from.X + from.Width : from.X;
        var x2 = rightward ? to.X : to.X + to.Width;
        var exit = rightward ? columns[from.Column].X + columns[from.Column].Width + (2 * GroupPadding) + offset : columns[from.Column].X - offset;
        var entry = rightward ? columns[to.Column].X - offset : columns[to.Column].X + columns[to.Column].Width + (2 * GroupPadding) + offset;
        return new Route(Invariant($"M{x1:0.#},{from.Middle:0.#} H{exit:0.#} V{laneY:0.#} H{entry:0.#} V{to.Middle:0.#} H{x2:0.#}"), (exit + entry) / 2, laneY - 3, false);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static void Edge(HtmlOutput html, Node from, Node to, NetpolConnection connection, Route route)
    {
        var external = from.Peer.Kind != PeerKind.Workload || to.Peer.Kind != PeerKind.Workload;
        var text = connection.Connections.ToString();
        html.Markup("<g class=\"edge").Markup(external ? " outside" : string.Empty).Markup("\" data-edge><title>")
            .Text(from.Peer.Name).Markup(" → ").Text(to.Peer.Name).Markup(": ").Text(text).Markup("</title>")
            .Markup("<path d=\"").Markup(route.Path).Markup("\" marker-end=\"url(#arrow)\"/>")
            .Markup("<text x=\"").Number(route.LabelX).Markup("\" y=\"").Number(route.LabelY).Markup(route.LabelStart ? "\" class=\"start\">" : "\">");
        Label(html, text, MaxEdgeLabel);
        html.Markup("</text></g>\n");
    }

    private static void Label(HtmlOutput html, string text, int max) =>
        html.Text(text.Length > max ? string.Concat(text.AsSpan(0, max - 1), "…") : text);

    /// <summary>Every workload, and every other peer a connection names, once.</summary>
    private static List<NetpolPeer> PeersOf(ConnectivityReport report)
    {
        var seen = new HashSet<NetpolPeer>();
        var peers = new List<NetpolPeer>();
        foreach (var peer in report.Workloads.Select(NetpolPeer.Of)
            .Concat(report.Connections.SelectMany(c => new[] { c.Source, c.Destination })))
        {
            if (seen.Add(peer))
            {
                peers.Add(peer);
            }
        }

        return peers;
    }
}
