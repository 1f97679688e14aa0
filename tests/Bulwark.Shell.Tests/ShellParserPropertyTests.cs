using System.Diagnostics;
using Bulwark.Parsing.Shell;
using CsCheck;
using Xunit;

namespace Bulwark.Shell.Tests;

/// <summary>The shell parser reads text from strangers' Dockerfiles: whatever it gets, it must not throw or hang.</summary>
public sealed class ShellParserPropertyTests
{
    private const string Alphabet = "ab cd\t\n\\'\"`$(){}[]<>|&;#=-+*?!~0129 \r\u00A0é😀\uD800"
        + "ifthenfidodonecaseinesacsh-c";

    private static readonly string[] Tokens =
    [
        "sh", "bash", "-c", "-ec", "'", "\"", "`", "$(", ")", "${", "}", "(", "{", ";", ";;", "&&", "||", "|", "&", "\n", "\\\n", "<<EOF",
        "<<-E", "EOF", "\tE", "2>&1", ">", "<", "<(", "if", "then", "fi", "case", "in", "esac", "for", "do", "done", "function", "f()",
        "A=1", "a=(", "sudo", "env", "curl", "-k", "#", "$'", "\\", " ", "eval", "su", "xargs", "timeout", "$",
    ];

    private static void Check(string text)
    {
        var script = ShellCommandParser.Parse(text);
        foreach (var command in script.Commands)
        {
            Assert.InRange(command.CommandWordIndex, 0, command.Words.Count);
            foreach (var word in command.Words.Concat(command.Assignments))
            {
                Assert.InRange(word.Start, 0, Math.Max(0, text.Length));
                _ = script.PositionOf(word);
            }

            _ = script.PositionOf(command);
            _ = command.PipedTo;
            _ = command.FindShortOption('k');
        }
    }

    [Fact]
    public void Random_characters_never_throw()
    {
        Gen.String[Gen.Char[Alphabet], 0, 300].Sample(Check, iter: 20000);
    }

    [Fact]
    public void Random_token_soup_never_throws()
    {
        Gen.Int[0, Tokens.Length - 1].Select(i => Tokens[i]).Array[0, 80].Select(parts => string.Join(string.Empty, parts)).Sample(Check, iter: 20000);
        Gen.Int[0, Tokens.Length - 1].Select(i => Tokens[i]).Array[0, 80].Select(parts => string.Join(' ', parts)).Sample(Check, iter: 20000);
    }

    [Fact]
    public void Work_is_linear_in_the_input()
    {
        foreach (var piece in new[] { "$(", "\"$(", "`", "sh -c '", "(", "{ ", "a | ", "<<E\n", "case x in ", "'", "${" })
        {
            var text = string.Concat(Enumerable.Repeat(piece, 200_000));
            var watch = Stopwatch.StartNew();
            Check(text);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{piece}: {watch.Elapsed}");
        }
    }
}
