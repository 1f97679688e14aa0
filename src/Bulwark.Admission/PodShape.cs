using Bulwark.Parsing.Documents;

namespace Bulwark.Admission;

/// <summary>
/// Whether a pod (or pod template) would decode as the API server's Pod type, in the fields Pod Security and the
/// rules read: a list where a list belongs, a boolean where a boolean belongs. A webhook that judged a
/// <c>privileged: "yes"</c> it cannot read as "not privileged" would let through what it was put there to stop, so
/// an object that fails here is not judged but refused (or allowed, if the configuration says so) as undecodable.
/// </summary>
internal static class PodShape
{
    private static readonly string[] PodBooleans = ["hostNetwork", "hostPID", "hostIPC", "hostUsers", "shareProcessNamespace", "automountServiceAccountToken"];

    private static readonly string[] ContextBooleans = ["privileged", "allowPrivilegeEscalation", "runAsNonRoot", "readOnlyRootFilesystem"];

    private static readonly string[] ContextIntegers = ["runAsUser", "runAsGroup"];

    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    /// <summary>The first field that would not decode, with its path, or null.</summary>
    public static string? Problem(DocNode? metadata, DocNode? spec, string specPath)
    {
        if (metadata is not (null or DocMapping))
        {
            return $"{Parent(specPath)}metadata: expected an object";
        }

        if (metadata is DocMapping meta)
        {
            foreach (var key in (string[])["labels", "annotations"])
            {
                if (meta[key] is { } map && map is not DocMapping && !IsNull(map))
                {
                    return $"{Parent(specPath)}metadata.{key}: expected an object of strings";
                }
            }
        }

        if (spec is not DocMapping pod)
        {
            return $"{specPath}: expected an object";
        }

        foreach (var key in PodBooleans)
        {
            if (NotBoolean(pod[key]))
            {
                return $"{specPath}.{key}: expected a boolean";
            }
        }

        if (SecurityContext(pod["securityContext"], $"{specPath}.securityContext") is { } podContext)
        {
            return podContext;
        }

        if (pod["volumes"] is { } volumes && ListOfObjects(volumes) is false)
        {
            return $"{specPath}.volumes: expected a list of objects";
        }

        foreach (var list in ContainerLists)
        {
            if (pod[list] is not { } containers || IsNull(containers))
            {
                continue;
            }

            if (containers is not DocSequence items || ListOfObjects(items) is false)
            {
                return $"{specPath}.{list}: expected a list of objects";
            }

            for (var i = 0; i < items.Items.Count; i++)
            {
                if (Container((DocMapping)items.Items[i], $"{specPath}.{list}[{i}]") is { } problem)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    private static string? Container(DocMapping container, string path)
    {
        foreach (var key in (string[])["name", "image"])
        {
            if (container[key] is { } value && value is not DocScalar && !IsNull(value))
            {
                return $"{path}.{key}: expected a string";
            }
        }

        if (container["ports"] is { } ports && ListOfObjects(ports) is false)
        {
            return $"{path}.ports: expected a list of objects";
        }

        if (container["ports"] is DocSequence portList)
        {
            for (var i = 0; i < portList.Items.Count; i++)
            {
                if (NotInteger(((DocMapping)portList.Items[i])["hostPort"]))
                {
                    return $"{path}.ports[{i}].hostPort: expected an integer";
                }
            }
        }

        return SecurityContext(container["securityContext"], $"{path}.securityContext");
    }

    private static string? SecurityContext(DocNode? node, string path)
    {
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is not DocMapping context)
        {
            return $"{path}: expected an object";
        }

        foreach (var key in ContextBooleans)
        {
            if (NotBoolean(context[key]))
            {
                return $"{path}.{key}: expected a boolean";
            }
        }

        foreach (var key in ContextIntegers)
        {
            if (NotInteger(context[key]))
            {
                return $"{path}.{key}: expected an integer";
            }
        }

        foreach (var key in (string[])["seccompProfile", "seLinuxOptions", "appArmorProfile", "windowsOptions", "capabilities"])
        {
            if (context[key] is { } value && value is not DocMapping && !IsNull(value))
            {
                return $"{path}.{key}: expected an object";
            }
        }

        if (context.Mapping("windowsOptions") is { } windows && NotBoolean(windows["hostProcess"]))
        {
            return $"{path}.windowsOptions.hostProcess: expected a boolean";
        }

        if (context.Mapping("capabilities") is { } capabilities)
        {
            foreach (var key in (string[])["add", "drop"])
            {
                if (capabilities[key] is { } list && !IsNull(list)
                    && (list is not DocSequence names || names.Items.Any(n => n is not DocScalar)))
                {
                    return $"{path}.capabilities.{key}: expected a list of strings";
                }
            }
        }

        if (context["sysctls"] is { } sysctls && ListOfObjects(sysctls) is false)
        {
            return $"{path}.sysctls: expected a list of objects";
        }

        return null;
    }

    private static bool IsNull(DocNode node) => node is DocScalar { IsNull: true };

    private static bool? ListOfObjects(DocNode node) =>
        IsNull(node) ? null : node is DocSequence seq && seq.Items.All(i => i is DocMapping);

    private static bool NotBoolean(DocNode? node) =>
        node is not null && !IsNull(node) && (node is not DocScalar { IsPlain: true } s || s.Value is not ("true" or "false"));

    private static bool NotInteger(DocNode? node) =>
        node is not null && !IsNull(node) && (node is not DocScalar { IsPlain: true } s || s.AsInt64() is null);

    private static string Parent(string specPath) =>
        specPath.EndsWith(".spec", StringComparison.Ordinal) ? specPath[..^"spec".Length] : string.Empty;
}
