using Bulwark.Parsing.Documents;

namespace Bulwark.Admission;

/// <summary>
/// The fields of an <c>admission.k8s.io/v1</c> AdmissionRequest the webhook reads, from the request's document
/// tree. Object and old object stay trees: rules read them as they read a manifest.
/// </summary>
internal sealed record AdmissionRequest
{
    public required string Uid { get; init; }

    public required string Operation { get; init; }

    /// <summary>The object's kind: group (empty for the core group), version and kind.</summary>
    public string Group { get; init; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    /// <summary>The resource requested (plural, lower case, e.g. <c>pods</c>) and its group.</summary>
    public string Resource { get; init; } = string.Empty;

    public string ResourceGroup { get; init; } = string.Empty;

    public string SubResource { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string Namespace { get; init; } = string.Empty;

    public string UserName { get; init; } = string.Empty;

    public DocNode? Object { get; init; }

    public DocNode? OldObject { get; init; }

    public bool DryRun { get; init; }

    /// <summary><c>group/version/Kind</c>, or <c>version/Kind</c> for the core group, as logs and metrics name kinds.</summary>
    public string KindLabel => Kind.Length == 0 ? string.Empty : Group.Length == 0 ? $"{Version}/{Kind}" : $"{Group}/{Version}/{Kind}";

    /// <summary>The API version of the object as a manifest writes it.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The resource as the API server names it in messages: <c>pods</c>, <c>deployments.apps</c>.</summary>
    public string GroupResource => ResourceGroup.Length == 0 ? Resource : $"{Resource}.{ResourceGroup}";

    /// <summary>
    /// Reads the request out of an AdmissionReview's root, or says in one line why it is not one. A request
    /// without <c>resource</c> (hand-written, as some policy test suites send) takes it from the kind of a built-in
    /// object, so it is judged as the API server would have sent it.
    /// </summary>
    public static AdmissionRequest? From(DocNode? root, out string? problem)
    {
        if (root is not DocMapping review)
        {
            problem = "the body is not a JSON object (expected an AdmissionReview)";
            return null;
        }

        var apiVersion = review.String("apiVersion");
        var kind = review.String("kind");
        if (kind != "AdmissionReview")
        {
            problem = kind is null ? "no kind: expected kind AdmissionReview" : $"kind is \"{kind}\", expected AdmissionReview";
            return null;
        }

        if (apiVersion != "admission.k8s.io/v1")
        {
            problem = apiVersion is null
                ? "no apiVersion: expected admission.k8s.io/v1"
                : $"apiVersion \"{apiVersion}\" is not served: only admission.k8s.io/v1 is (list only v1 in the webhook's admissionReviewVersions)";
            return null;
        }

        if (review["request"] is not DocMapping request)
        {
            problem = "no request object in the AdmissionReview";
            return null;
        }

        var uid = request.String("uid");
        if (string.IsNullOrEmpty(uid))
        {
            problem = "request.uid is missing: the response must echo it";
            return null;
        }

        var operation = request.String("operation");
        if (operation is not ("CREATE" or "UPDATE" or "DELETE" or "CONNECT"))
        {
            problem = operation is null ? "request.operation is missing" : $"request.operation \"{operation}\" is not CREATE, UPDATE, DELETE or CONNECT";
            return null;
        }

        var kindNode = request.Mapping("kind");
        var resourceNode = request.Mapping("resource");
        var objectKind = kindNode.String("kind") ?? string.Empty;
        var group = kindNode.String("group") ?? string.Empty;
        var resource = resourceNode.String("resource");
        var resourceGroup = resourceNode.String("group") ?? group;
        if (resource is null && BuiltInResources.TryGetValue(objectKind, out var known))
        {
            (resource, resourceGroup) = known;
            group = kindNode.String("group") ?? known.Group;
        }

        problem = null;
        return new AdmissionRequest
        {
            Uid = uid,
            Operation = operation,
            Group = group,
            Version = kindNode.String("version") ?? string.Empty,
            Kind = objectKind,
            Resource = resource ?? string.Empty,
            ResourceGroup = resourceGroup,
            SubResource = request.String("subResource") ?? string.Empty,
            Name = request.String("name") ?? string.Empty,
            Namespace = request.String("namespace") ?? string.Empty,
            UserName = request.Mapping("userInfo").String("username") ?? string.Empty,
            Object = request["object"] is DocScalar { IsNull: true } ? null : request["object"],
            OldObject = request["oldObject"] is DocScalar { IsNull: true } ? null : request["oldObject"],
            DryRun = request.Scalar("dryRun")?.AsBool() == true,
        };
    }

    /// <summary>The resources of the built-in kinds Pod Security admission and Bulwark's rules judge.</summary>
    private static readonly Dictionary<string, (string Resource, string Group)> BuiltInResources = new(StringComparer.Ordinal)
    {
        ["Pod"] = ("pods", string.Empty),
        ["PodTemplate"] = ("podtemplates", string.Empty),
        ["ReplicationController"] = ("replicationcontrollers", string.Empty),
        ["Namespace"] = ("namespaces", string.Empty),
        ["Deployment"] = ("deployments", "apps"),
        ["ReplicaSet"] = ("replicasets", "apps"),
        ["StatefulSet"] = ("statefulsets", "apps"),
        ["DaemonSet"] = ("daemonsets", "apps"),
        ["Job"] = ("jobs", "batch"),
        ["CronJob"] = ("cronjobs", "batch"),
    };
}
