namespace Bulwark.Kubernetes.NetworkPolicy;

public enum DiffType
{
    Changed,
    Added,
    Removed,

    /// <summary>Only when asked for (graphs draw them grey).</summary>
    Unchanged,
}

/// <summary>One difference between two connectivity reports; <see cref="Before"/>/<see cref="After"/> are None when absent.</summary>
public sealed record ConnectionDiff(DiffType Type, string Source, string Destination, ConnectionSet Before, ConnectionSet After, string? WorkloadsInfo);

/// <summary>
/// The connections added, removed and changed between two versions of the manifests (np-guard's semantic diff).
/// External ranges are compared on the common refinement of both versions' partitions, and adjacent ranges with
/// the same difference are joined again, so a re-partitioned address space is not reported as a change.
/// </summary>
public static class ConnectivityDiff
{
    public static List<ConnectionDiff> Compute(ConnectivityReport before, ConnectivityReport after, bool includeUnchanged = false)
    {
        var workloadsBefore = before.Workloads.Select(w => w.DisplayName).ToHashSet(StringComparer.Ordinal);
        var workloadsAfter = after.Workloads.Select(w => w.DisplayName).ToHashSet(StringComparer.Ordinal);
        var pairs1 = new Dictionary<(string, string), ConnectionSet>();
        var pairs2 = new Dictionary<(string, string), ConnectionSet>();
        var external1 = new Dictionary<(string Workload, bool ExternalIsSource), List<(IpInterval, ConnectionSet)>>();
        var external2 = new Dictionary<(string Workload, bool ExternalIsSource), List<(IpInterval, ConnectionSet)>>();
        Split(before, pairs1, external1);
        Split(after, pairs2, external2);

        var raw = new List<(string Source, string Destination, ConnectionSet Before, ConnectionSet After)>();
        foreach (var key in pairs1.Keys.Union(pairs2.Keys))
        {
            var a = pairs1.GetValueOrDefault(key) ?? ConnectionSet.None;
            var b = pairs2.GetValueOrDefault(key) ?? ConnectionSet.None;
            if (!a.Equals(b) || includeUnchanged)
            {
                raw.Add((key.Item1, key.Item2, a, b));
            }
        }

        foreach (var key in external1.Keys.Union(external2.Keys))
        {
            foreach (var (range, a, b) in RefinedDifferences(external1.GetValueOrDefault(key) ?? [], external2.GetValueOrDefault(key) ?? [], includeUnchanged))
            {
                var external = NetpolPeer.Of(range).Name;
                raw.Add(key.ExternalIsSource ? (external, key.Workload, a, b) : (key.Workload, external, a, b));
            }
        }

        var result = new List<ConnectionDiff>();
        foreach (var (source, destination, a, b) in raw)
        {
            var type = a.Equals(b) ? DiffType.Unchanged : a.IsEmpty ? DiffType.Added : b.IsEmpty ? DiffType.Removed : DiffType.Changed;
            string? info = null;
            if (type is DiffType.Added or DiffType.Removed)
            {
                // A workload that exists only in the newer (added) or only in the older (removed) version.
                var present = type == DiffType.Added ? workloadsBefore : workloadsAfter;
                var other = type == DiffType.Added ? workloadsAfter : workloadsBefore;
                var missing = new[] { source, destination }.Where(n => other.Contains(n) && !present.Contains(n)).ToList();
                if (missing.Count > 0)
                {
                    info = "workload " + string.Join(" and ", missing) + (type == DiffType.Added ? " added" : " removed");
                }
            }

            result.Add(new ConnectionDiff(type, source, destination, a, b, info));
        }

        result.Sort((x, y) =>
        {
            var c = x.Type.CompareTo(y.Type);
            if (c == 0)
            {
                c = string.CompareOrdinal(x.Source, y.Source);
            }

            return c != 0 ? c : string.CompareOrdinal(x.Destination, y.Destination);
        });
        return result;
    }

    private static void Split(ConnectivityReport report, Dictionary<(string, string), ConnectionSet> pairs, Dictionary<(string, bool), List<(IpInterval, ConnectionSet)>> external)
    {
        foreach (var connection in report.Connections)
        {
            if (connection.Source.Range is { } sourceRange)
            {
                Add(external, (connection.Destination.Name, true), sourceRange, connection.Connections);
            }
            else if (connection.Destination.Range is { } destinationRange)
            {
                Add(external, (connection.Source.Name, false), destinationRange, connection.Connections);
            }
            else
            {
                pairs[(connection.Source.Name, connection.Destination.Name)] = connection.Connections;
            }
        }

        static void Add(Dictionary<(string, bool), List<(IpInterval, ConnectionSet)>> map, (string, bool) key, IpInterval range, ConnectionSet connections)
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = [];
            }

            list.Add((range, connections));
        }
    }

    private static List<(IpInterval Range, ConnectionSet Before, ConnectionSet After)> RefinedDifferences(List<(IpInterval Range, ConnectionSet Conns)> before, List<(IpInterval Range, ConnectionSet Conns)> after, bool includeUnchanged)
    {
        var result = new List<(IpInterval Range, ConnectionSet Before, ConnectionSet After)>();
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var starts = new SortedSet<UInt128>();
            foreach (var (range, _) in before.Concat(after))
            {
                if (range.Family != family)
                {
                    continue;
                }

                starts.Add(range.Start);
                if (range.End < IpInterval.MaxOf(family))
                {
                    starts.Add(range.End + 1);
                }
            }

            var points = starts.ToList();
            for (var i = 0; i < points.Count; i++)
            {
                var end = i + 1 < points.Count ? points[i + 1] - 1 : IpInterval.MaxOf(family);
                var piece = new IpInterval(family, points[i], end);
                var a = Lookup(before, piece);
                var b = Lookup(after, piece);
                if (a.Equals(b) && (!includeUnchanged || a.IsEmpty))
                {
                    continue;
                }

                if (result.Count > 0 && result[^1] is var last && last.Range.Family == family && last.Range.End + 1 == piece.Start
                    && last.Before.Equals(a) && last.After.Equals(b))
                {
                    result[^1] = (new IpInterval(family, last.Range.Start, piece.End), a, b);
                }
                else
                {
                    result.Add((piece, a, b));
                }
            }
        }

        return result;
    }

    private static ConnectionSet Lookup(List<(IpInterval Range, ConnectionSet Conns)> ranges, IpInterval piece)
    {
        foreach (var (range, conns) in ranges)
        {
            if (range.Contains(piece))
            {
                return conns;
            }
        }

        return ConnectionSet.None;
    }
}
