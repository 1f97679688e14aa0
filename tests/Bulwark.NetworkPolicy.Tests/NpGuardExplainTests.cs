using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Scanning.NetworkPolicy;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

/// <summary>
/// np-guard's <c>list --explain</c> golden outputs (rows without focus, exposure, explain-only or multi-network
/// options), read in place: for every pair np-guard explains, each of its allowed/denied blocks must agree with
/// Bulwark's explanation of the same connections on the verdict and on the set of deciding policies (and, for
/// pairs from <c>{ingress-controller}</c>, the deciding Ingress and Route objects).
/// </summary>
public sealed partial class NpGuardExplainTests
{
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (var (dir, _) in PlainRows())
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(Rows))]
    public void Explanations_agree_on_verdicts_and_deciding_policies(string name)
    {
        var (dir, expected) = PlainRows().Single(r => Path.GetFileName(r.Dir) == name);
        var analyzer = new ConnectivityAnalyzer(NetpolLoader.Load(NpGuardData.InFolder(dir)).Model);
        var problems = new List<string>();
        var pairs = 0;
        foreach (var block in ParseGolden(File.ReadAllText(NpGuardData.InFolder(expected))))
        {
            pairs++;
            var source = analyzer.FindPeer(block.Source);
            var destination = analyzer.FindPeer(block.Destination);
            if (source is null || destination is null)
            {
                problems.Add($"{block.Source} => {block.Destination}: peer not found");
                continue;
            }

            var explanation = analyzer.Explain(source, destination);
            foreach (var segment in explanation.Segments.Where(s => !s.Connections.Intersect(block.Connections).IsEmpty))
            {
                var policies = segment.Policies.Select(p => p.ToString()).Concat(segment.IngressObjects.Select(o => o.ToString())).Order(StringComparer.Ordinal).ToList();
                if (segment.Allowed != block.Allowed || !policies.SequenceEqual(block.Policies))
                {
                    problems.Add($"{block.Source} => {block.Destination} [{block.Connections}]: np-guard {(block.Allowed ? "allowed" : "denied")} by {string.Join(", ", block.Policies)}; "
                        + $"Bulwark {(segment.Allowed ? "allowed" : "denied")} [{segment.Connections}] by {string.Join(", ", policies)}");
                }
            }
        }

        if (pairs == 0)
        {
            problems.Add("no pair to compare");
        }

        if (NpGuardKnownGaps.Explain.TryGetValue(name, out var reason))
        {
            Assert.False(problems.Count == 0, $"{name} now agrees with np-guard; remove it from NpGuardKnownGaps ({reason})");
            return;
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(30)));
    }

    private static List<(string Dir, string Expected)> PlainRows()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(NpGuardData.InFolder("INDEX-explain.json")));
        var rows = new List<(string, string)>();
        foreach (var row in doc.RootElement.EnumerateArray())
        {
            if (row.GetProperty("focus_workloads").GetArrayLength() > 0 || row.GetProperty("focus_workload_peers").GetArrayLength() > 0
                || row.GetProperty("focus_direction").GetString() is { Length: > 0 } || row.GetProperty("focus_conn").GetString() is { Length: > 0 }
                || row.GetProperty("exposure").GetBoolean() || row.GetProperty("explain_only").GetString() is { Length: > 0 }
                || row.GetProperty("multiple_networks").GetBoolean())
            {
                continue;
            }

            rows.Add((row.GetProperty("input_dir").GetString()!, row.GetProperty("expected").GetString()!));
        }

        return rows;
    }

    private sealed record GoldenBlock(string Source, string Destination, bool Allowed, ConnectionSet Connections, List<string> Policies);

    private static List<GoldenBlock> ParseGolden(string text)
    {
        var blocks = new List<GoldenBlock>();
        string? source = null;
        string? destination = null;
        GoldenBlock? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (PairHeader().Match(line) is { Success: true } pair)
            {
                source = pair.Groups[1].Value;
                destination = pair.Groups[2].Value;
                current = null;
                continue;
            }

            if (VerdictHeader().Match(line) is { Success: true } verdict && source is not null)
            {
                current = new GoldenBlock(source, destination!, verdict.Groups[1].Value == "Allowed", ParseConnections(verdict.Groups[2].Value), []);
                blocks.Add(current);
                continue;
            }

            if (current is not null)
            {
                foreach (Match m in PolicyMention().Matches(line))
                {
                    var mention = m.Groups[1].Value + " '" + m.Groups[2].Value + "'";
                    if (!current.Policies.Contains(mention))
                    {
                        current.Policies.Add(mention);
                    }
                }
            }
        }

        foreach (var block in blocks)
        {
            block.Policies.Sort(StringComparer.Ordinal);
        }

        return blocks;
    }

    /// <summary>np-guard's explanation form: <c>TCP:[1-79,81-65535], UDP, SCTP</c> (a bare protocol means all its ports).</summary>
    private static ConnectionSet ParseConnections(string text)
    {
        var result = ConnectionSet.None;
        foreach (var part in ProtocolPart().Matches(text).Cast<Match>())
        {
            if (!NetProtocols.TryParse(part.Groups[1].Value, out var protocol))
            {
                throw new FormatException("unknown protocol in " + text);
            }

            var ports = PortSet.All;
            if (part.Groups[2].Success)
            {
                ports = PortSet.Empty;
                foreach (var range in part.Groups[2].Value.Split(','))
                {
                    var bounds = range.Split('-');
                    var start = int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
                    var end = bounds.Length > 1 ? int.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture) : start;
                    ports = ports.Union(PortSet.Range(start, end));
                }
            }

            result = result.Union(ConnectionSet.Of(protocol, ports));
        }

        return result;
    }

    [GeneratedRegex(@"^Connections between (.+) => (.+):$")]
    private static partial Regex PairHeader();

    [GeneratedRegex(@"^\t(Allowed|Denied) (.+?) due to ")]
    private static partial Regex VerdictHeader();

    [GeneratedRegex(@"\b(NetworkPolicy|AdminNetworkPolicy|BaselineAdminNetworkPolicy|Ingress|Route) '([^']+)'")]
    private static partial Regex PolicyMention();

    [GeneratedRegex(@"(TCP|UDP|SCTP)(?::\[([0-9,\-]+)\])?")]
    private static partial Regex ProtocolPart();
}
