using Bulwark.Bench.CorpusGenerator;
using Bulwark.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// The fast YAML reader against YamlDotNet on real and generated manifests, read in place from the shared data.
/// Every difference is a bug in the fast reader (or a case it must give up on); the share of files it reads
/// itself is what makes it worth having.
/// </summary>
public sealed class FastYamlCorpusTests(ITestOutputHelper output)
{
    [SharedDataFact]
    public void Kubernetes_examples_read_the_same_and_nearly_all_take_the_fast_path()
    {
        var tally = CompareFolder(RepositoryPaths.InShared("corpus", "kubernetes"));

        Assert.Empty(tally.Differences);
        Assert.True(tally.Total >= 240, $"only {tally.Total} files found");

        // When written: 248 files, 243 read by the fast reader; the other 5 are templates with "{{placeholders}}"
        // (flow mappings as keys), left to YamlDotNet.
        Assert.True(tally.Same >= tally.Total * 0.97, tally.Summary());
    }

    [SharedDataFact]
    public void Compose_examples_read_the_same()
    {
        var tally = CompareFolder(RepositoryPaths.InShared("corpus", "compose"));

        Assert.Empty(tally.Differences);
        Assert.True(tally.Total >= 5, $"only {tally.Total} files found");
        Assert.True(tally.Same >= tally.Total * 0.9, tally.Summary());
    }

    [SharedDataFact]
    public void Pod_security_fixtures_read_the_same_and_all_take_the_fast_path()
    {
        var tally = CompareFolder(RepositoryPaths.InShared("conformance", "pss"));

        Assert.Empty(tally.Differences);
        Assert.True(tally.Total >= 4000, $"only {tally.Total} files found");
        Assert.Equal(tally.Total, tally.Same);
    }

    [Fact]
    public void Generated_benchmark_corpus_reads_the_same_and_all_takes_the_fast_path()
    {
        var tally = new FastYamlTally();
        var files = 0;
        foreach (var file in Corpus.Generate(count: 3_000, seed: 42))
        {
            files++;
            if (file.Format != "json")
            {
                tally.Add(file.RelativePath, file.Text);
            }
        }

        output.WriteLine($"generated corpus: {files} files; YAML ones: {tally.Summary()}");
        Assert.Empty(tally.Differences);
        Assert.True(tally.Total >= 150, $"only {tally.Total} YAML files generated");
        Assert.Equal(tally.Total, tally.Same);
    }

    private FastYamlTally CompareFolder(string folder)
    {
        var tally = new FastYamlTally();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var outcome = tally.Add(Path.GetRelativePath(folder, file), File.ReadAllText(file));
            if (outcome.Verdict == FastYamlVerdict.Bailed)
            {
                output.WriteLine($"left to YamlDotNet: {Path.GetRelativePath(folder, file)}: {outcome.Detail}");
            }
        }

        output.WriteLine(folder + ": " + tally.Summary());
        return tally;
    }
}
