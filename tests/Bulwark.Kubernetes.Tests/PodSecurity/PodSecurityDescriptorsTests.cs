using Bulwark.Core.Rules;
using Bulwark.Kubernetes.PodSecurity;
using Xunit;

namespace Bulwark.Kubernetes.Tests.PodSecurity;

public sealed class PodSecurityDescriptorsTests
{
    private const string ExpectMarker = "# expect:";

    // At the restricted level upstream replaces these baseline checks by a restricted one, so their examples
    // are judged at the baseline level, where the check runs.
    private static readonly HashSet<string> OverriddenAtRestricted = new(StringComparer.Ordinal)
    {
        PodSecurityCheckIds.HostPathVolumes,
        PodSecurityCheckIds.SeccompProfileBaseline,
        PodSecurityCheckIds.CapabilitiesBaseline,
        PodSecurityCheckIds.ProcMount,
    };

    private static readonly string[] RestrictedOnly =
    [
        PodSecurityCheckIds.RestrictedVolumes, PodSecurityCheckIds.AllowPrivilegeEscalation, PodSecurityCheckIds.RunAsNonRoot,
        PodSecurityCheckIds.RunAsUser, PodSecurityCheckIds.SeccompProfileRestricted, PodSecurityCheckIds.CapabilitiesRestricted,
        PodSecurityCheckIds.ProcMountRestricted,
    ];

    public static TheoryData<string> CheckIds() => [.. PodSecurityCheckIds.All];

    [Fact]
    public void There_is_one_descriptor_per_check_in_upstream_order()
    {
        Assert.Equal(19, PodSecurityDescriptors.All.Length);
        Assert.Equal(
            Enumerable.Range(1, 19).Select(i => $"BW90{i:00}"),
            PodSecurityDescriptors.All.Select(d => d.Id));
        Assert.Equal(PodSecurityCheckIds.All, PodSecurityDescriptors.All.Select(d => Assert.Single(d.PodSecurityChecks)));
        Assert.Equal("pss-capabilities-baseline", PodSecurityDescriptors.Get("capabilities_baseline").Slug);
        Assert.Equal("pss-host-namespaces", PodSecurityDescriptors.Get("hostNamespaces").Slug);
        Assert.Equal("pss-seccomp-profile-restricted", PodSecurityDescriptors.Get("seccompProfile_restricted").Slug);
        Assert.Equal("pss-apparmor-profile", PodSecurityDescriptors.Get("appArmorProfile").Slug);
        Assert.Equal("pss-selinux-options", PodSecurityDescriptors.Get("seLinuxOptions").Slug);
        Assert.Equal("pss-run-as-non-root", PodSecurityDescriptors.Get("runAsNonRoot").Slug);
        Assert.Throws<KeyNotFoundException>(() => PodSecurityDescriptors.Get("HostNamespaces"));
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Descriptor_is_complete(string checkId)
    {
        var descriptor = PodSecurityDescriptors.Get(checkId);
        Assert.Equal(PodSecurityDescriptors.Category, descriptor.Category);
        Assert.Equal([SourceKind.Kubernetes], descriptor.Sources.ToArray());
        Assert.StartsWith("Pod Security Standards: ", descriptor.Title, StringComparison.Ordinal);
        Assert.False(descriptor.Title.EndsWith('.'));
        Assert.EndsWith(".", descriptor.Remediation, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Rationale));
        Assert.Contains(descriptor.References, r => r.Url is { } url && url.StartsWith("https://kubernetes.io/docs/concepts/security/pod-security-standards/", StringComparison.Ordinal));
        Assert.Single(descriptor.Examples, e => e.Kind == ExampleKind.Bad && e.Source == SourceKind.Kubernetes);
        Assert.Single(descriptor.Examples, e => e.Kind == ExampleKind.Good && e.Source == SourceKind.Kubernetes);
        if (RestrictedOnly.Contains(checkId))
        {
            Assert.Equal(Core.Findings.Severity.Medium, descriptor.Severity);
        }
        else if (checkId is PodSecurityCheckIds.Privileged or PodSecurityCheckIds.HostNamespaces
            or PodSecurityCheckIds.HostPathVolumes or PodSecurityCheckIds.CapabilitiesBaseline)
        {
            Assert.True(descriptor.Severity >= Core.Findings.Severity.High);
        }
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Bad_example_reports_the_check_exactly_on_its_expect_lines(string checkId)
    {
        var descriptor = PodSecurityDescriptors.Get(checkId);
        var bad = descriptor.Examples.Single(e => e.Kind == ExampleKind.Bad).Text;
        var expected = ExpectedLines(bad, descriptor.Id);
        Assert.NotEmpty(expected);

        foreach (var policy in PoliciesFor(checkId))
        {
            var violations = PodSecurityEvaluator.Evaluate(policy, Manifests.Single(bad));
            var violation = violations.SingleOrDefault(v => v.CheckId == checkId);
            Assert.True(violation is not null, $"{descriptor.Id} bad example: no {checkId} violation at {policy}; got: {PodSecurityEvaluator.Describe(violations)}");
            Assert.Equal(expected, violation.Locations.Select(l => l.Line).Distinct().Order());
        }
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Good_example_passes_the_check_and_its_own_level(string checkId)
    {
        var descriptor = PodSecurityDescriptors.Get(checkId);
        var good = descriptor.Examples.Single(e => e.Kind == ExampleKind.Good).Text;
        Assert.DoesNotContain(ExpectMarker, good, StringComparison.Ordinal);
        foreach (var policy in PoliciesFor(checkId))
        {
            var violations = PodSecurityEvaluator.Evaluate(policy, Manifests.Single(good));
            Assert.DoesNotContain(violations, v => v.CheckId == checkId);
        }

        // A good example is a clean pod for the level the check belongs to, not just free of this one check.
        var ownLevel = new PodSecurityPolicy(RestrictedOnly.Contains(checkId) ? PodSecurityLevel.Restricted : PodSecurityLevel.Baseline, null);
        var atOwnLevel = PodSecurityEvaluator.Evaluate(ownLevel, Manifests.Single(good));
        Assert.True(atOwnLevel.Count == 0, $"{descriptor.Id} good example at {ownLevel}: {PodSecurityEvaluator.Describe(atOwnLevel)}");
    }

    /// <summary>
    /// restricted:latest for every check upstream runs there; baseline:latest as well for baseline checks, and
    /// only baseline:latest for the four baseline checks restricted replaces.
    /// </summary>
    private static IEnumerable<PodSecurityPolicy> PoliciesFor(string checkId)
    {
        if (!RestrictedOnly.Contains(checkId))
        {
            yield return new PodSecurityPolicy(PodSecurityLevel.Baseline, null);
        }

        if (!OverriddenAtRestricted.Contains(checkId))
        {
            yield return new PodSecurityPolicy(PodSecurityLevel.Restricted, null);
        }
    }

    private static int[] ExpectedLines(string text, string ruleId)
    {
        var lines = text.Split('\n');
        var result = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf(ExpectMarker, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var ids = lines[i][(at + ExpectMarker.Length)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.All(ids, id => Assert.StartsWith("BW", id, StringComparison.Ordinal));
            if (ids.Contains(ruleId, StringComparer.Ordinal))
            {
                result.Add(i + 1);
            }
        }

        return [.. result];
    }
}
