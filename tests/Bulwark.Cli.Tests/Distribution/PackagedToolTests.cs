using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests.Distribution;

/// <summary><c>dotnet tool install bulwark</c>: the package, installed from a local folder, scans as the CLI does.</summary>
[Collection(InstalledToolCollection.Name)]
public sealed class PackagedToolTests(InstalledTool tool)
{
    [Fact]
    public void Installed_tool_scans_the_examples_and_exits_1_for_their_findings()
    {
        Assert.Contains("bulwark", tool.InstallOutput, StringComparison.Ordinal);
        var scan = ExternalCommand.Run(tool.Command, ["scan", "examples/"], RepositoryPaths.Root, tool.Environment());

        Assert.True(scan.ExitCode == ExitCodes.Findings, scan.Transcript);
        Assert.Contains("examples/compose/docker-compose.bad.yml\n", scan.Out, StringComparison.Ordinal);
        Assert.Contains("BW1001 privileged-container", scan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_tool_reports_the_package_version()
    {
        var version = ExternalCommand.Run(tool.Command, ["--version"], tool.Folder, tool.Environment());

        Assert.True(version.ExitCode == 0, version.Transcript);
        Assert.StartsWith(tool.Version + "+", version.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_is_a_dotnet_tool_named_bulwark_with_its_licence_and_repository()
    {
        using var package = ZipFile.OpenRead(tool.Package);
        var nuspec = package.Entries.Single(e => e.FullName == "bulwark.nuspec");
        using var nuspecStream = nuspec.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal("bulwark", Element("id"));
        Assert.Equal(tool.Version, Element("version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "Apache-2.0"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("DotnetTool", metadata.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        Assert.Equal("README.md", Element("readme"));
        Assert.Contains(package.Entries, e => e.FullName == "README.md");
        Assert.Contains(package.Entries, e => e.FullName == "LICENSE");
        Assert.False(string.IsNullOrWhiteSpace(Element("description")));
        Assert.False(string.IsNullOrWhiteSpace(Element("tags")));

        // One repository URL for the package and for the code that reads it at run time (rule help links).
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value;
        var compiledIn = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryUrl").Value;
        Assert.Equal(compiledIn, repository);
        Assert.Equal(compiledIn, Element("projectUrl"));

        var settings = package.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using var settingsStream = settings.Open();
        var command = XDocument.Load(settingsStream).Descendants().Single(e => e.Name.LocalName == "Command");
        Assert.Equal("bulwark", command.Attribute("Name")?.Value);
    }
}
