using Bulwark.Parsing.Dockerfile;
using Bulwark.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Bulwark.Dockerfile.Tests;

/// <summary>Every Dockerfile of the binnacle gold corpus, read in place: each parses or gives a clear error.</summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    [SharedDataFact]
    public void Every_corpus_dockerfile_parses_or_gives_a_clear_error()
    {
        var files = Directory.GetFiles(ConformanceData.Corpus, "*.Dockerfile").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 100, $"only {files.Count} corpus Dockerfiles");
        var parsed = 0;
        var syntaxErrors = new List<string>();
        var buildErrors = new List<string>();
        foreach (var file in files)
        {
            var doc = DockerfileDocument.Load(file);
            if (!doc.Syntax.Succeeded)
            {
                var error = Assert.Single(doc.Errors);
                Assert.Equal(file, error.File);
                Assert.True(error.Line > 0, error.ToString());
                syntaxErrors.Add($"{Path.GetFileName(file)}:{error.Line}: {error.Message}");
                continue;
            }

            parsed++;
            Assert.NotNull(doc.Root);
            _ = doc.Root.Dump();
            foreach (var error in doc.Errors)
            {
                Assert.False(error.Message.StartsWith(DockerfileDocument.InternalErrorPrefix, StringComparison.Ordinal), error.ToString());
                Assert.Equal(file, error.File);
                buildErrors.Add($"{Path.GetFileName(file)}:{error.Line}: {error.Message}");
            }
        }

        output.WriteLine($"{files.Count} Dockerfiles: {parsed} parse ({parsed - buildErrors.Select(e => e.Split(':')[0]).Distinct().Count()} with no BuildKit error), {syntaxErrors.Count} syntax errors, {buildErrors.Count} instruction errors");
        foreach (var line in syntaxErrors.Concat(buildErrors))
        {
            output.WriteLine(line);
        }

        Assert.True(parsed >= files.Count * 0.95, $"only {parsed} of {files.Count} parse");
        Assert.Empty(buildErrors);
    }
}
