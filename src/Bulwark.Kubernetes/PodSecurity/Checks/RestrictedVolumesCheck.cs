using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Restricted: volumes may only use the core ephemeral and claim-based sources. Replaces
/// <c>hostPathVolumes</c> at the restricted level. The <c>image</c> source was allowed upstream without a
/// new policy version, so it is allowed at every version.
/// </summary>
internal static class RestrictedVolumesCheck
{
    private static readonly string[] AllowedSources =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"];

    // Upstream's order: when a volume (invalidly) sets several sources, the first match names it.
    private static readonly string[] RestrictedSources =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd",
        "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
        "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos",
    ];

    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.RestrictedVolumes,
        PodSecurityLevel.Restricted,
        [new(0, V1Dot0, [PodSecurityCheckIds.HostPathVolumes])]);

    private static PodSecurityViolation? V1Dot0(PodView pod)
    {
        var bad = new List<string>();
        var types = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var volume in PodFields.Mappings(pod.Spec, "volumes"))
        {
            if (AllowedSources.Any(source => PodFields.Set(volume, source) is not null))
            {
                continue;
            }

            var restricted = RestrictedSources.FirstOrDefault(source => PodFields.Set(volume, source) is not null);
            if (restricted is not null)
            {
                types.Add(restricted);
                locations.Add(pod.At(volume.Entry(restricted)!.Value));
            }
            else if (volume.Entries.Any(entry => entry.KeyText != "name" && entry.Value is not DocScalar { IsNull: true }))
            {
                // A source this check does not know (a newer API field, or a misspelt one the API server would
                // reject) is denied as "unknown", as upstream denies sources it does not list.
                types.Add("unknown");
                locations.Add(pod.At(volume));
            }
            else
            {
                // A volume that names no source at all is defaulted to emptyDir by the API server before
                // admission, so it is allowed (upstream's restricted fixtures rely on this).
                continue;
            }

            bad.Add(PodFields.String(volume, "name"));
        }

        if (bad.Count == 0)
        {
            return null;
        }

        var distinct = UpstreamWording.SortedSet(types);
        return Definition.Violation(
            "restricted volume types",
            $"{UpstreamWording.Pluralize("volume", "volumes", bad.Count)} {UpstreamWording.JoinQuote(bad)} {UpstreamWording.Pluralize("uses", "use", bad.Count)} {UpstreamWording.Pluralize("restricted volume type", "restricted volume types", distinct.Count)} {UpstreamWording.JoinQuote(distinct)}",
            locations);
    }
}
