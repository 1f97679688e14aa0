using System.Text.Json;
using Bulwark.TestSupport;
using Json.Schema;

namespace Bulwark.Images.Tests.Sbom;

/// <summary>
/// The CycloneDX 1.6 (draft-07, with the SPDX licence list and JSF schemas it refers to by relative name) and SPDX 2.3
/// (draft 2019-09) JSON schemas, read in place from the shared conformance folder. Each gets a registry of its own
/// with no fetcher, so a reference that does not resolve to a schema read here fails instead of reaching the network,
/// and <c>format</c> is asserted, not just annotated (draft-07 and 2019-09 only annotate it by default).
/// </summary>
internal static class SbomSchemas
{
    private static readonly Lazy<JsonSchema> CycloneDxSchema = new(() =>
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema.FromFile(InCycloneDx("spdx.schema.json"), options);
        JsonSchema.FromFile(InCycloneDx("jsf-0.82.schema.json"), options);
        return JsonSchema.FromFile(InCycloneDx("bom-1.6.schema.json"), options);
    });

    private static readonly Lazy<JsonSchema> SpdxSchema = new(() =>
        JsonSchema.FromFile(RepositoryPaths.InShared("conformance", "sbom", "spdx-2.3", "spdx-schema.json"), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static string InCycloneDx(string name) => RepositoryPaths.InShared("conformance", "sbom", "cyclonedx", name);

    /// <summary>The schema errors of a CycloneDX document, one line each; empty when it is valid.</summary>
    public static IReadOnlyList<string> CycloneDxErrors(JsonElement document) => Errors(CycloneDxSchema.Value.Evaluate(document, Evaluation));

    public static IReadOnlyList<string> SpdxErrors(JsonElement document) => Errors(SpdxSchema.Value.Evaluate(document, Evaluation));

    private static List<string> Errors(EvaluationResults results)
    {
        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .ToList();

        // An invalid result must always say why; an empty list here would read as "valid" to the caller.
        return errors.Count > 0 ? errors : ["invalid, without details"];
    }
}
