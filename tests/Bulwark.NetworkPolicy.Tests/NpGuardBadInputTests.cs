using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Scanning.NetworkPolicy;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.NetworkPolicy.Tests;

/// <summary>
/// np-guard's bad-path inputs for NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy (np-guard
/// refuses them): Bulwark reads each without failing, warns or errs naming the object, and analyses the rest.
/// </summary>
public sealed class NpGuardBadInputTests
{
    public static TheoryData<string> Dirs()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(NpGuardData.InFolder("tests")).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (dir!.StartsWith("anp_bad_path", StringComparison.Ordinal) || dir.StartsWith("banp_bad_path", StringComparison.Ordinal)
                || dir.StartsWith("np_bad_path", StringComparison.Ordinal) || dir == "bad_netpols")
            {
                data.Add(dir);
            }
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(Dirs))]
    public void Bad_policies_are_reported_by_name_and_the_rest_is_analysed(string dir)
    {
        var loaded = NetpolLoader.Load(NpGuardData.InFolder("tests", dir));
        var analyzer = new ConnectivityAnalyzer(loaded.Model);
        analyzer.Analyze();
        var problems = analyzer.Diagnostics.Select(d => d.ToString()).Concat(loaded.Errors.Select(e => e.ToString())).ToList();
        Assert.NotEmpty(problems);
        Assert.All(analyzer.Diagnostics, d => Assert.False(string.IsNullOrEmpty(d.Object)));
    }
}
