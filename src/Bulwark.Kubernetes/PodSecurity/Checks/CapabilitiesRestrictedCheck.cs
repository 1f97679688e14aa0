using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Restricted (v1.22+): every container must drop <c>ALL</c> capabilities and may add back only
/// NET_BIND_SERVICE. Replaces <c>capabilities_baseline</c> at the restricted level; from v1.25 Windows pods
/// are exempt.
/// </summary>
internal static class CapabilitiesRestrictedCheck
{
    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.CapabilitiesRestricted,
        PodSecurityLevel.Restricted,
        [
            new(22, V1Dot22, [PodSecurityCheckIds.CapabilitiesBaseline]),
            new(25, V1Dot25, [PodSecurityCheckIds.CapabilitiesBaseline]),
        ]);

    private static PodSecurityViolation? V1Dot25(PodView pod) => pod.IsWindows ? null : V1Dot22(pod);

    private static PodSecurityViolation? V1Dot22(PodView pod)
    {
        var missingDropAll = new List<string>();
        var addingForbidden = new List<string>();
        var capabilities = new List<string>();
        var locations = new List<SourceLocation>();
        foreach (var container in pod.Containers)
        {
            var capabilitiesEntry = PodFields.StructEntry(container.SecurityContext, "capabilities");
            if (capabilitiesEntry is not { Value: DocMapping caps })
            {
                missingDropAll.Add(container.Name);
                locations.Add(container.SecurityContextOrSelf);
                continue;
            }

            if (!PodFields.Items(caps, "drop").Any(item => PodFields.ItemString(item) == "ALL"))
            {
                missingDropAll.Add(container.Name);
                locations.Add(PodFields.Set(caps, "drop") is { } drop ? pod.At(drop) : pod.At(capabilitiesEntry.Value));
            }

            var forbidden = false;
            foreach (var item in PodFields.Items(caps, "add"))
            {
                var capability = PodFields.ItemString(item);
                if (capability != "NET_BIND_SERVICE")
                {
                    forbidden = true;
                    capabilities.Add(capability);
                    locations.Add(pod.At(item));
                }
            }

            if (forbidden)
            {
                addingForbidden.Add(container.Name);
            }
        }

        var details = new List<string>();
        if (missingDropAll.Count > 0)
        {
            details.Add($"{UpstreamWording.Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (addingForbidden.Count > 0)
        {
            details.Add($"{UpstreamWording.Containers(addingForbidden)} must not include {UpstreamWording.JoinQuote(UpstreamWording.SortedSet(capabilities))} in securityContext.capabilities.add");
        }

        return details.Count == 0 ? null : Definition.Violation("unrestricted capabilities", string.Join("; ", details), locations);
    }
}
