using System.Text;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Reporting.NetworkPolicy;
using Bulwark.Scanning.NetworkPolicy;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

/// <summary>
/// np-guard's connlist golden outputs, read in place: every plain row (no focus, exposure or multi-network options)
/// must give the same lines, order aside. Rows we knowingly differ on are in <see cref="NpGuardKnownGaps"/>.
/// </summary>
public sealed class NpGuardConnlistTests
{
    public static TheoryData<string> TextRows() => Rows("txt");

    public static TheoryData<string> OtherFormatRows()
    {
        var data = new TheoryData<string>();
        foreach (var row in NpGuardData.PlainConnlist().Where(r => r.Format != "txt"))
        {
            data.Add(row.Name);
        }

        return data;
    }

    private static TheoryData<string> Rows(string format)
    {
        var data = new TheoryData<string>();
        foreach (var row in NpGuardData.PlainConnlist().Where(r => r.Format == format))
        {
            data.Add(row.Name);
        }

        return data;
    }

    [SharedDataFact]
    public void Index_has_the_expected_plain_rows()
    {
        var rows = NpGuardData.PlainConnlist();
        Assert.Equal(70, rows.Count(r => r.Format == "txt"));
        Assert.Equal(186, rows.Count);
    }

    [SharedDataTheory]
    [MemberData(nameof(TextRows))]
    public void Text_output_matches_golden(string name) => Check(name);

    [SharedDataTheory]
    [MemberData(nameof(OtherFormatRows))]
    public void Other_formats_match_golden(string name) => Check(name);

    [SharedDataFact]
    public void Every_known_gap_names_an_existing_row()
    {
        var names = NpGuardData.PlainConnlist().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(NpGuardKnownGaps.Connlist.Keys, key => Assert.Contains(key, names));
    }

    internal static string Render(string inputDir, string format)
    {
        var loaded = NetpolLoader.Load(NpGuardData.InFolder(inputDir));
        var report = new ConnectivityAnalyzer(loaded.Model).Analyze();
        using var stream = new MemoryStream();
        ConnlistWriter.Write(report, format, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Check(string name)
    {
        var row = NpGuardData.PlainConnlist().Single(r => r.Name == name);
        var expected = File.ReadAllText(NpGuardData.InFolder(row.Expected));
        var actual = Render(row.InputDir, row.Format);
        var matches = NpGuardOutputComparison.Equivalent(row.Format, expected, actual, out var difference);
        if (NpGuardKnownGaps.Connlist.TryGetValue(name, out var reason))
        {
            // A known gap must still differ: when it starts passing, it has to leave the list.
            Assert.False(matches, $"{name} now matches np-guard; remove it from NpGuardKnownGaps ({reason})");
            return;
        }

        Assert.True(matches, difference);
    }
}
