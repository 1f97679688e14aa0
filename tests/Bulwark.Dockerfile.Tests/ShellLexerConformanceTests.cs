using Bulwark.Parsing.Dockerfile;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Dockerfile.Tests;

/// <summary>BuildKit's lexer tables: shell/envVarTest, shell/wordsTest (lex_test.go) read in place.</summary>
public sealed class ShellLexerConformanceTests
{
    private static readonly ShellEnvironment EnvVarTestEnv = ShellEnvironment.FromPairs(["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="]);

    public static TheoryData<int, string, string, string> EnvVarCases() => EnvVarLines(windows: false);

    public static TheoryData<int, string, string, string> WindowsEnvVarCases() => EnvVarLines(windows: true);

    private static TheoryData<int, string, string, string> EnvVarLines(bool windows)
    {
        var data = new TheoryData<int, string, string, string>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(ConformanceData.Shell("envVarTest")))
        {
            lineNumber++;
            if (raw.StartsWith('#') || raw.Trim().Length == 0)
            {
                continue;
            }

            var parts = raw.Trim().Split('|');
            Assert.Equal(3, parts.Length);
            if ((parts[0].Trim() == "W") == windows)
            {
                data.Add(lineNumber, parts[0].Trim(), parts[1].Trim(), parts[2].Trim());
            }
        }

        return data;
    }

    [SharedDataFact]
    public void EnvVarTest_has_its_cases()
    {
        Assert.True(EnvVarCases().Count >= 225, "envVarTest looks truncated");
        Assert.Equal(2, WindowsEnvVarCases().Count);
    }

    [Theory(Skip = "W lines hold Windows-only expectations (variable names case-insensitive there); Bulwark follows BuildKit on Linux")]
    [MemberData(nameof(WindowsEnvVarCases))]
    public void EnvVarTest_windows_line(int line, string platform, string source, string expected) =>
        EnvVarTest_line(line, platform, source, expected);

    [SharedDataTheory]
    [MemberData(nameof(EnvVarCases))]
    public void EnvVarTest_line(int line, string platform, string source, string expected)
    {
        Assert.NotEqual("W", platform);
        var lexer = new ShellLexer('\\');
        if (expected == "error")
        {
            Assert.Throws<ShellLexException>(() => lexer.ProcessWord(source, EnvVarTestEnv));
        }
        else
        {
            Assert.True(lexer.TryProcessWord(source, EnvVarTestEnv, out var result, out var error), $"line {line}: {error}");
            Assert.Equal(expected, result);
        }
    }

    public static TheoryData<int, string, string[], string> WordsCases()
    {
        var data = new TheoryData<int, string, string[], string>();
        var envs = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(ConformanceData.Shell("wordsTest")))
        {
            lineNumber++;
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                envs.Add(line[3..].TrimStart(' '));
                continue;
            }

            var parts = line.Split('|');
            Assert.Equal(2, parts.Length);
            data.Add(lineNumber, parts[0].Trim(), [.. envs], parts[1].TrimStart(' '));
        }

        return data;
    }

    [SharedDataFact]
    public void WordsTest_has_its_cases()
    {
        Assert.Equal(24, WordsCases().Count);
    }

    [SharedDataTheory]
    [MemberData(nameof(WordsCases))]
    public void WordsTest_line(int line, string input, string[] envs, string expected)
    {
        var env = ShellEnvironment.FromPairs(envs);
        foreach (var lexer in new[] { new ShellLexer('\\'), new ShellLexer('\\') { RawQuotes = true, SkipUnsetEnv = true } })
        {
            IReadOnlyList<string> words;
            try
            {
                words = lexer.ProcessWords(input, env);
            }
            catch (ShellLexException)
            {
                words = ["error"];
            }

            // The second mode (raw quotes, unset kept) is what lex_test.go runs too; it keeps quotes, so compare unquoted text only for the first.
            if (!lexer.RawQuotes)
            {
                Assert.True(expected.Split(',').SequenceEqual(words), $"line {line}: {input} gave [{string.Join(",", words)}]");
            }
            else
            {
                Assert.Equal(expected == "error", words is ["error"]);
            }
        }
    }
}
