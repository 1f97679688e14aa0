using System.Text;
using System.Text.Json;
using Bulwark.Images.Packages;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

public sealed class LanguagePackageTests
{
    [Theory]
    [InlineData("usr/lib/node_modules/npm/package.json", true)]
    [InlineData("app/node_modules/@types/node/package.json", true)]
    [InlineData("app/node_modules/a/node_modules/b/package.json", true)]
    [InlineData("node_modules/left-pad/package.json", true)]
    [InlineData("app/package.json", false)]
    [InlineData("app/node_modules/a/test/fixtures/package.json", false)]
    [InlineData("app/node_modules/@scope/package.json", false)]
    [InlineData("app/node_modules/.package-lock.json", false)]
    public void Only_the_manifests_of_installed_packages_count(string path, bool counts)
    {
        Assert.Equal(counts, NpmPackages.IsInstalledManifest(path));
    }

    [SkippableFact]
    public void A_node_modules_tree_reads_as_npm_ls_lists_it()
    {
        var root = Directory.CreateTempSubdirectory("bulwark-npm-");
        try
        {
            var manifests = new Dictionary<string, string>
            {
                ["package.json"] = """{"name": "app", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0", "@scope/util": "^2.0.0"}}""",
                ["node_modules/left-pad/package.json"] = """{"name": "left-pad", "version": "1.3.0", "license": "WTFPL"}""",
                ["node_modules/@scope/util/package.json"] = """{"name": "@scope/util", "version": "2.1.0", "license": {"type": "MIT"}, "dependencies": {"tiny": "0.0.1"}}""",
                ["node_modules/@scope/util/node_modules/tiny/package.json"] = """{"name": "tiny", "version": "0.0.1", "licenses": [{"type": "MIT"}, {"type": "ISC"}]}""",
            };
            foreach (var (relative, text) in manifests)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root.FullName, relative))!);
                File.WriteAllText(Path.Combine(root.FullName, relative), text);
            }

            var problems = new List<string>();
            var ours = manifests.Keys.Where(NpmPackages.IsInstalledManifest)
                .Select(p => NpmPackages.Read(p, Encoding.UTF8.GetBytes(manifests[p]), problems)!)
                .Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal).ToList();

            Assert.Empty(problems);
            Assert.Equal(NpmLs(root.FullName), ours);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Npm_licences_in_all_three_spellings_and_bad_manifests_are_problems()
    {
        var problems = new List<string>();
        Assert.Equal("MIT", NpmPackages.Read("node_modules/a/package.json", """{"name":"a","version":"1.0.0","license":{"type":"MIT"}}"""u8, problems)!.License);
        Assert.Equal("MIT OR ISC", NpmPackages.Read("node_modules/a/package.json", """{"name":"a","version":"1","licenses":["MIT",{"type":"ISC"}]}"""u8, problems)!.License);
        Assert.Empty(problems);

        Assert.Null(NpmPackages.Read("node_modules/b/package.json", """{"name":"b"}"""u8, problems));
        Assert.Null(NpmPackages.Read("node_modules/c/package.json", "{\"name\": "u8, problems));
        Assert.Null(NpmPackages.Read("node_modules/d/package.json", Encoding.UTF8.GetBytes(new string('[', 10_000)), problems));
        Assert.Equal(3, problems.Count);
        Assert.StartsWith("node_modules/b/package.json: a package.json without a name and version", problems[0], StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("distlib-0.3.1.METADATA", "dist-packages/distlib-0.3.1.dist-info/METADATA", "distlib", "0.3.1", "Python license")]
    [InlineData("setuptools-51.3.3-py3.8.egg-info.PKG-INFO", "site-packages/setuptools-51.3.3-py3.8.egg-info/PKG-INFO", "setuptools", "51.3.3", null)]
    [InlineData("distlib-0.3.1-py3.9.egg-info", "site-packages/distlib-0.3.1-py3.9.egg-info", "distlib", "0.3.1", "Python license")]
    public void Python_metadata_gives_name_version_and_licence(string fixture, string path, string name, string version, string? license)
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var text = File.ReadAllText(RepositoryPaths.InShared("conformance", "pkgdb", "lang", "python", fixture));
        var problems = new List<string>();

        Assert.True(PythonPackages.IsMetadata(path));
        var package = PythonPackages.Read(path, text, problems);

        Assert.Empty(problems);
        Assert.Equal(("pypi", name, version, license), (package!.Type, package.Name, package.Version, package.License));
    }

    [Fact]
    public void Python_metadata_stops_at_the_body_and_needs_a_name_and_version()
    {
        var problems = new List<string>();
        var package = PythonPackages.Read("x.dist-info/METADATA", "Name: real\nVersion: 1.0\nLicense-Expression: MIT\n\nName: not-a-header\n", problems);
        Assert.Equal(("real", "1.0", "MIT"), (package!.Name, package.Version, package.License));
        Assert.Null(PythonPackages.Read("y.dist-info/METADATA", "Summary: nothing\n", problems));
        Assert.Single(problems);
    }

    [SkippableFact]
    public void Deps_json_lists_the_packages_not_the_projects()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var path = RepositoryPaths.InShared("conformance", "pkgdb", "lang", "dotnet", "happy.deps.json");
        var problems = new List<string>();

        var packages = DotnetDeps.Read("app/ExampleApp1.deps.json", File.ReadAllBytes(path), problems);

        Assert.Empty(problems);
        Assert.Equal([("nuget", "Newtonsoft.Json", "13.0.1")], packages.Select(p => (p.Type, p.Name, p.Version)));
        Assert.True(DotnetDeps.IsDepsFile("app/ExampleApp1.deps.json"));
    }

    private static List<string> NpmLs(string folder)
    {
        ImageTools.Require(ImageTools.Missing("npm"));
        var listed = new List<string>();
        Collect(JsonDocument.Parse(ImageTools.Run("npm", "ls", "--all", "--json", "--offline", "--prefix", folder)).RootElement, listed);
        return [.. listed.Order(StringComparer.Ordinal)];

        static void Collect(JsonElement node, List<string> into)
        {
            if (!node.TryGetProperty("dependencies", out var dependencies))
            {
                return;
            }

            foreach (var dependency in dependencies.EnumerateObject())
            {
                into.Add($"{dependency.Name}@{dependency.Value.GetProperty("version").GetString()}");
                Collect(dependency.Value, into);
            }
        }
    }
}
