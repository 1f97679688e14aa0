using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;

namespace Bulwark.Reporting.NetworkPolicy;

/// <summary>Writes <c>netpol diff</c> results in np-guard's diff formats (txt, csv, md). No differences: no output.</summary>
public static class DiffWriter
{
    public static readonly string[] Formats = ["txt", "csv", "md"];

    public static string Render(IReadOnlyList<ConnectionDiff> diffs, string format)
    {
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
