using Bulwark.Parsing.Dockerfile;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Dockerfile.Tests;

/// <summary>BuildKit's own parser tests (parser_test.go), run over the copied testfiles.</summary>
public sealed class ParserConformanceTests
{
    public static TheoryData<string> PositiveCases() => [.. ConformanceData.CaseNames("testfiles")];

    public static TheoryData<string> NegativeCases() => [.. ConformanceData.CaseNames("testfiles-negative")];

    [SharedDataFact]
    public void There_are_33_positive_and_4_negative_cases()
    {
        Assert.Equal(33, ConformanceData.CaseNames("testfiles").Count());
        Assert.Equal(4, ConformanceData.CaseNames("testfiles-negative").Count());
    }

    [SharedDataTheory]
    [MemberData(nameof(PositiveCases))]
    public void Dump_equals_BuildKit_result(string name)
    {
        var dockerfile = ConformanceData.Parser("testfiles", name, "Dockerfile");
        var expected = File.ReadAllText(ConformanceData.Parser("testfiles", name, "result"));
        var result = DockerfileParser.Parse(dockerfile, File.ReadAllBytes(dockerfile));
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(expected, DockerfileAstDumper.DumpWithNewline(result.Root!));
    }

    [SharedDataTheory]
    [MemberData(nameof(NegativeCases))]
    public void Negative_case_fails_with_a_clear_error(string name)
    {
        var dockerfile = ConformanceData.Parser("testfiles-negative", name, "Dockerfile");
        var result = DockerfileParser.Parse(dockerfile, File.ReadAllBytes(dockerfile));
        Assert.False(result.Succeeded);
        Assert.NotNull(result.Error);
        Assert.Equal(dockerfile, result.Error.File);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    [SharedDataFact]
    public void Negative_case_messages_are_BuildKits()
    {
        string Message(string name)
        {
            var path = ConformanceData.Parser("testfiles-negative", name, "Dockerfile");
            return DockerfileParser.Parse(path, File.ReadAllBytes(path)).Error!.Message;
        }

        Assert.Equal("file with no instructions", Message("empty_dockerfile"));
        Assert.Equal("file with no instructions", Message("only_comments"));
        Assert.Equal("ENV must have two arguments", Message("env_no_value"));
        Assert.Equal("when using JSON array syntax, arrays must be comprised of strings only", Message("shykes-nested-json"));
    }

    [SharedDataFact]
    public void Line_numbers_match_parser_test()
    {
        var path = ConformanceData.Parser("testfile-line", "Dockerfile");
        var result = DockerfileParser.Parse(path, File.ReadAllBytes(path));
        Assert.True(result.Succeeded, result.Error?.ToString());
        var root = result.Root!;
        Assert.Equal(5, root.StartLine);
        Assert.Equal(31, root.EndLine);
        Assert.Equal(
            [(5, 5), (11, 12), (17, 31)],
            root.Children.Select(c => (c.StartLine, c.EndLine)).ToArray());
    }
}
