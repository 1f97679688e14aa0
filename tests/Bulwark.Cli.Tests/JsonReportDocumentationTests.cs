using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>
/// docs/json-report.md against the report itself: the fields its table documents are exactly the fields a scan that
/// uses every one of them emits, its example has no field the table lacks, and its table of objects names the kind
/// every source gives. A field added to the writer, or removed from it, fails here until the page says so.
/// </summary>
public sealed partial class JsonReportDocumentationTests
{
    private static readonly string Page = File.ReadAllText(RepositoryPaths.InRepo("docs", "json-report.md"));

    [Fact]
    public void The_page_documents_every_field_the_report_has_and_no_other()
    {
        var emitted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var report in ReportsUsingEveryField())
        {
            Paths(report, string.Empty, emitted);
        }

        // The severity counts are one documented field; its keys are the severity names, each of which the row names.
        var bySeverity = emitted.Where(p => p.StartsWith("summary.bySeverity.", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enum.GetValues<Severity>().Select(s => "summary.bySeverity." + s.ToName()).Order(StringComparer.Ordinal), bySeverity.Order(StringComparer.Ordinal));
        emitted.ExceptWith(bySeverity);
        var bySeverityRow = FieldRows()["summary.bySeverity"];
        Assert.All(Enum.GetValues<Severity>(), s => Assert.Contains($"`{s.ToName()}`", bySeverityRow, StringComparison.Ordinal));

        var documented = FieldRows().Keys.ToHashSet(StringComparer.Ordinal);
        var undocumented = emitted.Except(documented).ToList();
        var notEmitted = documented.Except(emitted).ToList();
        Assert.True(undocumented.Count == 0, "fields the report has that docs/json-report.md does not document: " + string.Join(", ", undocumented));
        Assert.True(notEmitted.Count == 0, "fields docs/json-report.md documents that the report does not have: " + string.Join(", ", notEmitted));
    }

    [Fact]
    public void The_pages_example_has_only_documented_fields()
    {
        var example = ExampleJson().Match(Page);
        Assert.True(example.Success, "docs/json-report.md has a ```json example");
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Paths(JsonDocument.Parse(example.Groups[1].Value).RootElement, string.Empty, paths);
        var documented = FieldRows().Keys.ToHashSet(StringComparer.Ordinal);
        var unknown = paths.Where(p => !documented.Contains(p) && !p.StartsWith("summary.bySeverity.", StringComparison.Ordinal)).ToList();
        Assert.True(unknown.Count == 0, "the example shows undocumented fields: " + string.Join(", ", unknown));
        Assert.Contains("findings[].suppression.reason", paths);
        Assert.Contains("warnings[].subject", paths);
    }

    [Fact]
    public void The_object_table_names_the_kind_each_source_gives()
    {
        using var tree = new TempTree();
        tree.Write("inspect.json", """
            [{"Id": "4f1c2d", "Name": "/admin", "Config": {"Image": "nginx:latest", "User": ""}, "HostConfig": {"Privileged": true}}]
            """);
        tree.Write("seccomp.json", """
            {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}
            """);
        var inputs = new[] { tree.Root, RepositoryPaths.InRepo("examples") };
        var kinds = Findings(Scan([.. inputs]))
            .Where(f => f.GetProperty("object").GetProperty("apiVersion").ValueKind == JsonValueKind.Null)
            .Select(f => f.GetProperty("object").GetProperty("kind").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["Dockerfile", "SeccompProfile", "container", "service"], kinds.Order(StringComparer.Ordinal));

        var objectTable = Page[Page.IndexOf("## The `object` of each source", StringComparison.Ordinal)..];
        Assert.All(kinds, kind => Assert.Contains($"| `{kind}` |", objectTable, StringComparison.Ordinal));
    }

    /// <summary>
    /// Reports that between them hold every field: the examples (every source kind), and a folder with a suppressed
    /// finding that also violates a Pod Security check, a NetworkPolicy the API server would reject (a warning) and a
    /// file that is not YAML (an error).
    /// </summary>
    private static List<JsonElement> ReportsUsingEveryField()
    {
        using var tree = new TempTree();
        tree.Write("debug.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug
              namespace: ops
            spec:
              containers:
                - name: shell
                  image: busybox:1.36.1
                  securityContext:
                    # bulwark:ignore privileged-container break-glass pod
                    privileged: true
            """);
        tree.Write("netpol.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-web
              namespace: ops
            spec:
              podSelector: {}
              egress:
                - to:
                    - ipBlock: {cidr: 10.0.0.0/33}
            """);
        tree.Write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n");
        // A vulnerability database with one advisory for the example image's left-pad, and that image's SBOM.
        tree.Write("advisory.json", """
            {"id": "TEST-2026-0001", "modified": "2026-11-01T00:00:00Z", "aliases": ["CVE-2099-0001"], "summary": "A test advisory",
             "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
             "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "9.0.0"}]}]}],
             "references": [{"type": "ADVISORY", "url": "https://example.com/TEST-2026-0001"}]}
            """);
        var db = Path.Combine(tree.Root, "vulnerabilities.db");
        Assert.Equal(0, CliRunner.Run("db", "import", Path.Combine(tree.Root, "advisory.json"), "--db", db).ExitCode);
        var rootfs = "dir:" + RepositoryPaths.InRepo("examples", "image", "rootfs");
        var sbom = Path.Combine(tree.Root, "sbom.cdx.json");
        Assert.Equal(0, CliRunner.Run("image", rootfs, "--format", "cyclonedx", "--no-cache", "--output", sbom).ExitCode);
        var reports = new List<JsonElement>
        {
            Scan(tree.Root, "--show-suppressed", "--pss", "restricted"),
            Scan(RepositoryPaths.InRepo("examples")),
            Image(rootfs),
            Image(rootfs, "--db", db),
            JsonDocument.Parse(CliRunner.Run("sbom", sbom, "--db", db, "--format", "json").Out).RootElement.Clone(),
        };
        Assert.Contains(reports[3].GetProperty("findings").EnumerateArray(), f => f.TryGetProperty("vulnerability", out _));
        var first = reports[0];
        Assert.NotEqual(0, first.GetProperty("errors").GetArrayLength());
        Assert.NotEqual(0, first.GetProperty("warnings").GetArrayLength());
        return reports;
    }

    private static JsonElement Scan(params string[] args)
    {
        var paths = args.TakeWhile(a => !a.StartsWith('-'));
        var options = args.SkipWhile(a => !a.StartsWith('-'));
        var result = CliRunner.Run(["scan", .. paths, "--format", "json", .. options]);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    private static JsonElement Image(string source, params string[] options) =>
        JsonDocument.Parse(CliRunner.Run(["image", source, "--format", "json", "--no-cache", .. options]).Out).RootElement.Clone();

    private static List<JsonElement> Findings(JsonElement report) => [.. report.GetProperty("findings").EnumerateArray()];

    /// <summary>Every property as a path: <c>findings[].object.kind</c>.</summary>
    private static void Paths(JsonElement element, string prefix, ISet<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
                    into.Add(path);
                    Paths(property.Value, path, into);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Paths(item, prefix + "[]", into);
                }

                break;
        }
    }

    /// <summary>The rows of the page's Fields table, by the field path in their first cell.</summary>
    private static Dictionary<string, string> FieldRows()
    {
        var section = Page[Page.IndexOf("## Fields", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in FieldRow().Matches(section))
        {
            Assert.True(rows.TryAdd(row.Groups[1].Value, row.Groups[2].Value), $"{row.Groups[1].Value} is documented twice");
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    [GeneratedRegex(@"^\| `([A-Za-z\[\].]+)` \| (.*) \|$", RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FieldRow();

    [GeneratedRegex(@"```json\n(.*?)\n```", RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExampleJson();
}
