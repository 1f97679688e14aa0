using Bulwark.Parsing.Dockerfile;
using Xunit;

namespace Bulwark.Dockerfile.Tests;

/// <summary>Tables ported from BuildKit's shell/lex_test.go (TestProcessWithMatches and friends).</summary>
public sealed class ShellLexerTableTests
{
    private static ShellEnvironment Env(params string[] pairs) => ShellEnvironment.FromPairs(pairs);

    public static TheoryData<string, string[], string?, string[], string[]> MatchCases() => new()
    {
        { "x", ["DUMMY=dummy"], "x", [], [] },
        { "x ${UNUSED}", ["DUMMY=dummy"], "x ", [], ["UNUSED"] },
        { "x ${FOO}", ["FOO=y"], "x y", ["FOO"], [] },
        { "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", ["FOO=xxx", "BAR="], "xxx  ccc", ["FOO", "BAR"], ["BAZ"] },
        { "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", ["FOO=xxx", "BAR="], "xxx bbb ccc", ["FOO", "BAR"], ["BAZ"] },
        { "${FOO:-}", ["FOO=xxx", "BAR="], "xxx", ["FOO"], [] },
        { "${FOO:-}", [], "", [], ["FOO"] },
        { "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", ["FOO=xxx", "BAR="], "aaa bbb ", ["FOO", "BAR"], ["BAZ"] },
        { "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", ["FOO=xxx", "BAR="], "aaa  ", ["FOO", "BAR"], ["BAZ"] },
        { "${FOO?aaa}", ["FOO=xxx", "BAR="], "xxx", ["FOO"], [] },
        { "${BAR?bbb}", ["FOO=xxx", "BAR="], "", ["BAR"], [] },
        { "${BAZ?ccc}", ["FOO=xxx", "BAR="], null, [], ["BAZ"] },
        { "${FOO:?aaa}", ["FOO=xxx", "BAR="], "xxx", ["FOO"], [] },
        { "${BAR:?bbb}", ["FOO=xxx", "BAR="], null, [], [] },
        { "${BAZ:?ccc}", ["FOO=xxx", "BAR="], null, [], ["BAZ"] },
        { "${BAZ:?}", ["FOO=xxx", "BAR="], null, [], ["BAZ"] },
        { "${FOO=aaa}", ["FOO=xxx", "BAR="], null, [], [] },
        { "${FOO=:aaa}", ["FOO=xxx", "BAR="], null, [], [] },
        { "${FOO=}", [], null, [], [] },
        { "${FOO#()[]{\\}^$.\\*\\?|\\\\}", ["FOO=()[]{}^$.*?|\\x"], "x", ["FOO"], [] },
        { "${FOO%%\\**}", ["FOO=xx**"], "xx", ["FOO"], [] },
        { "${FOO#*x*y}", ["FOO=xxyy"], "y", ["FOO"], [] },
        { "${FOO#*}", ["FOO=xxyy"], "xxyy", ["FOO"], [] },
        { "${FOO#$BAR}", ["FOO=xxyy", "BAR=x"], "xyy", ["FOO", "BAR"], [] },
        { "${FOO#$BAR}", ["FOO=xxyy", "BAR="], "xxyy", ["FOO", "BAR"], [] },
        { "${FOO#}", ["FOO=xxyy"], "xxyy", ["FOO"], [] },
        { "${FOO##*x}", ["FOO=xxyy"], "yy", ["FOO"], [] },
        { "${FOO##}", ["FOO=xxyy"], "xxyy", ["FOO"], [] },
        { "${FOO#?\\?}", ["FOO=???y"], "?y", ["FOO"], [] },
        { "${ABC:-.}${FOO%x}${ABC:-.}", ["FOO=xxyy"], ".xxyy.", ["FOO"], ["ABC"] },
        { "${FOO%%\\**\\*}", ["FOO=a***yy*"], "a", ["FOO"], [] },
        { "${FOO%}", ["FOO=xxyy"], "xxyy", ["FOO"], [] },
        { "${FOO%%$BAR}", ["FOO=xxyy", "BAR="], "xxyy", ["FOO", "BAR"], [] },
        { "${FOO:#}", [], null, [], [] },
        { "${FOO:##}", [], null, [], [] },
        { "${FOO:%}", [], null, [], [] },
        { "${FOO:%%}", [], null, [], [] },
        { "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", ["FOO=/foo*/*/*.txt", "NEEDLE=\\*/"], "/foo.*/*.txt - /foo..*.txt", ["FOO", "NEEDLE"], [] },
        { "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", ["FOO=/tmp/tmp/bar.txt", "NEEDLE=/tmp"], "/tmp/bar.txt - /bar.txt", ["FOO", "NEEDLE"], [] },
        { "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", ["FOO=/a/foo/b/c.txt", "NEEDLE=/?/", "REPLACEMENT=/"], "/foo/b/c.txt - /foo/c.txt", ["FOO", "NEEDLE", "REPLACEMENT"], [] },
        { "${FOO/$NEEDLE/$REPLACEMENT}", ["FOO=http://google.de", "NEEDLE=http://", "REPLACEMENT=https://"], "https://google.de", ["FOO", "NEEDLE", "REPLACEMENT"], [] },
        { "${FOO//\\//\\/}", ["FOO=/tmp/foo.txt"], "\\/tmp\\/foo.txt", ["FOO"], [] },
        { "${FOO/$BAR/ww}", ["FOO=xxyy", "BAR="], "wwxxyy", ["FOO", "BAR"], [] },
        { "${FOO//ww}", ["FOO=xxyy"], null, [], [] },
        { "${FOO//}", ["FOO=xxyy"], null, [], [] },
        { "${FOO///}", ["FOO=xxyy"], "xxyy", ["FOO"], [] },
        { "${FOO///}", [], "", [], ["FOO"] },
    };

    [Theory]
    [MemberData(nameof(MatchCases))]
    public void ProcessWordWithMatches(string input, string[] envs, string? expected, string[] matches, string[] unmatched)
    {
        var lexer = new ShellLexer('\\');
        if (expected is null)
        {
            Assert.Throws<ShellLexException>(() => lexer.ProcessWordWithMatches(input, Env(envs)));
            return;
        }

        var result = lexer.ProcessWordWithMatches(input, Env(envs));
        Assert.Equal(expected, result.Result);
        Assert.Equal(matches.Order(StringComparer.Ordinal), result.Matched.Order(StringComparer.Ordinal));
        Assert.Equal(unmatched.Order(StringComparer.Ordinal), result.Unmatched.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Platform_style_release_names_expand()
    {
        const string Release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        var lexer = new ShellLexer('\\');
        Assert.Equal("something-v1.2.3.linux-arm-v7.tar.gz", lexer.ProcessWord(Release, Env("VERSION=v1.2.3", "TARGETOS=linux", "TARGETARCH=arm", "TARGETVARIANT=v7")));
        Assert.Equal("something-v1.2.3.linux-arm64.tar.gz", lexer.ProcessWord(Release, Env("VERSION=v1.2.3", "TARGETOS=linux", "TARGETARCH=arm64")));
    }

    [Fact]
    public void Mandatory_variables_fail_with_the_message()
    {
        var lexer = new ShellLexer('\\');
        const string NoEmpty = "${VAR:?message here$ARG}";
        const string NoUnset = "${VAR?message here$ARG}";
        Assert.Equal("plain", lexer.ProcessWord(NoEmpty, Env("VAR=plain", "ARG=x")));
        Assert.Contains("message herex", Assert.Throws<ShellLexException>(() => lexer.ProcessWord(NoEmpty, Env("VAR=", "ARG=x"))).Message, StringComparison.Ordinal);
        Assert.Contains("message herex", Assert.Throws<ShellLexException>(() => lexer.ProcessWord(NoEmpty, Env("ARG=x"))).Message, StringComparison.Ordinal);
        Assert.Equal("plain", lexer.ProcessWord(NoUnset, Env("VAR=plain", "ARG=x")));
        Assert.Equal(string.Empty, lexer.ProcessWord(NoUnset, Env("VAR=", "ARG=x")));
        Assert.Contains("message herex", Assert.Throws<ShellLexException>(() => lexer.ProcessWord(NoUnset, Env("ARG=x"))).Message, StringComparison.Ordinal);
        Assert.Contains("VAR: is not allowed to be unset", Assert.Throws<ShellLexException>(() => lexer.ProcessWord("${VAR?}", Env())).Message, StringComparison.Ordinal);
        Assert.Contains("VAR: is not allowed to be empty", Assert.Throws<ShellLexException>(() => lexer.ProcessWord("${VAR:?}", Env("VAR="))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_duplicate_names_win()
    {
        var env = Env("foo=bar", "car=hat", "car=bike");
        Assert.Equal("bike", new ShellLexer().ProcessWord("$car", env));
        Assert.Equal(string.Empty, new ShellLexer().ProcessWord("$foo", Env("foo")));
    }

    [Theory]
    [InlineData("\\")]
    [InlineData("\\x")]
    [InlineData("\\\\\\")]
    public void Invalid_pattern_escapes_are_errors(string pattern)
    {
        var env = Env("FOO=abc", "P=" + pattern);
        var ex = Assert.Throws<ShellLexException>(() => new ShellLexer().ProcessWord("${FOO#$P}", env));
        Assert.Contains("invalid pattern", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${V%.*}", "file.tar.gz", "file.tar")]
    [InlineData("${V%%.*}", "file.tar.gz", "file")]
    [InlineData("${V#*.}", "file.tar.gz", "tar.gz")]
    [InlineData("${V##*.}", "file.tar.gz", "gz")]
    [InlineData("${V##*/}", "/usr/local/bin/tool", "tool")]
    [InlineData("${V%/*}", "/usr/local/bin/tool", "/usr/local/bin")]
    [InlineData("${V#v}", "v1.2.3", "1.2.3")]
    [InlineData("${V/./-}", "1.2.3", "1-2.3")]
    [InlineData("${V//./-}", "1.2.3", "1-2-3")]
    [InlineData("${V//?/x}", "abc", "xxx")]
    [InlineData("${V%%[a]}", "ab[a]", "ab")]
    [InlineData("${V//b/$$}", "abc", "ac")]
    [InlineData("${V//b/\\$0}", "abc", "a\\bc")]
    [InlineData("${V%\\}}", "ab}", "ab")]
    [InlineData("${V#안}", "안녕", "녕")]
    [InlineData("${V#?}", "👽🚀", "🚀")]
    [InlineData("${V%?}", "👽🚀", "👽")]
    public void Pattern_modifiers(string word, string value, string expected)
    {
        Assert.Equal(expected, new ShellLexer().ProcessWord(word, Env("V=" + value)));
    }

    [Fact]
    public void Replace_all_with_an_empty_pattern_inserts_between_characters_as_Go_does()
    {
        Assert.Equal("-a-b-", new ShellLexer().ProcessWord("${V//$E/-}", Env("V=ab", "E=")));
    }

    [Fact]
    public void Stars_and_question_marks_do_not_match_newlines()
    {
        Assert.Equal("b\nc", new ShellLexer().ProcessWord("${V#*a}", Env("V=xab\nc")));
        Assert.Equal("a\n", new ShellLexer().ProcessWord("${V%%b*}", Env("V=a\nbc")));
        Assert.Equal("a\nbc", new ShellLexer().ProcessWord("${V##*c}", Env("V=a\nbc")));
    }

    [Fact]
    public void Nested_substitution_resets_the_current_word_as_BuildKits_shared_buffer_does()
    {
        var lexer = new ShellLexer();
        Assert.Equal(["bc"], lexer.ProcessWords("a${x:-b}c", Env()));
        Assert.Equal("abc", lexer.ProcessWord("a${x:-b}c", Env()));
        Assert.Equal(["a", "bc"], lexer.ProcessWords("a ${x:-b}c", Env()));
        Assert.Equal(["ayc"], lexer.ProcessWords("a${x}c", Env("x=y")));
    }

    [Fact]
    public void Skip_unset_env_keeps_references()
    {
        var lexer = new ShellLexer('\\') { SkipUnsetEnv = true };
        Assert.Equal("$X ${Y} ${Z:-a} ${W/a/b} set", lexer.ProcessWord("$X ${Y} ${Z:-a} ${W/a/b} $S", Env("S=set")));
    }

    [Fact]
    public void Backtick_escape_token()
    {
        var lexer = new ShellLexer('`');
        Assert.Equal("$FOO", lexer.ProcessWord("`$FOO", Env("FOO=x")));
        Assert.Equal("\\x", lexer.ProcessWord("\\$FOO", Env("FOO=x")));
        Assert.Equal("a b", lexer.ProcessWord("a` b", Env()));
    }

    [Fact]
    public void Expansion_is_bounded()
    {
        var big = new string('a', 700_000);
        var env = Env("A=" + big);
        var ex = Assert.Throws<ShellLexException>(() => new ShellLexer().ProcessWord("$A$A", env));
        Assert.Contains("longer than", ex.Message, StringComparison.Ordinal);
    }
}
