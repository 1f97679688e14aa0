using Bulwark.Parsing.Dockerfile;
using Xunit;

namespace Bulwark.Dockerfile.Tests;

/// <summary>Tables ported from parser_heredoc_test.go, parser_test.go, directives_test.go and line_parsers_test.go.</summary>
public sealed class ParserTableTests
{
    private static DockerfileNode Parse(string text)
    {
        var result = DockerfileParser.Parse("Dockerfile", text);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return result.Root!;
    }

    private static string ErrorOf(string text)
    {
        var result = DockerfileParser.Parse("Dockerfile", text);
        Assert.False(result.Succeeded);
        return result.Error!.Message;
    }

    private const string HeredocFile = "\nFROM alpine:3.6\n\nENV NAME=me\n\nRUN ls\n\nUSER <<INVALID\nINVALID\n\nRUN <<EMPTY\nEMPTY\n\nRUN 3<<EMPTY2\nEMPTY2\n\nRUN \"<<NOHEREDOC\"\n\n"
        + "RUN <<INDENT\n\tfoo\n\tbar\nINDENT\n\nRUN <<-UNINDENT\n\tbaz\n\tquux\nUNINDENT\n\nRUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n\n"
        + "RUN <<-EXPAND\n\texpand $NAME\nEXPAND\n\nRUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n\nRUN <<COPY\necho hello world\necho foo bar\nCOPY\n\n"
        + "RUN <<COMMENT\n# internal comment\necho hello world\necho foo bar # trailing comment\nCOMMENT\n\nRUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n\n"
        + "COPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n\nCOPY <<EOF /quotes\n\"foo\"\n'bar'\nEOF\n\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n\n"
        + "RUN <<COMPLEX python3\nprint('hello world')\nCOMPLEX\n\nCOPY <<file.txt /dest\nhello world\nfile.txt\n\nRUN <<eo'f'\necho foo\neof\n\n"
        + "RUN <<eo\\'f\necho foo\neo'f\n\nRUN <<'e'o\\'f\necho foo\neo'f\n\nRUN <<'one two'\necho bar\none two\n\nRUN <<$EOF\n$EOF\n\nRUN <<  EOF\nEOF\n\nRUN <<  EOF  > foo\nEOF\n\t";

    [Fact]
    public void Heredocs_are_extracted_as_parser_heredoc_test_expects()
    {
        var root = Parse(HeredocFile);
        Heredoc H(string name, string content, bool expand = true, bool chomp = false, ulong fd = 0) => new(name, fd, expand, chomp, content);
        Heredoc[][] expected =
        [
            [], [], [], [],
            [H("EMPTY", string.Empty)],
            [H("EMPTY2", string.Empty, fd: 3)],
            [],
            [H("INDENT", "\tfoo\n\tbar\n")],
            [H("UNINDENT", "\tbaz\n\tquux\n", chomp: true)],
            [H("UNINDENT2", "\tbaz\n\tquux\n", chomp: true)],
            [H("EXPAND", "\texpand $NAME\n", chomp: true)],
            [H("NOEXPAND", "\tdon't expand $NAME\n", expand: false, chomp: true)],
            [H("COPY", "echo hello world\necho foo bar\n")],
            [H("COMMENT", "# internal comment\necho hello world\necho foo bar # trailing comment\n")],
            [H("MOUNT", "echo hello\n")],
            [H("FILE1", "content 1\n"), H("FILE2", "content 2\n")],
            [H("EOF", "\"foo\"\n'bar'\n")],
            [H("X", "Y\n"), H("Y", "X\n")],
            [H("COMPLEX", "print('hello world')\n")],
            [H("file.txt", "hello world\n")],
            [H("eof", "echo foo\n", expand: false)],
            [H("eo'f", "echo foo\n")],
            [H("eo'f", "echo foo\n", expand: false)],
            [H("one two", "echo bar\n", expand: false)],
            [H("$EOF", string.Empty)],
            [H("EOF", string.Empty)],
            [H("EOF", string.Empty)],
        ];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], root.Children[i + 1].Heredocs);
        }
    }

    [Fact]
    public void Json_form_never_has_heredocs()
    {
        var root = Parse("\nFROM alpine:3.6\n\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n\t");
        for (var i = 1; i <= 3; i++)
        {
            Assert.Empty(root.Children[i].Heredocs);
        }
    }

    [Fact]
    public void Chomp_removes_leading_tabs() => Assert.Equal("hello\nworld\n", Heredoc.ChompContent("\thello\n\tworld\n"));

    [Theory]
    [InlineData("<<EOF")]
    [InlineData("<<'EOF'")]
    [InlineData("<<\"EOF\"")]
    [InlineData("<<-EOF")]
    [InlineData("<<-'EOF'")]
    [InlineData("<<-\"EOF\"")]
    [InlineData("<<EO\"F\"")]
    [InlineData("<< EOF")]
    [InlineData("<<- EOF")]
    public void Valid_heredoc_words(string word) => Assert.Equal("EOF", DockerfileParser.ParseHeredoc(word)!.Name);

    [Theory]
    [InlineData("<<'EOF")]
    [InlineData("<<\"EOF")]
    [InlineData("<<EOF'")]
    [InlineData("<<EOF\"")]
    public void Invalid_heredoc_words(string word) => Assert.Throws<ShellLexException>(() => DockerfileParser.ParseHeredoc(word));

    [Theory]
    [InlineData("")]
    [InlineData("EOF")]
    [InlineData("<<")]
    [InlineData("<<-")]
    [InlineData("<EOF")]
    [InlineData("<<<EOF")]
    [InlineData("<<EOF sh")]
    public void Not_heredoc_words(string word) => Assert.Null(DockerfileParser.ParseHeredoc(word));

    [Theory]
    [InlineData("RUN <<EOF", new[] { "EOF" })]
    [InlineData("RUN <<-EOF", new[] { "EOF" })]
    [InlineData("RUN <<- EOF", new[] { "EOF" })]
    [InlineData("RUN << -EOF", new[] { "-EOF" })]
    [InlineData("RUN <<'EOF'", new[] { "EOF" })]
    [InlineData("RUN 4<<EOF", new[] { "EOF" })]
    [InlineData("RUN <<EOF <<EOF2", new[] { "EOF", "EOF2" })]
    [InlineData("RUN '<<EOF'", new string[0])]
    [InlineData("RUN \"<<EOF\"", new string[0])]
    public void Heredocs_from_line(string line, string[] names) =>
        Assert.Equal(names, DockerfileParser.HeredocsFromLine(line).Select(h => h.Name));

    [Fact]
    public void Heredoc_in_onbuild_attaches_to_the_onbuild_instruction()
    {
        var root = Parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nRUN x\n");
        Assert.Equal("EOF", root.Children[1].Heredocs.Single().Name);
        Assert.Equal((2, 4), (root.Children[1].StartLine, root.Children[1].EndLine));
        Assert.Equal(5, root.Children[2].StartLine);
    }

    [Fact]
    public void Heredoc_lines_that_look_like_instructions_are_content()
    {
        var root = Parse("FROM a\nRUN <<EOF\nFROM evil\n# c\nEOF\n");
        Assert.Equal(2, root.Children.Count);
        Assert.Equal("FROM evil\n# c\n", root.Children[1].Heredocs[0].Content);
    }

    [Fact]
    public void Heredoc_keeps_crlf_and_matches_terminator_with_crlf()
    {
        var root = Parse("FROM a\r\nRUN <<EOF\r\nx\r\nEOF\r\n");
        Assert.Equal("x\r\n", root.Children[1].Heredocs[0].Content);
    }

    [Fact]
    public void Unterminated_heredoc_is_an_error_naming_the_lines()
    {
        var result = DockerfileParser.Parse("Dockerfile", "FROM a\nRUN <<EOF\necho\n");
        Assert.StartsWith("unterminated heredoc", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Error.Line);
    }

    [Theory]
    [InlineData("foo", new[] { "foo" })]
    [InlineData("foo bar", new[] { "foo", "bar" })]
    [InlineData("foo\\ bar", new[] { "foo\\ bar" })]
    [InlineData("foo=bar", new[] { "foo=bar" })]
    [InlineData("foo bar 'abc xyz'", new[] { "foo", "bar", "'abc xyz'" })]
    [InlineData("foo bar \"abc xyz\"", new[] { "foo", "bar", "\"abc xyz\"" })]
    [InlineData("àöû", new[] { "àöû" })]
    [InlineData("föo bàr \"âbc xÿz\"", new[] { "föo", "bàr", "\"âbc xÿz\"" })]
    public void Parse_words(string input, string[] expected) => Assert.Equal(expected, DockerfileLineParsers.ParseWords(input, '\\'));

    [Fact]
    public void Empty_continuation_lines_warn()
    {
        const string Text = "\nFROM alpine:3.6\n\nRUN valid \\\n    continuation\n\nRUN something \\\n\n    following \\\n\n    more\n\nRUN another \\\n\n    thing\n\n"
            + "RUN non-indented \\\n# this is a comment\n   after-comment\n\nRUN indented \\\n    # this is an indented comment\n    comment\n\t";
        var result = DockerfileParser.Parse("Dockerfile", Text);
        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains("Empty continuation line found in", result.Warnings[0].Short, StringComparison.Ordinal);
        Assert.Contains("RUN something     following     more", result.Warnings[0].Short, StringComparison.Ordinal);
        Assert.Contains("RUN another     thing", result.Warnings[1].Short, StringComparison.Ordinal);
        Assert.Contains("will become errors in a future release", result.Warnings[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_line_is_BuildKits_scanner_error()
    {
        var label = new string('a', 65536);
        var result = DockerfileParser.Parse("Dockerfile", "\n\t\tFROM image\n\t\tLABEL test=" + label + "\n");
        Assert.Equal("dockerfile line greater than max allowed size of 65535", result.Error!.Message);
        Assert.Equal(3, result.Error.Line);
        Assert.True(DockerfileParser.Parse("Dockerfile", "FROM a\nLABEL a=" + new string('b', 65535 - 8) + "\n").Succeeded);
    }

    [Fact]
    public void Directives_are_case_insensitive_and_stop_at_the_first_other_line()
    {
        var result = DockerfileParser.Parse("Dockerfile", "# EScape=`\n# KEY = FOO bar\n\n# smth\nFROM a `\n  b\n");
        Assert.Equal('`', result.EscapeToken);
        Assert.Equal([new DockerfileDirective("escape", "`", 1)], result.Directives);
        Assert.Equal("(from \"a\" \"b\")", result.Root!.Dump());
    }

    [Fact]
    public void Syntax_escape_and_check_directives_are_read()
    {
        var result = DockerfileParser.Parse("Dockerfile", "# syntax=docker/dockerfile:1\n#check=skip=all;error=true\n  # escape = \\\nFROM a\n");
        Assert.Equal("docker/dockerfile:1", result.Directive("syntax"));
        Assert.Equal("skip=all;error=true", result.Directive("check"));
        Assert.Equal("\\", result.Directive("escape"));
        Assert.Empty(result.Root!.Children[0].PrevComment);
    }

    [Fact]
    public void Syntax_and_check_directive_values()
    {
        var result = DockerfileParser.Parse("Dockerfile", "# syntax = dockerfile:experimental // opts\n# check=skip=JSONArgsRecommended, StageNameCasing;error=true\nFROM busybox\n");
        Assert.Equal("dockerfile:experimental", result.Syntax);
        Assert.Equal(["JSONArgsRecommended", "StageNameCasing"], result.CheckOptions.Skip);
        Assert.True(result.CheckOptions.Error);
        Assert.True(result.CheckOptions.IsSkipped("stagenamecasing"));
        Assert.False(result.CheckOptions.IsSkipped("FromAsCasing"));
        Assert.True(DockerfileCheckOptions.TryParse("skip=all", out var all, out _) && all.IsSkipped("Anything"));
        Assert.False(DockerfileCheckOptions.TryParse("error=maybe", out _, out var error));
        Assert.Equal("invalid check option \"error=maybe\"", error);
        Assert.False(DockerfileCheckOptions.TryParse("bogus", out _, out _));
    }

    [Theory]
    [InlineData("# escape=\\\n# escape=`\nFROM a\n", "only one escape parser directive can be used", 2)]
    [InlineData("# syntax=a\n# SYNTAX=b\nFROM a\n", "only one syntax parser directive can be used", 2)]
    [InlineData("# escape=x\nFROM a\n", "invalid escape token 'x' does not match ` or \\", 1)]
    public void Directive_errors(string text, string message, int line)
    {
        var result = DockerfileParser.Parse("Dockerfile", text);
        Assert.Equal(message, result.Error!.Message);
        Assert.Equal(line, result.Error.Line);
    }

    [Fact]
    public void Directive_after_a_comment_or_instruction_is_a_comment()
    {
        Assert.Empty(DockerfileParser.Parse("Dockerfile", "# hello\n# escape=`\nFROM a\n").Directives);
        Assert.Empty(DockerfileParser.Parse("Dockerfile", "FROM a\n# escape=`\n").Directives);
        Assert.Empty(DockerfileParser.Parse("Dockerfile", "\n# escape=`\nFROM a\n").Directives);
    }

    [Fact]
    public void Name_value_forms()
    {
        Assert.Equal("(label \"foo\" \"bar\" \"\")", Parse("LABEL foo bar").Dump());
        Assert.Equal("(label \"foo\" \"bar\" \"=\" \"thing\" \"star\" \"=\")", Parse("LABEL foo=bar thing=star").Dump());
        Assert.Equal("ENV must have two arguments", ErrorOf("FROM a\nENV foo\n"));
        Assert.Equal("Syntax error - can't find = in \"b\". Must be of the form: name=value", ErrorOf("FROM a\nENV a=1 b\n"));
    }

    [Theory]
    [InlineData("FROM a\nfoo bar\n", "(from \"a\")\n(foo \"\")")]
    [InlineData("From a AS b\nOnBuild Run x\n", "(from \"a\" \"AS\" \"b\")\n(onbuild (run \"x\"))")]
    [InlineData("FROM a\nHEALTHCHECK NONE\n", "(from \"a\")\n(healthcheck \"NONE\")")]
    [InlineData("FROM a\nCMD [\"a\"] # c\n", "(from \"a\")\n(cmd \"[\\\"a\\\"] # c\")")]
    [InlineData("FROM a\nRUN --mount=type=secret,id=x --network=none echo\n", "(from \"a\")\n(run [\"--mount=type=secret,id=x\" \"--network=none\"] \"echo\")")]
    [InlineData("FROM a\nCOPY --chown=\"a b\" x y\n", "(from \"a\")\n(copy [\"--chown=a b\"] \"x\" \"y\")")]
    [InlineData("FROM a\nCOPY --chown=ü x y\n", "(from \"a\")\n(copy [\"--chown=Ã¼\"] \"x\" \"y\")")]
    [InlineData("FROM a\nUSER \u00a0x\n", "(from \"a\")\n(user \"x\")")]
    [InlineData("FROM a\nENTRYPOINT [\"a\\ud800\"]\n", "(from \"a\")\n(entrypoint \"a\ufffd\")")]
    [InlineData("\uFEFFFROM a\n", "(from \"a\")")]
    [InlineData("FROM a\nCMD [\"a\", 1e400]\n", "(from \"a\")\n(cmd \"[\\\"a\\\", 1e400]\")")]
    [InlineData("FROM a\nHEALTHCHECK xàx CMD y\n", "(from \"a\")\n(healthcheck \"x\ufffd\" \"x CMD y\")")]
    [InlineData("FROM a\nCOPY <<'EOF /x\n", "(from \"a\")\n(copy \"<<'EOF\" \"/x\")")]
    [InlineData("FROM a\nRUN a \\\\\nRUN b\n", "(from \"a\")\n(run \"a \\\\\\\\\")\n(run \"b\")")]
    public void Dumps(string text, string expected) => Assert.Equal(expected, Parse(text).Dump());

    [Fact]
    public void Positions_of_instructions()
    {
        var root = Parse("# c1\n# c2\n  FROM a\n\n\tRUN x \\\n  y\n");
        Assert.Equal((3, 3, 3), (root.Children[0].StartLine, root.Children[0].EndLine, root.Children[0].Column));
        Assert.Equal((5, 6, 2), (root.Children[1].StartLine, root.Children[1].EndLine, root.Children[1].Column));
        Assert.Equal(["c1", "c2"], root.Children[0].PrevComment);
        Assert.Equal("RUN x   y", root.Children[1].Original);
    }
}
