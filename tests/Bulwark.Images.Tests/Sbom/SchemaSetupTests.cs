using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Sbom;

/// <summary>
/// The schema validation the writer tests rely on, proved both ways: the specifications' own examples pass, and
/// documents broken in ways only a working setup catches (a bad enum, a pattern, a date-time format, a licence id
/// only the referenced SPDX list schema knows) fail.
/// </summary>
public sealed class SchemaSetupTests
{
    public static IEnumerable<object[]> CycloneDxExamples() =>
        Directory.EnumerateFiles(SbomSchemas.InCycloneDx("examples-1.6"), "*.json").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [SharedDataTheory]
    [MemberData(nameof(CycloneDxExamples))]
    public void The_CycloneDX_specification_examples_validate(string example)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(SbomSchemas.InCycloneDx(Path.Combine("examples-1.6", example))));
        Assert.Empty(SbomSchemas.CycloneDxErrors(document.RootElement));
    }

    [SharedDataFact]
    public void The_SPDX_specification_example_validates()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.InShared("conformance", "sbom", "spdx-2.3", "SPDXJSONExample-v2.3.spdx.json")));
        Assert.Empty(SbomSchemas.SpdxErrors(document.RootElement));
    }

    private const string ValidBom = """
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
         "metadata": {"timestamp": "2026-12-03T10:00:00Z"},
         "components": [{"type": "library", "name": "zlib", "version": "1.3", "licenses": [{"license": {"id": "Zlib"}}]}]}
        """;

    [SharedDataTheory]
    [InlineData("none", null, null)]
    [InlineData("component type", """{"components": [{"type": "gadget", "name": "zlib"}]}""", "enum")]
    [InlineData("serial number pattern", """{"serialNumber": "3e671687"}""", "pattern")]
    [InlineData("date-time format", """{"metadata": {"timestamp": "yesterday"}}""", "format")]
    [InlineData("licence id from the referenced SPDX schema", """{"components": [{"type": "library", "name": "zlib", "licenses": [{"license": {"id": "Not-A-Licence"}}]}]}""", "enum")]
    [InlineData("missing bomFormat", """{"bomFormat": null}""", "required")]
    public void A_broken_CycloneDX_document_fails(string broken, string? patch, string? keyword)
    {
        var errors = SbomSchemas.CycloneDxErrors(Patched(ValidBom, patch));
        if (patch is null)
        {
            Assert.Empty(errors); // the document the others break is valid as it is
        }
        else
        {
            // Failing is not enough: it must fail for the reason broken in, not for a schema that did not load.
            Assert.True(errors.Any(e => e.Contains($": {keyword}: ", StringComparison.Ordinal)), $"{broken}: no \"{keyword}\" error in: {string.Join("; ", errors)}");
        }
    }

    private const string ValidSpdx = """
        {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "x",
         "documentNamespace": "https://example.invalid/x-1", "creationInfo": {"created": "2026-12-03T10:00:00Z", "creators": ["Tool: t-1"]},
         "packages": [{"SPDXID": "SPDXRef-P", "name": "zlib", "downloadLocation": "NOASSERTION", "primaryPackagePurpose": "LIBRARY"}],
         "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-P"}]}
        """;

    [SharedDataTheory]
    [InlineData("none", null, null)]
    [InlineData("missing SPDXID", """{"SPDXID": null}""", "required")]
    [InlineData("relationship type", """{"relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "OWNS", "relatedSpdxElement": "SPDXRef-P"}]}""", "enum")]
    [InlineData("package purpose", """{"packages": [{"SPDXID": "SPDXRef-P", "name": "zlib", "downloadLocation": "NOASSERTION", "primaryPackagePurpose": "GADGET"}]}""", "enum")]
    [InlineData("package without downloadLocation", """{"packages": [{"SPDXID": "SPDXRef-P", "name": "zlib"}]}""", "required")]
    public void A_broken_SPDX_document_fails(string broken, string? patch, string? keyword)
    {
        var errors = SbomSchemas.SpdxErrors(Patched(ValidSpdx, patch));
        if (patch is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            // Failing is not enough: it must fail for the reason broken in, not for a schema that did not load.
            Assert.True(errors.Any(e => e.Contains($": {keyword}: ", StringComparison.Ordinal)), $"{broken}: no \"{keyword}\" error in: {string.Join("; ", errors)}");
        }
    }

    /// <summary>The document with the patch's top-level members replaced (merged one level into objects; null removes).</summary>
    private static JsonElement Patched(string document, string? patch)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        foreach (var (name, value) in patch is null ? [] : JsonNode.Parse(patch)!.AsObject().ToList())
        {
            if (value is null)
            {
                root.Remove(name);
            }
            else if (value is JsonObject inner && root[name] is JsonObject existing)
            {
                foreach (var (innerName, innerValue) in inner.ToList())
                {
                    existing[innerName] = innerValue?.DeepClone();
                }
            }
            else
            {
                root[name] = value.DeepClone();
            }
        }

        return JsonSerializer.SerializeToElement(root);
    }
}
