using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

public sealed class DebugCommandTests
{
    private static string Parser => RepositoryPaths.InShared("conformance", "dockerfile-parser", "frontend", "dockerfile", "parser");

    public static TheoryData<string> PositiveCases() => [.. Directory.GetDirectories(Path.Combine(Parser, "testfiles")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    public static TheoryData<string> NegativeCases() => [.. Directory.GetDirectories(Path.Combine(Parser, "testfiles-negative")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [SharedDataTheory]
    [MemberData(nameof(PositiveCases))]
    public void Dockerfile_ast_prints_buildkits_dump(string name)
    {
        var dir = Path.Combine(Parser, "testfiles", name);
        var result = CliRunner.Run("debug", "dockerfile-ast", Path.Combine(dir, "Dockerfile"));
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "result")), result.Out);
    }

    [SharedDataTheory]
    [MemberData(nameof(NegativeCases))]
    public void Dockerfile_ast_exits_2_with_a_message_on_what_buildkit_rejects(string name)
    {
        var file = Path.Combine(Parser, "testfiles-negative", name, "Dockerfile");
        var result = CliRunner.Run("debug", "dockerfile-ast", file);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }
}
