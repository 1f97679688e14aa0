using System.Reflection;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Kubernetes.PodSecurity.Checks;
using Xunit;

namespace Bulwark.Kubernetes.Tests.PodSecurity;

/// <summary>Which checks run at each level and version, and in which order.</summary>
public sealed class PodSecurityRegistryTests
{
    private static IReadOnlyList<string> ChecksAt(PodSecurityLevel level, int? minor) =>
        PodSecurityEvaluator.ChecksFor(new PodSecurityPolicy(level, minor));

    [Fact]
    public void Newest_policy_version_is_latest()
    {
        Assert.Equal(PodSecurityPolicy.LatestMinor, PodSecurityEvaluator.NewestPolicyMinor);
    }

    [Fact]
    public void Every_check_class_is_registered_once()
    {
        var declared = typeof(PodSecurityCheck).Assembly.GetTypes()
            .Select(type => type.GetProperty("Definition", BindingFlags.Public | BindingFlags.Static))
            .Where(property => property?.PropertyType == typeof(PodSecurityCheck))
            .Select(property => (PodSecurityCheck)property!.GetValue(null)!)
            .ToArray();

        Assert.Equal(19, declared.Length);
        Assert.Equal(
            declared.Select(check => check.Id).Order(StringComparer.Ordinal),
            PodSecurityCheckRegistry.Checks.Select(check => check.Id).Order(StringComparer.Ordinal));
        Assert.Equal(PodSecurityCheckIds.All, PodSecurityCheckRegistry.Checks.Select(check => check.Id));
    }

    [Fact]
    public void Check_revisions_are_strictly_increasing_and_only_restricted_checks_override_baseline_ones()
    {
        var levels = PodSecurityCheckRegistry.Checks.ToDictionary(check => check.Id, check => check.Level, StringComparer.Ordinal);
        foreach (var check in PodSecurityCheckRegistry.Checks)
        {
            Assert.NotEmpty(check.Versions);
            for (var i = 1; i < check.Versions.Length; i++)
            {
                Assert.True(check.Versions[i - 1].MinimumMinor < check.Versions[i].MinimumMinor, $"{check.Id}: versions not increasing");
            }

            foreach (var overridden in check.Versions.SelectMany(version => version.OverrideCheckIds))
            {
                Assert.Equal(PodSecurityLevel.Restricted, check.Level);
                Assert.Equal(PodSecurityLevel.Baseline, levels[overridden]);
            }
        }
    }

    [Fact]
    public void Every_check_runs_at_some_version()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var minor = 0; minor <= PodSecurityPolicy.LatestMinor; minor++)
        {
            seen.UnionWith(ChecksAt(PodSecurityLevel.Baseline, minor));
            seen.UnionWith(ChecksAt(PodSecurityLevel.Restricted, minor));
        }

        Assert.Equal(PodSecurityCheckIds.All.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Empty(ChecksAt(PodSecurityLevel.Privileged, null));
    }

    [Fact]
    public void Latest_runs_upstream_checks_in_upstream_order()
    {
        Assert.Equal(
            [
                "appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPathVolumes", "hostPorts",
                "hostProbesAndHostLifecycle", "privileged", "procMount", "seLinuxOptions", "seccompProfile_baseline",
                "sysctls", "windowsHostProcess",
            ],
            ChecksAt(PodSecurityLevel.Baseline, null));

        // Restricted: baseline checks minus the four that restricted checks override, then the restricted checks.
        Assert.Equal(
            [
                "appArmorProfile", "hostNamespaces", "hostPorts", "hostProbesAndHostLifecycle", "privileged",
                "seLinuxOptions", "sysctls", "windowsHostProcess", "allowPrivilegeEscalation", "capabilities_restricted",
                "procMount_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser", "seccompProfile_restricted",
            ],
            ChecksAt(PodSecurityLevel.Restricted, null));
    }

    [Fact]
    public void Overrides_start_at_their_versions()
    {
        var v1Dot0 = ChecksAt(PodSecurityLevel.Restricted, 0);
        Assert.DoesNotContain("hostPathVolumes", v1Dot0);
        Assert.Contains("restrictedVolumes", v1Dot0);
        Assert.Contains("seccompProfile_baseline", v1Dot0);
        Assert.Contains("capabilities_baseline", v1Dot0);
        Assert.Contains("procMount", v1Dot0);

        Assert.Contains("seccompProfile_baseline", ChecksAt(PodSecurityLevel.Restricted, 18));
        Assert.DoesNotContain("seccompProfile_baseline", ChecksAt(PodSecurityLevel.Restricted, 19));
        Assert.Contains("capabilities_baseline", ChecksAt(PodSecurityLevel.Restricted, 21));
        Assert.DoesNotContain("capabilities_baseline", ChecksAt(PodSecurityLevel.Restricted, 22));
        Assert.Contains("procMount", ChecksAt(PodSecurityLevel.Restricted, 34));
        Assert.DoesNotContain("procMount", ChecksAt(PodSecurityLevel.Restricted, 35));
        Assert.Contains("procMount_restricted", ChecksAt(PodSecurityLevel.Restricted, 35));
    }

    [Fact]
    public void Restricted_volumes_allow_core_types_and_deny_the_rest()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              securityContext:
                runAsNonRoot: true
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    allowPrivilegeEscalation: false
                    capabilities:
                      drop: ["ALL"]
              volumes:
                - name: defaulted
                - name: image
                  image:
                    reference: registry.example/data:1
                - name: csi
                  csi:
                    driver: secrets-store.csi.k8s.io
                - name: git
                  gitRepo:
                    repository: https://example.invalid/repo.git
                - name: host
                  hostPath:
                    path: /etc
                - name: future
                  someNewSource: {}
            """;

        var violation = Assert.Single(PodSecurityEvaluator.Evaluate(new PodSecurityPolicy(PodSecurityLevel.Restricted, null), Manifests.Single(yaml)));
        Assert.Equal(
            "restricted volume types (volumes \"git\", \"host\", \"future\" use restricted volume types \"gitRepo\", \"hostPath\", \"unknown\")",
            violation.Text);
        Assert.Equal(
            [Manifests.LineOf(yaml, "gitRepo:"), Manifests.LineOf(yaml, "hostPath:"), Manifests.LineOf(yaml, "- name: future")],
            violation.Locations.Select(l => l.Line));
    }
}
