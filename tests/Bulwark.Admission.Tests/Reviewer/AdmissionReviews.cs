using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Parsing.Documents;
using Xunit;

namespace Bulwark.Admission.Tests.Reviewer;

/// <summary>Builds AdmissionReview request bodies as the API server sends them, from manifests written as YAML or JSON.</summary>
internal static class AdmissionReviews
{
    /// <summary>A manifest (YAML or JSON, one document) as a JSON node, scalars typed as a YAML 1.2 core schema reader types them.</summary>
    public static JsonNode? Manifest(string text)
    {
        var file = SourceFile.Parse("manifest.yaml", Encoding.UTF8.GetBytes(text), DocumentLimits.Default, json: null);
        Assert.Empty(file.Errors);
        return ToJson(file.Documents.Single(d => d.Root is not null).Root);
    }

    public static JsonNode? ToJson(DocNode? node) => node switch
    {
        null => null,
        DocMapping map => new JsonObject(map.Entries.Select(e => KeyValuePair.Create(e.KeyText!, ToJson(e.Value)))),
        DocSequence seq => new JsonArray([.. seq.Items.Select(ToJson)]),
        DocScalar { IsNull: true } => null,
        DocScalar { IsPlain: true } s when s.Value is "true" or "false" => JsonValue.Create(s.Value == "true"),
        DocScalar { IsPlain: true } s when long.TryParse(s.Value, out var n) => JsonValue.Create(n),
        DocScalar s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    /// <summary>A v1 AdmissionReview around <paramref name="obj"/>.</summary>
    public static byte[] Review(
        JsonNode? obj,
        string operation = "CREATE",
        string? resource = null,
        string? group = null,
        string? subResource = null,
        JsonNode? oldObject = null,
        string user = "jane@example.com",
        string? ns = null,
        string uid = "705ab4f5-6393-11e8-b7cc-42010a800002",
        bool dryRun = false)
    {
        var kind = obj?["kind"]?.GetValue<string>() ?? "Pod";
        var apiVersion = obj?["apiVersion"]?.GetValue<string>() ?? "v1";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        group ??= slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        resource ??= kind.ToLowerInvariant() + "s";
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind },
            ["resource"] = new JsonObject { ["group"] = group, ["version"] = version, ["resource"] = resource },
            ["name"] = obj?["metadata"]?["name"]?.GetValue<string>() ?? string.Empty,
            ["namespace"] = ns ?? obj?["metadata"]?["namespace"]?.GetValue<string>() ?? "default",
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = user, ["groups"] = new JsonArray("system:authenticated") },
            ["object"] = obj?.DeepClone(),
            ["oldObject"] = oldObject?.DeepClone(),
            ["dryRun"] = dryRun,
        };
        if (subResource is not null)
        {
            request["subResource"] = subResource;
        }

        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = request,
        }.ToJsonString());
    }

    /// <summary>The <c>response</c> member of an AdmissionReview body.</summary>
    public static JsonObject Response(AdmissionOutcome outcome)
    {
        Assert.Equal(200, outcome.StatusCode);
        var review = JsonNode.Parse(outcome.Body)!.AsObject();
        Assert.Equal("admission.k8s.io/v1", review["apiVersion"]!.GetValue<string>());
        Assert.Equal("AdmissionReview", review["kind"]!.GetValue<string>());
        return review["response"]!.AsObject();
    }

    public static bool Allowed(JsonObject response) => response["allowed"]!.GetValue<bool>();

    public static string? Message(JsonObject response) => response["status"]?["message"]?.GetValue<string>();

    public static List<string> Warnings(JsonObject response) =>
        response["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToList() ?? [];

    public static string? Annotation(JsonObject response, string key) => response["auditAnnotations"]?[key]?.GetValue<string>();

    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };
}
