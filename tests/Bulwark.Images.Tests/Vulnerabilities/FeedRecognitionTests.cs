using System.Text.RegularExpressions;
using Bulwark.Images.Vulnerabilities;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>
/// The importer offers every file to each format: each of the three must claim its own feed's files and nothing else
/// in the shared vulnerability data (OSV JSON and YAML of Go, PyPA, RustSec, RubySec, the OSV linter's samples,
/// grype's fixtures).
/// </summary>
public sealed partial class FeedRecognitionTests
{
    private static readonly IAdvisoryFormat[] Formats = [new DebianTrackerFormat(), new AlpineSecdbFormat(), new NodeSecurityWgFormat()];

    [GeneratedRegex(@"\Anodejs-security-wg-npm/vuln/npm/[0-9]+\.json\z")]
    private static partial Regex NodeAdvisory();

    private static string? Owner(string file) => file switch
    {
        "debian-tracker/tracker-json-sample.json" => "debian-tracker",
        _ when file.StartsWith("alpine-secdb/", StringComparison.Ordinal) && file.EndsWith(".yaml", StringComparison.Ordinal) => "alpine-secdb",
        _ when file.StartsWith("alpine-secdb-json-samples/", StringComparison.Ordinal) && file.EndsWith(".json", StringComparison.Ordinal) => "alpine-secdb",
        _ when NodeAdvisory().IsMatch(file) => "nodejs-security-wg",
        _ => null,
    };

    [SharedDataFact]
    public void EachFormatClaimsExactlyItsOwnFilesOfTheSharedData()
    {
        var root = FeedReading.VulnData();
        var wrong = new List<string>();
        var claimed = 0;
        var files = 0;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            files++;
            var file = Path.GetRelativePath(root, path).Replace('\\', '/');
            var claims = Formats.Where(format => FeedReading.Recognizes(format, path)).Select(format => format.Name).ToList();
            claimed += claims.Count;
            var expected = Owner(file) is { } owner ? new[] { owner } : [];
            if (!claims.SequenceEqual(expected))
            {
                wrong.Add($"{file}: claimed by [{string.Join(", ", claims)}], expected [{string.Join(", ", expected)}]");
            }
        }

        Assert.Empty(wrong);
        Assert.True(files > 9000, $"only {files} files under {root}");
        Assert.Equal(1 + 18 + 3 + 467, claimed);
    }

    [Theory]
    [InlineData("osv.json", """{"schema_version": "1.6.0", "id": "GO-2022-0969", "modified": "2024-05-20T16:03:47Z", "aliases": ["CVE-2022-27664"], "affected": [{"package": {"ecosystem": "Go", "name": "stdlib"}}]}""")]
    [InlineData("osv.json", """{"id": "DSA-5000-1", "affected": [{"package": {"ecosystem": "Debian:11", "name": "openssl"}}]}""")]
    [InlineData("notes.json", """{"openssl": ["CVE-2024-0727"]}""")]
    [InlineData("map.json", """{"openssl": {"bookworm": {"status": "resolved"}}}""")]
    [InlineData("list.json", """[{"id": 1, "module_name": "a"}]""")]
    [InlineData("main.yaml", "id: PYSEC-2021-1\npackage:\n  name: django\n")]
    [InlineData("main.txt", "distroversion: v3.11\n")]
    [InlineData("index.json", """{"1": {"id": 1, "module_name": "bassmaster"}}""")]
    [InlineData("empty.json", "")]
    [InlineData("binary.json", "\0\u0001\u0002")]
    [InlineData("cut.json", "{\"ope")]
    public void NoFormatClaimsOtherFiles(string fileName, string text) =>
        Assert.DoesNotContain(Formats, format => FeedReading.RecognizesText(format, fileName, text));

    [Theory]
    [InlineData("json", """{"openssl": {"CVE-2024-0727": {"scope": "local", "releases": {}}}}""", "debian-tracker")]
    [InlineData("debian.json", "\uFEFF {\n  \"0ad\" : {\n    \"TEMP-0000000-8A8B5C\" : {", "debian-tracker")]
    [InlineData("main.json", """{"apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk", "archs": ["x86_64"]}""", "alpine-secdb")]
    [InlineData("main.yml", "---\ndistroversion: v3.19\nreponame: main\n", "alpine-secdb")]
    [InlineData("openssl.json", """{"name": "openssl", "secfixes": {"1.1.1d-r3": ["CVE-2019-1551"]}}""", "alpine-secdb")]
    [InlineData("12.json", """{"id": 12, "title": "a title", "overview": "long", "created_at": "2015-10-17"}""", "nodejs-security-wg")]
    [InlineData("advisory.json", """{"id": 12, "title": "a title", "module_name": "qs"}""", "nodejs-security-wg")]
    public void EachFormatClaimsItsOwnWrittenHeads(string fileName, string text, string owner) =>
        Assert.Equal([owner], Formats.Where(format => FeedReading.RecognizesText(format, fileName, text)).Select(format => format.Name));
}
