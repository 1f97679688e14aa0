using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Kubernetes.Tests.PodSecurity;

/// <summary>
/// Every upstream pod-security-admission fixture must get upstream's verdict: pass fixtures no violation,
/// fail fixtures at least one violation of the check the file name names.
/// </summary>
public sealed class PssConformanceTests
{
    private const string MissingDataRow = "(conformance data missing)";

    public static TheoryData<string, string, string, bool, string> Fixtures()
    {
        var data = new TheoryData<string, string, string, bool, string>();
        if (PssConformanceData.Folder(out _) is not { } folder)
        {
            // Reached only when the data is required (BULWARK_REQUIRE_SHARED=1) or BULWARK_SHARED is wrong: one row
            // that fails with the reason (a checkout without the data skips the theory before enumerating it).
            data.Add(MissingDataRow, string.Empty, string.Empty, false, string.Empty);
            return data;
        }

        foreach (var row in PssConformanceData.ReadIndex(folder))
        {
            data.Add(row.Path, row.Level, row.Version, row.ExpectAllowed, row.CheckId);
        }

        return data;
    }

    [SharedDataFact]
    public void Index_lists_every_upstream_fixture()
    {
        var folder = PssConformanceData.Folder(out var message);
        Assert.True(folder is not null, message);
        var rows = PssConformanceData.ReadIndex(folder!);
        Assert.Equal(PssConformanceData.ExpectedRows, rows.Count);
        Assert.All(rows, row => Assert.True(File.Exists(Path.Combine(folder!, row.Path)), $"missing fixture {row.Path}"));
    }

    [SharedDataTheory]
    [MemberData(nameof(Fixtures), DisableDiscoveryEnumeration = true)]
    public void Fixture_gets_upstream_verdict(string path, string level, string version, bool expectAllowed, string checkId)
    {
        var folder = PssConformanceData.Folder(out var message);
        Assert.True(folder is not null && path != MissingDataRow, message);

        Assert.True(PodSecurityPolicy.TryParse($"{level}:{version}", out var policy, out var error), error);
        var file = SourceFile.Load(Path.Combine(folder!, path), DocumentLimits.Default);
        Assert.Empty(file.Errors);
        var objects = new List<KubernetesObject>();
        var skipped = new List<SkippedDocument>();
        foreach (var document in file.Documents)
        {
            KubernetesManifestReader.Read(document, objects, skipped);
        }

        var pod = Assert.Single(objects);
        var violations = PodSecurityEvaluator.Evaluate(policy!, pod);
        var described = Describe(violations);
        if (expectAllowed)
        {
            Assert.True(violations.Count == 0, $"{path}: expected allowed at {policy}, got: {described}");
            return;
        }

        var replacement = PssOverriddenChecks.ReplacementAt(level, policy!.EffectiveMinor, checkId);
        if (replacement is null)
        {
            Assert.True(HasCheck(violations, checkId), $"{path}: expected a {checkId} violation at {policy}, got: {described}");
            return;
        }

        // Upstream runs the restricted replacement instead of the baseline check (see PssOverriddenChecks).
        Assert.True(HasCheck(violations, replacement), $"{path}: expected {replacement} (which replaces {checkId}) at {policy}, got: {described}");
        Assert.False(HasCheck(violations, checkId), $"{path}: {checkId} is replaced by {replacement} at {policy} and must not run, got: {described}");
        var baseline = new PodSecurityPolicy(PodSecurityLevel.Baseline, policy.Minor);
        var atBaseline = PodSecurityEvaluator.Evaluate(baseline, pod);
        Assert.True(HasCheck(atBaseline, checkId), $"{path}: expected a {checkId} violation at {baseline}, got: {Describe(atBaseline)}");
    }

    private static bool HasCheck(IReadOnlyList<PodSecurityViolation> violations, string checkId) =>
        violations.Any(v => string.Equals(v.CheckId, checkId, StringComparison.OrdinalIgnoreCase));

    private static string Describe(IReadOnlyList<PodSecurityViolation> violations) =>
        violations.Count == 0 ? "none" : PodSecurityEvaluator.Describe(violations);
}
