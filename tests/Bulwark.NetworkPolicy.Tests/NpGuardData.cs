using System.Text.Json;
using Bulwark.TestSupport;

namespace Bulwark.NetworkPolicy.Tests;

/// <summary>One plain <c>INDEX-connlist.json</c> row: an input folder, an output format and its golden file.</summary>
public sealed record ConnlistCase(string InputDir, string Format, string Expected)
{
    public string Name => Path.GetFileName(InputDir) + "." + Format;

    public override string ToString() => Name;
}

/// <summary>One <c>INDEX-diff.json</c> row.</summary>
public sealed record DiffCase(string Dir1, string Dir2, string Format, string Expected)
{
    public string Name => Path.GetFileName(Dir1) + " -> " + Path.GetFileName(Dir2) + "." + Format;

    public override string ToString() => Name;
}

/// <summary>Reads np-guard's conformance indexes in place from the shared folder (never copied into the repository).</summary>
internal static class NpGuardData
{
    public static string Folder => RepositoryPaths.InShared("conformance", "netpol", "np-guard");

    public static string InFolder(params string[] relative) => Path.Combine([Folder, .. relative]);

    /// <summary>Rows without focus, exposure or multi-network options, in every format.</summary>
    public static List<ConnlistCase> PlainConnlist()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(InFolder("INDEX-connlist.json")));
        var rows = new List<ConnlistCase>();
        foreach (var row in doc.RootElement.EnumerateArray())
        {
            if (row.GetProperty("focus_workloads").GetArrayLength() > 0 || row.GetProperty("focus_workload_peers").GetArrayLength() > 0
                || row.GetProperty("focus_direction").GetString() is { Length: > 0 } || row.GetProperty("focus_conn").GetString() is { Length: > 0 }
                || row.GetProperty("exposure").GetBoolean() || row.GetProperty("multiple_networks").GetBoolean())
            {
                continue;
            }

            rows.Add(new ConnlistCase(row.GetProperty("input_dir").GetString()!, row.GetProperty("output_format").GetString()!, row.GetProperty("expected").GetString()!));
        }

        return rows;
    }

    public static List<DiffCase> Diff()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(InFolder("INDEX-diff.json")));
        var rows = new List<DiffCase>();
        foreach (var row in doc.RootElement.EnumerateArray())
        {
            if (row.GetProperty("multiple_networks").GetBoolean())
            {
                continue;
            }

            rows.Add(new DiffCase(row.GetProperty("dir1").GetString()!, row.GetProperty("dir2").GetString()!, row.GetProperty("format").GetString()!, row.GetProperty("expected").GetString()!));
        }

        return rows;
    }

    /// <summary>The lines of a golden file, without blank lines, sorted (order is not part of the contract).</summary>
    public static List<string> SortedLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
