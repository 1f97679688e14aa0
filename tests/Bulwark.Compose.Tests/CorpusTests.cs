using Bulwark.Parsing.Compose;
using Bulwark.Parsing.Documents;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Compose.Tests;

/// <summary>Every Compose file of the awesome-compose corpus (read in place from the shared folder) loads and maps.</summary>
public sealed class CorpusTests
{
    private static string CorpusRoot => RepositoryPaths.InShared("corpus", "compose", "awesome-compose");

    public static TheoryData<string> ComposeFilesOfTheCorpus()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(CorpusRoot, "*", SearchOption.AllDirectories)
            .Where(ComposeFiles.IsComposeFileName)
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(CorpusRoot, file));
        }

        return data;
    }

    [SharedDataFact]
    public void The_corpus_has_compose_files() => Assert.True(ComposeFilesOfTheCorpus().Count >= 30);

    [SharedDataTheory]
    [MemberData(nameof(ComposeFilesOfTheCorpus))]
    public void Loads_without_errors_and_maps_every_service(string relative)
    {
        var path = Path.Combine(CorpusRoot, relative);
        var project = ComposeLoader.Load(path);

        Assert.True(project.Errors.Count == 0, string.Join("\n", project.Errors));
        Assert.NotEmpty(project.Services);
        Assert.True(ComposeFiles.LooksLikeCompose(SourceFile.Load(path, DocumentLimits.Default).Documents[0].Root));
        foreach (var service in project.Services)
        {
            Assert.Equal(path, service.Location.File);
            Assert.True(service.Location.Line > 0);
            var workload = ComposeWorkloadMapper.Map(service, project);
            Assert.Equal(service.Name, Assert.Single(workload.Containers).Name);
            Assert.All(workload.Volumes, v => Assert.True(v.Location.Line > 0));
            Assert.All(workload.Containers[0].Environment, e => Assert.True(e.Name.Location.Line > 0));
        }
    }
}
