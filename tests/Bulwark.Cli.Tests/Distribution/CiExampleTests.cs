using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Bulwark.Parsing.Documents;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests.Distribution;

/// <summary>
/// The CI examples in docs/ci are documentation nobody runs here: read them with Bulwark's own YAML reader, check the
/// steps a user relies on are there, and run their <c>bulwark scan</c> command line through the CLI on the examples,
/// so the report they publish is the one the scan writes.
/// </summary>
public sealed class CiExampleTests
{
    private static readonly string ReleasedVersion =
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    [Fact]
    public void GitHub_workflow_installs_bulwark_scans_and_uploads_the_sarif_report_to_code_scanning()
    {
        var workflow = Load("github-actions.yml");
        Assert.NotNull(workflow.Mapping("on")?.Entry("pull_request"));
        var job = workflow.At("jobs.scan");
        Assert.Equal("write", job.Mapping("permissions").String("security-events"));

        var steps = job.MappingsOf("steps").ToList();
        Assert.Contains(steps, s => s.String("uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true);
        var setup = Assert.Single(steps, s => s.String("uses")?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true);
        Assert.StartsWith("10.", setup.Mapping("with").String("dotnet-version"), StringComparison.Ordinal);

        var install = Assert.Single(steps, s => s.String("run")?.Contains("dotnet tool install", StringComparison.Ordinal) == true);
        Assert.Contains($"dotnet tool install --global bulwark --version {ReleasedVersion}\n", install.String("run"), StringComparison.Ordinal);

        var scan = Assert.Single(steps, s => s.String("run")?.StartsWith("bulwark scan", StringComparison.Ordinal) == true);
        var report = RunDocumentedScan(scan.String("run")!, "sarif");
        using (var sarif = JsonDocument.Parse(report.Text))
        {
            Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
            Assert.NotEqual(0, sarif.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
        }

        var upload = Assert.Single(steps, s => s.String("uses")?.StartsWith("github/codeql-action/upload-sarif@", StringComparison.Ordinal) == true);
        Assert.Equal(report.DocumentedName, upload.Mapping("with").String("sarif_file"));
        // The scan step fails when it finds something; the upload must run all the same.
        Assert.Contains("!cancelled()", upload.String("if"), StringComparison.Ordinal);
    }

    [Fact]
    public void GitLab_job_installs_bulwark_scans_and_publishes_the_junit_report()
    {
        var pipeline = Load("gitlab-ci.yml");
        var job = pipeline.Mapping("bulwark");
        Assert.NotNull(job);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.", job.String("image"), StringComparison.Ordinal);

        var script = job.ItemsOf("script").OfType<DocScalar>().Select(s => s.Value).ToList();
        Assert.Contains($"dotnet tool install --global bulwark --version {ReleasedVersion}", script);
        var scan = Assert.Single(script, line => line.StartsWith("bulwark scan", StringComparison.Ordinal));
        Assert.True(script.IndexOf(scan) > script.FindIndex(l => l.Contains("dotnet tool install", StringComparison.Ordinal)), "the scan runs before bulwark is installed");

        var report = RunDocumentedScan(scan, "junit");
        var suites = XDocument.Parse(report.Text).Root!;
        Assert.Equal("testsuites", suites.Name.LocalName);
        Assert.NotEqual("0", suites.Attribute("failures")?.Value);

        var artifacts = job.Mapping("artifacts");
        Assert.Equal(report.DocumentedName, artifacts.Mapping("reports").String("junit"));
        // The job fails when the scan finds something; the report must be published all the same.
        Assert.Equal("always", artifacts.String("when"));
    }

    private static DocMapping Load(string name)
    {
        var file = SourceFile.Load(RepositoryPaths.InRepo("docs", "ci", name), DocumentLimits.Default);
        Assert.Empty(file.Errors);
        return Assert.IsType<DocMapping>(Assert.Single(file.Documents).Root);
    }

    /// <summary>
    /// Runs a documented <c>bulwark scan …</c> line through the CLI, scanning the repository's examples instead of the
    /// checkout ("."), and writing the report to a temporary file instead of the documented one.
    /// </summary>
    private static (string Text, string DocumentedName) RunDocumentedScan(string line, string expectedFormat)
    {
        Assert.DoesNotMatch("[\"'$`|;&<>]", line);
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["bulwark", "scan"], words[..2]);
        var arguments = words[1..].ToList();
        var format = arguments.IndexOf("--format");
        Assert.True(format > 0 && arguments[format + 1] == expectedFormat, $"expected --format {expectedFormat} in: {line}");
        var output = arguments.IndexOf("--output");
        Assert.True(output > 0, $"expected --output in: {line}");
        var documentedName = arguments[output + 1];
        Assert.Equal(".", arguments[^1]);

        var path = Path.Combine(Path.GetTempPath(), $"bulwark-ci-{Guid.NewGuid():N}-{documentedName}");
        arguments[output + 1] = path;
        arguments[^1] = RepositoryPaths.InRepo("examples");
        try
        {
            var result = CliRunner.Run([.. arguments]);
            Assert.True(result.ExitCode == ExitCodes.Findings, $"{string.Join(' ', arguments)}: exit code {result.ExitCode}\n{result.Error}");
            Assert.True(File.Exists(path), $"{line} wrote no report");
            return (File.ReadAllText(path), documentedName);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
