using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;

namespace Bulwark.Reporting.NetworkPolicy;

/// <summary>Writes <c>netpol diff</c> results in np-guard's diff formats (txt, csv, md). No differences: no output.</summary>
public static class DiffWriter
{
    public static readonly string[] Formats = ["txt", "csv", "md", "dot"];

    public static string Render(IReadOnlyList<ConnectionDiff> diffs, string format)
    {
        if (format == "dot")
        {
            throw new ArgumentException("the dot diff needs both reports; use Dot()", nameof(format));
        }

        if (diffs.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        switch (format)
        {
            case "csv":
                builder.Append("diff-type,source,destination,ref1,ref2,workloads-diff-info\n");
                foreach (var d in diffs)
                {
                    builder.AppendJoin(',', Cells(d).Select(ConnlistWriter.CsvField)).Append('\n');
                }

                break;
            case "md":
                builder.Append("| diff-type | source | destination | ref1 | ref2 | workloads-diff-info |\n");
                builder.Append("|-----------|--------|-------------|------|------|---------------------|\n");
                foreach (var d in diffs)
                {
                    builder.Append("| ").AppendJoin(" | ", Cells(d)).Append(" |\n");
                }

                break;
            default:
                builder.Append("Connectivity diff:\n");
                foreach (var d in diffs)
                {
                    var cells = Cells(d);
                    builder.Append("diff-type: ").Append(cells[0]).Append(", source: ").Append(cells[1]).Append(", destination: ").Append(cells[2])
                        .Append(", ref1: ").Append(cells[3]).Append(", ref2: ").Append(cells[4]);
                    if (d.WorkloadsInfo is not null)
                    {
                        builder.Append(", workloads-diff-info: ").Append(d.WorkloadsInfo);
                    }

                    builder.Append('\n');
                }

                break;
        }

        return builder.ToString();
    }

    public static void Write(IReadOnlyList<ConnectionDiff> diffs, string format, Stream output) => ConnlistWriter.WriteText(output, Render(diffs, format));

    /// <summary>
    /// np-guard's diff graph: every connection of either version, coloured by what happened to it (added green,
    /// removed red, changed magenta with the old value, unchanged grey), peers coloured new/lost/persistent, and a legend.
    /// </summary>
    public static string Dot(ConnectivityReport before, ConnectivityReport after)
    {
        var all = ConnectivityDiff.Compute(before, after, includeUnchanged: true);
        if (all.All(d => d.Type == DiffType.Unchanged))
        {
            // As np-guard: no differences, no output (not a graph of unchanged connections).
            return string.Empty;
        }

        var beforeNames = before.Workloads.Select(w => w.DisplayName).ToHashSet(StringComparer.Ordinal);
        var afterNames = after.Workloads.Select(w => w.DisplayName).ToHashSet(StringComparer.Ordinal);
        var workloads = before.Workloads.Concat(after.Workloads).GroupBy(w => w.DisplayName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var namespaces = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var others = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var edges = new List<string>();

        void AddNode(string name)
        {
            if (!visited.Add(name))
            {
                return;
            }

            var color = !afterNames.Contains(name) && beforeNames.Contains(name) ? "red" : afterNames.Contains(name) && !beforeNames.Contains(name) ? "#008000" : "blue";
            if (workloads.TryGetValue(name, out var workload))
            {
                DotGraph.AddToGroup(namespaces, workload.Namespace, DotGraph.Node(name, workload.Name + "[" + workload.Kind + "]", color));
            }
            else
            {
                others.Add(DotGraph.Node(name, name, color));
            }
        }

        foreach (var d in all)
        {
            var (label, color) = d.Type switch
            {
                DiffType.Added => (d.After.ToString(), "#008000"),
                DiffType.Removed => (d.Before.ToString(), "red2"),
                DiffType.Changed => ($"{d.After} (ref1: {d.Before})", "magenta"),
                _ => (d.After.ToString(), "grey"),
            };
            edges.Add(DotGraph.Edge(d.Source, d.Destination, label, color, color));
            AddNode(d.Source);
            AddNode(d.Destination);
        }

        foreach (var name in workloads.Keys)
        {
            AddNode(name);
        }

        edges.Sort(StringComparer.Ordinal);
        others.Sort(StringComparer.Ordinal);
        var lines = new List<string> { "digraph {" };
        lines.AddRange(DotGraph.Groups(namespaces, "black"));
        lines.AddRange(others);
        lines.AddRange(edges);
        lines.Add(Legend);
        lines.Add("}");
        return string.Join("\n", lines);
    }

    private const string Legend = """
        	nodesep=0.5
        	subgraph cluster_legend {
        		label="Legend"
        		fontsize = 10
        		margin=0
        		a [style=invis height=0 width=0]
        		b [style=invis height=0 width=0]
        		c [style=invis height=0 width=0]
        		d [style=invis height=0 width=0]
        		e [style=invis height=0 width=0]
        		f [style=invis height=0 width=0]
        		g [style=invis height=0 width=0]
        		h [style=invis height=0 width=0]
        		{rank=source a b c d}
        		{rank=same e f g h}
        		a -> b [label="added connection", color="#008000" fontcolor="#008000" fontsize = 10 arrowsize=0.2]
        		c -> d [label="removed connection", color="red2" fontcolor="red2" fontsize = 10 arrowsize=0.2]
        		e -> f [label="changed connection", color="magenta" fontcolor="magenta" fontsize = 10 arrowsize=0.2]
        		g -> h [label="unchanged connection", color="grey" fontcolor="grey" fontsize = 10 arrowsize=0.2]
        		np [label="new peer" color="#008000" fontcolor="#008000" fontsize = 10]
        		lp [label="lost peer" color="red" fontcolor="red" fontsize = 10]
        		pp [label="persistent peer" color="blue" fontcolor="blue" fontsize = 10]
        		{rank=sink np lp pp}
        		np->lp [style=invis]
        		lp->pp [style=invis]
        	}
        """;

    private static string[] Cells(ConnectionDiff d) =>
    [
        d.Type switch { DiffType.Added => "added", DiffType.Removed => "removed", _ => "changed" },
        d.Source,
        d.Destination,
        d.Before.IsEmpty ? ConnectionSet.NoConnectionsText : d.Before.ToString(),
        d.After.IsEmpty ? ConnectionSet.NoConnectionsText : d.After.ToString(),
        d.WorkloadsInfo ?? string.Empty,
    ];
}
