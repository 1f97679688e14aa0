using System.Collections.Frozen;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.PodSecurity.Checks;

/// <summary>
/// Baseline: the SELinux type is limited to the container types, and a custom SELinux user or role is
/// forbidden. v1.31 added <c>container_engine_t</c> to the allowed types.
/// </summary>
internal static class SeLinuxOptionsCheck
{
    private static readonly FrozenSet<string> AllowedTypesV1Dot0 = FrozenSet.Create(
        StringComparer.Ordinal, string.Empty, "container_t", "container_init_t", "container_kvm_t");

    private static readonly FrozenSet<string> AllowedTypesV1Dot31 = FrozenSet.Create(
        StringComparer.Ordinal, string.Empty, "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

    public static PodSecurityCheck Definition { get; } = new(
        PodSecurityCheckIds.SeLinuxOptions,
        PodSecurityLevel.Baseline,
        [new(0, pod => Evaluate(pod, AllowedTypesV1Dot0)), new(31, pod => Evaluate(pod, AllowedTypesV1Dot31))]);

    private static PodSecurityViolation? Evaluate(PodView pod, FrozenSet<string> allowedTypes)
    {
        var state = new State(pod, allowedTypes);
        var setters = new List<string>();
        if (PodFields.Struct(pod.SecurityContext, "seLinuxOptions") is { } podOptions && !state.Valid(podOptions))
        {
            setters.Add("pod");
        }

        var badContainers = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (PodFields.Struct(container.SecurityContext, "seLinuxOptions") is { } options && !state.Valid(options))
            {
                badContainers.Add(container.Name);
            }
        }

        if (badContainers.Count > 0)
        {
            setters.Add(UpstreamWording.Containers(badContainers));
        }

        if (setters.Count == 0)
        {
            return null;
        }

        var data = new List<string>();
        var types = UpstreamWording.SortedSet(state.BadTypes);
        if (types.Count > 0)
        {
            data.Add($"{UpstreamWording.Pluralize("type", "types", types.Count)} {UpstreamWording.JoinQuote(types)}");
        }

        if (state.SetUser)
        {
            data.Add("user may not be set");
        }

        if (state.SetRole)
        {
            data.Add("role may not be set");
        }

        return Definition.Violation(
            "seLinuxOptions",
            $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}",
            state.Locations);
    }

    private sealed class State(PodView pod, FrozenSet<string> allowedTypes)
    {
        public List<string> BadTypes { get; } = [];

        public List<SourceLocation> Locations { get; } = [];

        public bool SetUser { get; private set; }

        public bool SetRole { get; private set; }

        public bool Valid(DocMapping options)
        {
            var valid = true;
            var type = PodFields.String(options, "type");
            if (!allowedTypes.Contains(type))
            {
                valid = false;
                BadTypes.Add(type);
                Locations.Add(pod.At(options.Entry("type")!.Value));
            }

            if (PodFields.String(options, "user").Length > 0)
            {
                valid = false;
                SetUser = true;
                Locations.Add(pod.At(options.Entry("user")!.Value));
            }

            if (PodFields.String(options, "role").Length > 0)
            {
                valid = false;
                SetRole = true;
                Locations.Add(pod.At(options.Entry("role")!.Value));
            }

            return valid;
        }
    }
}
