using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Scanning;
using Bulwark.TestSupport;

namespace Bulwark.Reporting.Tests;

/// <summary>Scans and hand-made findings that exercise every part of a report.</summary>
public static class ReportFixtures
{
    /// <summary>A fixed base directory so that reports do not depend on where the tests run.</summary>
    public static string BaseDirectory { get; } = Path.Combine(Path.GetTempPath(), "bulwark-report-tests");

    public const string AppFile = "manifests/app.yaml";

    public const string BrokenFile = "manifests/broken.yaml";

    public const string WholeFile = "dir with space/ünïcode #1.yaml";

    /// <summary>Two privileged containers in a Deployment, one of them suppressed inline, and a privileged Pod.</summary>
    public const string AppYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: nginx:1.27
                  securityContext:
                    privileged: true
                - name: sidecar
                  image: busybox:1.36
                  securityContext:
                    # bulwark:ignore privileged-container debugging the node until the fix ships
                    privileged: true
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
        spec:
          containers:
            - name: shell
              image: busybox:1.36
              securityContext:
                privileged: true
        """;

    public const string BrokenYaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: [unclosed
        """;

    /// <summary>A rule that did not run in the scan (so it is missing from <see cref="ScanResult.Rules"/>).</summary>
    public static RuleDescriptor ExtraRule(string id = "BW9901", Severity severity = Severity.Medium) => new()
    {
        Id = id,
        Slug = "test-whole-file_rule",
        Title = "A rule that reports on a whole file",
        Severity = severity,
        Category = "Testing",
        Sources = [SourceKind.Kubernetes],
        Rationale = """
            Some problems belong to a file
            rather than to one line of it.
            """,
        Remediation = "Fix the file.",
        References = [new("Test Standard", "1.2.3", "https://example.org/1.2.3"), new("Other", "A")],
    };

    public static ScanResult Scan(string appYaml = AppYaml, bool withBroken = true)
    {
        var files = new List<Parsing.Documents.SourceFile> { TestScans.Parse(appYaml, AppFile) };
        if (withBroken)
        {
            files.Add(TestScans.Parse(BrokenYaml, BrokenFile));
        }

        return new ScanEngine().Scan(files, new ScanOptions { Paths = [], OnlyRules = ["privileged-container"] });
    }

    /// <summary>The scan plus a whole-file finding (line 0) of a rule that did not run, and a finding suppressed by config.</summary>
    public static ScanResult FullScan()
    {
        var result = Scan();
        result.Findings.Add(new Finding
        {
            Rule = ExtraRule(),
            Severity = Severity.Medium,
            Message = "The whole file is wrong.",
            Location = SourceLocation.WholeFile(WholeFile),
        });
        result.Findings.Add(new Finding
        {
            Rule = result.Rules[0],
            Severity = Severity.Low,
            Message = "Configured away.",
            Location = new SourceLocation(Path.Combine(BaseDirectory, "abs", "other.yaml"), 3, 5),
            Object = new ObjectReference("v1", "Pod", null, "other"),
            Container = "c",
            Suppression = new Suppression("config", "bulwark.yaml:7", "accepted risk"),
        });
        result.Warnings.Add(new InputWarning(new SourceLocation(AppFile, 3, 9), "NetworkPolicy shop/bad", "spec.podSelector: invalid; the policy is ignored"));
        result.Warnings.Add(new InputWarning(default, "Namespace shop", "defined more than once; the first definition is used"));
        return result;
    }

    public static string Render(IReportWriter writer, ScanResult result, bool showSuppressed = true)
    {
        using var stream = new MemoryStream();
        writer.Write(result, new ReportOptions { ShowSuppressed = showSuppressed, BaseDirectory = BaseDirectory, ToolVersion = "1.2.3" }, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
