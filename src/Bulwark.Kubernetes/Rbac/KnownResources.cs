namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// What API discovery would tell a live tool: the API group of a built-in resource, whether it is
/// cluster-scoped, and the singular and short names kubectl accepts. RoleBindings never grant cluster-scoped
/// resources, so the scope decides which bindings the authorizer consults.
/// </summary>
public static class KnownResources
{
    public sealed record Resource(string Group, string Plural, bool ClusterScoped, string[] Aliases);

    private static readonly Resource[] Table =
    [
        // core
        new(string.Empty, "pods", false, ["pod", "po"]),
        new(string.Empty, "services", false, ["service", "svc"]),
        new(string.Empty, "secrets", false, ["secret"]),
        new(string.Empty, "configmaps", false, ["configmap", "cm"]),
        new(string.Empty, "serviceaccounts", false, ["serviceaccount", "sa"]),
        new(string.Empty, "endpoints", false, ["ep"]),
        new(string.Empty, "events", false, ["event", "ev"]),
        new(string.Empty, "limitranges", false, ["limitrange", "limits"]),
        new(string.Empty, "persistentvolumeclaims", false, ["persistentvolumeclaim", "pvc"]),
        new(string.Empty, "podtemplates", false, ["podtemplate"]),
        new(string.Empty, "replicationcontrollers", false, ["replicationcontroller", "rc"]),
        new(string.Empty, "resourcequotas", false, ["resourcequota", "quota"]),
        new(string.Empty, "bindings", false, ["binding"]),
        new(string.Empty, "nodes", true, ["node", "no"]),
        new(string.Empty, "namespaces", true, ["namespace", "ns"]),
        new(string.Empty, "persistentvolumes", true, ["persistentvolume", "pv"]),
        new(string.Empty, "componentstatuses", true, ["componentstatus", "cs"]),
        // Impersonation checks users and groups cluster-wide and service accounts in their namespace.
        new(string.Empty, "users", true, ["user"]),
        new(string.Empty, "groups", true, ["group"]),
        // apps, batch, autoscaling, policy
        new("apps", "deployments", false, ["deployment", "deploy"]),
        new("apps", "replicasets", false, ["replicaset", "rs"]),
        new("apps", "statefulsets", false, ["statefulset", "sts"]),
        new("apps", "daemonsets", false, ["daemonset", "ds"]),
        new("apps", "controllerrevisions", false, ["controllerrevision"]),
        new("batch", "jobs", false, ["job"]),
        new("batch", "cronjobs", false, ["cronjob", "cj"]),
        new("autoscaling", "horizontalpodautoscalers", false, ["horizontalpodautoscaler", "hpa"]),
        new("policy", "poddisruptionbudgets", false, ["poddisruptionbudget", "pdb"]),
        new("policy", "podsecuritypolicies", true, ["podsecuritypolicy", "psp"]),
        // rbac
        new("rbac.authorization.k8s.io", "roles", false, ["role"]),
        new("rbac.authorization.k8s.io", "rolebindings", false, ["rolebinding"]),
        new("rbac.authorization.k8s.io", "clusterroles", true, ["clusterrole"]),
        new("rbac.authorization.k8s.io", "clusterrolebindings", true, ["clusterrolebinding"]),
        // networking, discovery
        new("networking.k8s.io", "networkpolicies", false, ["networkpolicy", "netpol"]),
        new("networking.k8s.io", "ingresses", false, ["ingress", "ing"]),
        new("networking.k8s.io", "ingressclasses", true, ["ingressclass"]),
        new("networking.k8s.io", "ipaddresses", true, ["ipaddress"]),
        new("networking.k8s.io", "servicecidrs", true, ["servicecidr"]),
        new("discovery.k8s.io", "endpointslices", false, ["endpointslice"]),
        // storage
        new("storage.k8s.io", "storageclasses", true, ["storageclass", "sc"]),
        new("storage.k8s.io", "csidrivers", true, ["csidriver"]),
        new("storage.k8s.io", "csinodes", true, ["csinode"]),
        new("storage.k8s.io", "volumeattachments", true, ["volumeattachment"]),
        new("storage.k8s.io", "volumeattributesclasses", true, ["volumeattributesclass", "vac"]),
        new("storage.k8s.io", "csistoragecapacities", false, ["csistoragecapacity"]),
        // admission, certificates, API machinery
        new("admissionregistration.k8s.io", "mutatingwebhookconfigurations", true, ["mutatingwebhookconfiguration"]),
        new("admissionregistration.k8s.io", "validatingwebhookconfigurations", true, ["validatingwebhookconfiguration"]),
        new("admissionregistration.k8s.io", "validatingadmissionpolicies", true, ["validatingadmissionpolicy"]),
        new("admissionregistration.k8s.io", "validatingadmissionpolicybindings", true, ["validatingadmissionpolicybinding"]),
        new("admissionregistration.k8s.io", "mutatingadmissionpolicies", true, ["mutatingadmissionpolicy"]),
        new("admissionregistration.k8s.io", "mutatingadmissionpolicybindings", true, ["mutatingadmissionpolicybinding"]),
        new("certificates.k8s.io", "certificatesigningrequests", true, ["certificatesigningrequest", "csr"]),
        new("certificates.k8s.io", "signers", true, ["signer"]),
        new("certificates.k8s.io", "clustertrustbundles", true, ["clustertrustbundle"]),
        new("apiextensions.k8s.io", "customresourcedefinitions", true, ["customresourcedefinition", "crd", "crds"]),
        new("apiregistration.k8s.io", "apiservices", true, ["apiservice"]),
        new("scheduling.k8s.io", "priorityclasses", true, ["priorityclass", "pc"]),
        new("node.k8s.io", "runtimeclasses", true, ["runtimeclass"]),
        new("coordination.k8s.io", "leases", false, ["lease"]),
        new("flowcontrol.apiserver.k8s.io", "flowschemas", true, ["flowschema"]),
        new("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations", true, ["prioritylevelconfiguration"]),
        new("authentication.k8s.io", "tokenreviews", true, ["tokenreview"]),
        new("authentication.k8s.io", "selfsubjectreviews", true, ["selfsubjectreview"]),
        new("authentication.k8s.io", "uids", true, ["uid"]),
        new("authentication.k8s.io", "userextras", true, ["userextra"]),
        new("authorization.k8s.io", "subjectaccessreviews", true, ["subjectaccessreview"]),
        new("authorization.k8s.io", "selfsubjectaccessreviews", true, ["selfsubjectaccessreview"]),
        new("authorization.k8s.io", "selfsubjectrulesreviews", true, ["selfsubjectrulesreview"]),
        new("authorization.k8s.io", "localsubjectaccessreviews", false, ["localsubjectaccessreview"]),
        new("resource.k8s.io", "deviceclasses", true, ["deviceclass"]),
        new("resource.k8s.io", "resourceslices", true, ["resourceslice"]),
        new("resource.k8s.io", "resourceclaims", false, ["resourceclaim"]),
        new("resource.k8s.io", "resourceclaimtemplates", false, ["resourceclaimtemplate"]),
        new("internal.apiserver.k8s.io", "storageversions", true, ["storageversion"]),
        new("metrics.k8s.io", "pods", false, []),
        new("metrics.k8s.io", "nodes", true, []),
        // Gateway API (a CRD, but found in most clusters)
        new("gateway.networking.k8s.io", "gateways", false, ["gateway", "gtw"]),
        new("gateway.networking.k8s.io", "httproutes", false, ["httproute"]),
        new("gateway.networking.k8s.io", "grpcroutes", false, ["grpcroute"]),
        new("gateway.networking.k8s.io", "tlsroutes", false, ["tlsroute"]),
        new("gateway.networking.k8s.io", "tcproutes", false, ["tcproute"]),
        new("gateway.networking.k8s.io", "udproutes", false, ["udproute"]),
        new("gateway.networking.k8s.io", "referencegrants", false, ["referencegrant"]),
        new("gateway.networking.k8s.io", "gatewayclasses", true, ["gatewayclass", "gc"]),
        // OpenShift
        new("apps.openshift.io", "deploymentconfigs", false, ["deploymentconfig", "dc"]),
    ];

    private static readonly Dictionary<(string Group, string Plural), Resource> ByGroupAndPlural =
        Table.ToDictionary(r => (r.Group, r.Plural));

    private static readonly ILookup<string, Resource> ByName =
        Table.SelectMany(r => r.Aliases.Append(r.Plural).Select(a => (Name: a, Resource: r))).ToLookup(x => x.Name, x => x.Resource, StringComparer.Ordinal);

    /// <summary>True for a built-in cluster-scoped resource; unknown resources (custom resources) count as namespaced.</summary>
    public static bool IsClusterScoped(string group, string resource) =>
        ByGroupAndPlural.TryGetValue((group, resource), out var r) && r.ClusterScoped;

    /// <summary>
    /// Resolves a resource as kubectl does: <c>pods</c>, <c>pod</c>, <c>po</c>, or group-qualified
    /// <c>deployments.apps</c>. With no group given, the core group wins, then the only group that has the
    /// name. Null when the name is not a known resource (the caller then needs an explicit group).
    /// </summary>
    public static Resource? Find(string name, string? group)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lower = name.ToLowerInvariant();
        if (group is null && lower.Contains('.', StringComparison.Ordinal))
        {
            var dot = lower.IndexOf('.', StringComparison.Ordinal);
            if (Find(lower[..dot], lower[(dot + 1)..]) is { } qualified)
            {
                return qualified;
            }
        }

        var candidates = ByName[lower].Where(r => group is null || r.Group == group).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        return candidates.FirstOrDefault(r => r.Group.Length == 0) ?? candidates.FirstOrDefault(r => r.Group != "metrics.k8s.io") ?? candidates[0];
    }
}
