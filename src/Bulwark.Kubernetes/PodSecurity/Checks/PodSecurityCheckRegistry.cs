using System.Collections.Immutable;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Every check, expanded per policy version the way upstream's registry does it: for each minor version the
/// revision in force of every check, baseline checks replaced by the restricted revisions that override
/// them, in upstream's order (baseline IDs sorted, then restricted IDs sorted) so aggregated messages match.
/// </summary>
internal static class PodSecurityCheckRegistry
{
    public static ImmutableArray<PodSecurityCheck> Checks { get; } =
    [
        HostNamespacesCheck.Definition,
        PrivilegedCheck.Definition,
        CapabilitiesBaselineCheck.Definition,
        HostPathVolumesCheck.Definition,
        HostPortsCheck.Definition,
        AppArmorProfileCheck.Definition,
        SeLinuxOptionsCheck.Definition,
        ProcMountCheck.Definition,
        SeccompProfileBaselineCheck.Definition,
        SysctlsCheck.Definition,
        WindowsHostProcessCheck.Definition,
        HostProbesAndHostLifecycleCheck.Definition,
        RestrictedVolumesCheck.Definition,
        AllowPrivilegeEscalationCheck.Definition,
        RunAsNonRootCheck.Definition,
        RunAsUserCheck.Definition,
        SeccompProfileRestrictedCheck.Definition,
        CapabilitiesRestrictedCheck.Definition,
        ProcMountRestrictedCheck.Definition,
    ];

    /// <summary>The newest minor version any check has a revision for; newer requested versions evaluate as this one.</summary>
    public static int MaxMinor { get; } = Checks.Max(check => check.Versions[^1].MinimumMinor);

    private static readonly ImmutableArray<ImmutableArray<ActiveCheck>> BaselineByMinor = Expand(PodSecurityLevel.Baseline);

    private static readonly ImmutableArray<ImmutableArray<ActiveCheck>> RestrictedByMinor = Expand(PodSecurityLevel.Restricted);

    /// <summary>The revisions to run, in order, for <paramref name="level"/> at policy version v1.<paramref name="minor"/>.</summary>
    public static ImmutableArray<ActiveCheck> For(PodSecurityLevel level, int minor)
    {
        var index = Math.Clamp(minor, 0, MaxMinor);
        return level switch
        {
            PodSecurityLevel.Baseline => BaselineByMinor[index],
            PodSecurityLevel.Restricted => RestrictedByMinor[index],
            _ => [],
        };
    }

    private static ImmutableArray<ImmutableArray<ActiveCheck>> Expand(PodSecurityLevel level)
    {
        var ordered = Checks.Where(c => c.Level == PodSecurityLevel.Baseline).OrderBy(c => c.Id, StringComparer.Ordinal)
            .Concat(Checks.Where(c => c.Level == PodSecurityLevel.Restricted).OrderBy(c => c.Id, StringComparer.Ordinal))
            .ToArray();

        var result = ImmutableArray.CreateBuilder<ImmutableArray<ActiveCheck>>(MaxMinor + 1);
        for (var minor = 0; minor <= MaxMinor; minor++)
        {
            var overridden = new HashSet<string>(StringComparer.Ordinal);
            if (level == PodSecurityLevel.Restricted)
            {
                foreach (var check in ordered.Where(c => c.Level == PodSecurityLevel.Restricted))
                {
                    if (check.At(minor) is { } revision)
                    {
                        overridden.UnionWith(revision.OverrideCheckIds);
                    }
                }
            }

            var revisions = ImmutableArray.CreateBuilder<ActiveCheck>();
            foreach (var check in ordered)
            {
                var applies = check.Level == PodSecurityLevel.Baseline || level == PodSecurityLevel.Restricted;
                if (applies && !overridden.Contains(check.Id) && check.At(minor) is { } revision)
                {
                    revisions.Add(new ActiveCheck(check.Id, revision));
                }
            }

            result.Add(revisions.ToImmutable());
        }

        return result.MoveToImmutable();
    }
}

/// <summary>A check's revision in force at some level and version.</summary>
internal sealed record ActiveCheck(string Id, VersionedCheck Revision);
