using System.Text.Json;
using Bulwark.Images.Sbom;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Sbom;

/// <summary>
/// The official purl test suite (package-url/purl-spec <c>tests/spec</c> and <c>tests/types</c>), read in place, every
/// case a theory case: <c>parse</c> (string to components), <c>build</c> (components to the canonical string) and
/// <c>validate</c> (string to its canonical form), including the cases expected to fail. Every category is run.
/// </summary>
public sealed class PackageUrlSuiteTests
{
    /// <summary>
    /// Cases the suite contradicts itself on, each with the sibling case we follow instead. The gem and rpm files
    /// expect parsing to fail on an upper-case qualifier key (<c>?Platform=java</c>, <c>?Arch=i386</c>), while their
    /// validate cases on the very same input expect it to parse and lowercase the key, and maven's parse cases expect
    /// <c>repositorY_url</c> to parse. No implementation can pass both; we lowercase keys, as ECMA-427's "keys are
    /// case-insensitive" reads. These cases still run: they assert our choice agrees with the validate sibling, and
    /// fail if the suite drops the contradiction.
    /// </summary>
    private static readonly Dictionary<(string File, string Input), string> Contradicted = new()
    {
        [("types/gem-test.json", "pkg:gem/jruby-launcher@1.1.2?Platform=java")] = "pkg:gem/jruby-launcher@1.1.2?platform=java",
        [("types/rpm-test.json", "pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25")] = "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25",
    };

    private static string SuiteFolder => RepositoryPaths.InShared("conformance", "sbom", "purl", "tests");

    public static IEnumerable<object[]> Cases()
    {
        foreach (var file in Directory.EnumerateFiles(SuiteFolder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(SuiteFolder, file).Replace('\\', '/');
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var index = 0;
            foreach (var test in document.RootElement.GetProperty("tests").EnumerateArray())
            {
                yield return [relative, index++, test.GetProperty("test_type").GetString()!, test.GetProperty("description").GetString()!];
            }
        }
    }

    [SharedDataTheory]
    [MemberData(nameof(Cases))]
    public void Purl_suite_case(string file, int index, string testType, string description)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SuiteFolder, file)));
        var test = document.RootElement.GetProperty("tests")[index];
        var input = test.GetProperty("input");
        var expectFailure = test.TryGetProperty("expected_failure", out var failure) && failure.GetBoolean();
        var expected = test.TryGetProperty("expected_output", out var output) ? output : default;
        var context = $"{file}#{index} ({description})";

        switch (testType)
        {
            case "parse" when Contradicted.TryGetValue((file, input.GetString()!), out var canonical):
                Assert.True(expectFailure, $"{context}: the suite no longer contradicts itself here; drop the exception");
                Assert.Contains(Siblings(document, "validate"), s => s.Input == input.GetString() && s.Expected == canonical);
                Assert.Equal(canonical, PackageUrl.Parse(input.GetString()!).ToString());
                break;
            case "parse" when expectFailure:
                Assert.Throws<FormatException>(() => PackageUrl.Parse(input.GetString()!));
                break;
            case "parse":
                AssertComponents(expected, PackageUrl.Parse(input.GetString()!), context);
                break;
            case "build" when expectFailure:
                Assert.ThrowsAny<ArgumentException>(() => Build(input));
                break;
            case "build":
                Assert.Equal(expected.GetString(), Build(input).ToString());
                break;
            case "validate" when expectFailure:
                Assert.Throws<FormatException>(() => PackageUrl.Parse(input.GetString()!));
                break;
            case "validate":
                var parsed = PackageUrl.Parse(input.GetString()!);
                Assert.Equal(expected.GetString(), parsed.ToString());
                Assert.Equal(parsed, PackageUrl.Parse(parsed.ToString()));
                break;
            default:
                Assert.Fail($"{context}: unknown test_type \"{testType}\"");
                break;
        }
    }

    [SharedDataFact]
    public void The_suite_is_all_there()
    {
        var cases = Cases().ToList();

        // Guards against a data source that silently finds nothing (a moved folder would otherwise pass vacuously).
        Assert.True(cases.Count >= 200, $"only {cases.Count} purl suite cases found under {SuiteFolder}");
        Assert.Equal(["build", "parse", "validate"], cases.Select(c => (string)c[2]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(cases, c => (string)c[0] == "spec/specification-test.json");
    }

    private static IEnumerable<(string? Input, string? Expected)> Siblings(JsonDocument document, string testType) =>
        document.RootElement.GetProperty("tests").EnumerateArray()
            .Where(t => t.GetProperty("test_type").GetString() == testType)
            .Select(t => (t.GetProperty("input").GetString(), t.TryGetProperty("expected_output", out var o) ? o.GetString() : null));

    private static PackageUrl Build(JsonElement input) => new(
        Text(input, "type")!,
        Text(input, "namespace"),
        Text(input, "name")!,
        Text(input, "version"),
        input.TryGetProperty("qualifiers", out var qualifiers) && qualifiers.ValueKind == JsonValueKind.Object
            ? qualifiers.EnumerateObject().Select(q => new KeyValuePair<string, string?>(q.Name, q.Value.GetString())).ToList()
            : null,
        Text(input, "subpath"));

    private static void AssertComponents(JsonElement expected, PackageUrl actual, string context)
    {
        Assert.True(expected.ValueKind == JsonValueKind.Object, $"{context}: no expected components");
        Assert.Equal(Text(expected, "type"), actual.Type);
        Assert.Equal(Text(expected, "namespace"), actual.Namespace);
        Assert.Equal(Text(expected, "name"), actual.Name);
        Assert.Equal(Text(expected, "version"), actual.Version);
        Assert.Equal(Text(expected, "subpath"), actual.Subpath);
        var qualifiers = expected.TryGetProperty("qualifiers", out var q) && q.ValueKind == JsonValueKind.Object
            ? q.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];
        Assert.Equal(qualifiers.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Qualifiers);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
