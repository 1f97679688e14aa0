using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Reporting.NetworkPolicy;
using Bulwark.Scanning.NetworkPolicy;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

/// <summary>np-guard's <c>diff</c> golden outputs (txt, csv, md), read in place; same lines, order aside.</summary>
public sealed class NpGuardDiffTests
{
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (var row in NpGuardData.Diff())
        {
            data.Add(row.Name);
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(Rows))]
    public void Diff_output_matches_golden(string name)
    {
        var row = NpGuardData.Diff().Single(r => r.Name == name);
        var expected = File.ReadAllText(NpGuardData.InFolder(row.Expected));
        var matches = false;
        var difference = "format not supported";
        if (DiffWriter.Formats.Contains(row.Format))
        {
            var before = new ConnectivityAnalyzer(NetpolLoader.Load(NpGuardData.InFolder(row.Dir1)).Model).Analyze();
            var after = new ConnectivityAnalyzer(NetpolLoader.Load(NpGuardData.InFolder(row.Dir2)).Model).Analyze();
            var actual = row.Format == "dot" ? DiffWriter.Dot(before, after) : DiffWriter.Render(ConnectivityDiff.Compute(before, after), row.Format);
            matches = NpGuardOutputComparison.Equivalent(row.Format, expected, actual, out difference);
        }

        if (NpGuardKnownGaps.Diff.TryGetValue(name, out var reason))
        {
            Assert.False(matches, $"{name} now matches np-guard; remove it from NpGuardKnownGaps ({reason})");
            return;
        }

        Assert.True(matches, difference);
    }

    [SharedDataFact]
    public void Every_known_gap_names_an_existing_row()
    {
        var names = NpGuardData.Diff().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(NpGuardKnownGaps.Diff.Keys, key => Assert.Contains(key, names));
    }
}
