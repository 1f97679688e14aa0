using System.Diagnostics;
using System.Text;
using Bulwark.Parsing.Dockerfile;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Dockerfile.Tests;

/// <summary>
/// Untrusted input: every input gives a result or a clear error with a line, quickly, without throwing.
/// Time limits are generous (shared CI machines are slow); they catch quadratic or exponential blow-ups, which take minutes.
/// </summary>
public sealed class HostileInputTests
{
    private static DockerfileDocument Timed(byte[] bytes, double maxSeconds = 20)
    {
        var watch = Stopwatch.StartNew();
        var doc = DockerfileDocument.Parse("Dockerfile", bytes);
        watch.Stop();
        Assert.True(watch.Elapsed.TotalSeconds < maxSeconds, $"took {watch.Elapsed}");
        return doc;
    }

    private static DockerfileDocument Timed(string text, double maxSeconds = 20) => Timed(Encoding.UTF8.GetBytes(text), maxSeconds);

    [Fact]
    public void Nul_bytes_are_binary_content_with_a_line()
    {
        var doc = Timed([.. "FROM a\nRUN x\n"u8, 0, .. "more"u8]);
        var error = Assert.Single(doc.Errors);
        Assert.Contains("binary content", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Ten_megabyte_line_is_refused_fast_with_BuildKits_message()
    {
        var doc = Timed("FROM a\nRUN " + new string('x', 10 * 1024 * 1024) + "\n", maxSeconds: 20);
        var error = Assert.Single(doc.Errors);
        Assert.Equal("dockerfile line greater than max allowed size of 65535", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Unterminated_heredoc_names_its_line()
    {
        var doc = Timed("FROM a\nCOPY <<EOF /x\n" + string.Concat(Enumerable.Repeat("line\n", 100_000)));
        var error = Assert.Single(doc.Errors);
        Assert.StartsWith("unterminated heredoc", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Unknown_instructions_parse_then_fail_with_BuildKits_message()
    {
        var syntax = DockerfileParser.Parse("Dockerfile", "FROM a\nFROB x y\n");
        Assert.True(syntax.Succeeded);
        Assert.Equal("(from \"a\")\n(frob \"\")", syntax.Root!.Dump());
        var doc = Timed("FROM a\nFROB x y\n");
        Assert.Equal("unknown instruction: FROB (did you mean FROM?)", Assert.Single(doc.Errors).Message);
    }

    [Theory]
    [InlineData("CMD [\"a\", ", "(cmd \"[\\\"a\\\",\")")]
    [InlineData("CMD [\"a\"]]", "(cmd \"[\\\"a\\\"]]\")")]
    [InlineData("CMD [\"a\",]", "(cmd \"[\\\"a\\\",]\")")]
    [InlineData("CMD [\"a\" \"b\"]", "(cmd \"[\\\"a\\\" \\\"b\\\"]\")")]
    [InlineData("COPY [\"a\" /b", "(copy \"[\\\"a\\\"\" \"/b\")")]
    public void Broken_json_falls_back_to_shell_form_as_BuildKit_does(string line, string dump)
    {
        var result = DockerfileParser.Parse("Dockerfile", "FROM a\n" + line + "\n");
        Assert.True(result.Succeeded);
        Assert.Equal("(from \"a\")\n" + dump, result.Root!.Dump());
    }

    [Theory]
    [InlineData("CMD [1]")]
    [InlineData("CMD [\"a\", null]")]
    [InlineData("ENTRYPOINT [\"a\", {\"b\": 1}]")]
    public void Json_with_non_strings_is_an_error(string line)
    {
        var result = DockerfileParser.Parse("Dockerfile", "FROM a\n" + line + "\n");
        Assert.Equal("when using JSON array syntax, arrays must be comprised of strings only", result.Error!.Message);
        Assert.Equal(2, result.Error.Line);
    }

    [Fact]
    public void Deeply_nested_json_is_shell_form()
    {
        var result = DockerfileParser.Parse("Dockerfile", "FROM a\nCMD " + new string('[', 30_000) + new string(']', 30_000) + "\n");
        Assert.True(result.Succeeded);
        Assert.False(result.Root!.Children[1].IsJson);
    }

    [Fact]
    public void Doubling_a_variable_on_every_line_stops_at_the_expansion_limit()
    {
        var text = new StringBuilder("FROM a\nENV A=" + new string('x', 60_000) + "\n");
        for (var i = 0; i < 40; i++)
        {
            text.Append("ENV A=$A$A\n");
        }

        var doc = Timed(text.ToString());
        Assert.Contains(doc.Errors, e => e.Message.Contains("longer than", StringComparison.Ordinal));
    }

    [Fact]
    public void Deeply_nested_substitution_is_refused_not_a_stack_overflow()
    {
        var word = string.Concat(Enumerable.Repeat("${A:-", 10_000)) + "x" + new string('}', 10_000);
        var doc = Timed("FROM a\nUSER " + word + "\n");
        Assert.Contains(doc.Errors, e => e.Message.Contains("nested deeper", StringComparison.Ordinal));
    }

    [Fact]
    public void Pathological_patterns_run_in_linear_time()
    {
        var value = new string('a', 60_000);
        var doc = Timed("FROM a\nENV A=" + value + "\nUSER ${A##*a*a*a*a*a*a*a*a*b}\nWORKDIR /${A//a*a*a*a*c/x}\n", maxSeconds: 20);
        Assert.Empty(doc.Errors);
        Assert.Equal(value, doc.FinalStage!.User);
    }

    [Fact]
    public void Huge_pattern_against_huge_value_hits_the_work_limit()
    {
        var pattern = string.Concat(Enumerable.Repeat("?", 30_000));
        var doc = Timed("FROM a\nENV A=" + new string('a', 60_000) + "\nENV P=" + pattern + "\nUSER ${A#$P}\n", maxSeconds: 20);
        Assert.Contains(doc.Errors, e => e.Message.Contains("work limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Hundred_thousand_line_continuation_stays_fast()
    {
        var text = new StringBuilder("FROM a\nRUN echo \\\n");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append("  a <<b \\\n");
        }

        text.Append("done\n");
        var doc = Timed(text.ToString(), maxSeconds: 20);
        Assert.NotEmpty(doc.Errors); // the heredoc <<b is never terminated
    }

    [Fact]
    public void Many_arguments_that_cannot_be_found_verbatim_stay_fast()
    {
        var items = string.Join(", ", Enumerable.Range(0, 4000).Select(_ => "\"\\u0041\""));
        var lines = string.Concat(Enumerable.Repeat("RUN [" + items + "]\n", 20));
        var doc = Timed("FROM a\n" + lines);
        Assert.Empty(doc.Errors);
    }

    [Fact]
    public void Thousands_of_env_lines_keep_per_instruction_environments_cheap()
    {
        var text = new StringBuilder("FROM a\n");
        for (var i = 0; i < 30_000; i++)
        {
            text.Append("ENV V").Append(i).Append("=x").Append(i).Append('\n');
        }

        text.Append("RUN true\n");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var doc = Timed(text.ToString());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(doc.Errors);
        Assert.Equal("x29999", doc.FinalStage!.Instructions[^1].Environment["V29999"]);
        Assert.Equal(30_000, doc.FinalStage.FinalImageEnvironment.Count);
        Assert.True(allocated < 400_000_000, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Invalid_utf8_is_read_leniently()
    {
        var doc = Timed([.. "FROM a\nLABEL who="u8, 0xC3, 0x28, .. "\n"u8]);
        Assert.Empty(doc.Errors);
        Assert.Equal("\uFFFD(", doc.FinalStage!.Instructions[0].KeyValues[0].Value);
    }

    private static readonly string Alphabet = "FROMRUNCOPYADDENVARGUSERONBUILDHEALTHCHECKCMD fromrun=:-+?#%/\\`'\"${}[]<<EOF\n\n\t\r ,.*abc0123" + '\0' + '\u00A0' + "é😀";

    [Fact]
    public void Random_text_never_throws()
    {
        Gen.String[Gen.Char[Alphabet], 0, 400].Sample(text =>
        {
            var syntax = DockerfileParser.Parse("fuzz", text);
            Assert.True(syntax.Succeeded || syntax.Error is { Line: >= 0 });
            if (syntax.Succeeded)
            {
                _ = syntax.Root!.Dump();
            }

            var doc = DockerfileDocument.Parse("fuzz", text);
            Assert.All(doc.Errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
            Assert.DoesNotContain(doc.Errors, e => e.Message.StartsWith(DockerfileDocument.InternalErrorPrefix, StringComparison.Ordinal));
        }, iter: 3000);
    }

    [Fact]
    public void Random_words_never_crash_the_lexer()
    {
        var env = ShellEnvironment.FromPairs(["A=abc", "B=", "P=*b?", "E=\\"]);
        Gen.String[Gen.Char["${}:-+?#%/\\'\"`abcABP*?E <\t\n\uD800\uDC00é"], 0, 60].Sample(word =>
        {
            foreach (var lexer in new[] { new ShellLexer('\\'), new ShellLexer('`'), new ShellLexer('\\') { RawQuotes = true, RawEscapes = true, SkipUnsetEnv = true } })
            {
                try
                {
                    _ = lexer.ProcessWordWithMatches(word, env);
                }
                catch (ShellLexException)
                {
                }
            }
        }, iter: 20000);
    }

    [SharedDataFact]
    public void Mutated_corpus_dockerfiles_never_throw()
    {
        var files = Directory.GetFiles(ConformanceData.Corpus, "*.Dockerfile").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        Assert.NotEmpty(files);
        var mutation = Gen.Select(Gen.Int[0, files.Length - 1], Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 3], Gen.Byte).Array[1, 12]);
        mutation.Sample((fileIndex, edits) =>
        {
            var bytes = new List<byte>(files[fileIndex]);
            foreach (var (position, kind, value) in edits)
            {
                var at = bytes.Count == 0 ? 0 : position % bytes.Count;
                var symbols = "\\`\"'[]${}<#\n =-"u8;
                var b = symbols[value % symbols.Length];
                switch (kind)
                {
                    case 0 when bytes.Count > 0:
                        bytes.RemoveAt(at);
                        break;
                    case 1:
                        bytes.Insert(at, b);
                        break;
                    case 2 when bytes.Count > 0:
                        bytes[at] = value;
                        break;
                    default:
                        bytes.InsertRange(at, "\nRUN <<X\n"u8.ToArray());
                        break;
                }
            }

            var doc = DockerfileDocument.Parse("mutant", [.. bytes]);
            Assert.All(doc.Errors, e => Assert.Equal("mutant", e.File));
            Assert.DoesNotContain(doc.Errors, e => e.Message.StartsWith(DockerfileDocument.InternalErrorPrefix, StringComparison.Ordinal));
            if (doc.Syntax.Succeeded)
            {
                _ = doc.Root!.Dump();
            }
        }, iter: 1500);
    }
}
