using Bulwark.Parsing.Compose;
using Xunit;

namespace Bulwark.Compose.Tests;

public sealed class DotEnvTests
{
    private static DotEnvFile.Result Parse(string text, Dictionary<string, string>? environment = null) =>
        DotEnvFile.Parse("test.env", text, name => environment is not null && environment.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void Reads_the_usual_forms_with_positions()
    {
        var result = Parse("""
            # a comment
            PLAIN=value
            export EXPORTED=yes
              SPACED = padded value   
            YAML_STYLE: colon
            INLINE=abc # comment
            HASH=abc#not-a-comment
            SINGLE='literal ${PLAIN} \n'
            DOUBLE="expanded ${PLAIN}\nnext"
            MULTI="line one
            line two"
            EMPTY=
            REF=${PLAIN}-${MISSING:-default}
            """);

        Assert.Empty(result.Errors);
        var map = result.ToDictionary();
        Assert.Equal("value", map["PLAIN"]);
        Assert.Equal("yes", map["EXPORTED"]);
        Assert.Equal("padded value", map["SPACED"]);
        Assert.Equal("colon", map["YAML_STYLE"]);
        Assert.Equal("abc", map["INLINE"]);
        Assert.Equal("abc#not-a-comment", map["HASH"]);
        Assert.Equal("literal ${PLAIN} \\n", map["SINGLE"]);
        Assert.Equal("expanded value\nnext", map["DOUBLE"]);
        Assert.Equal("line one\nline two", map["MULTI"]);
        Assert.Equal(string.Empty, map["EMPTY"]);
        Assert.Equal("value-default", map["REF"]);
        Assert.Equal((2, 1), (result.Entries[0].Location.Line, result.Entries[0].Location.Column));
        Assert.Equal(4, result.Entries.Single(e => e.Key == "SPACED").Location.Line);
        Assert.Equal(12, result.Entries.Single(e => e.Key == "EMPTY").Location.Line);
    }

    [Fact]
    public void The_lookup_wins_when_expanding_and_bare_keys_inherit()
    {
        var result = Parse("A=file\nB=${A}\nINHERITED\n", new Dictionary<string, string> { ["A"] = "env", ["INHERITED"] = "from-env" });

        Assert.Equal(["A=file", "B=env", "INHERITED=from-env"], result.Entries.Select(e => $"{e.Key}={e.Value}"));
    }

    [Fact]
    public void Bad_lines_are_errors_and_the_rest_is_read()
    {
        var result = Parse("GOOD=1\nBAD KEY=2\nQUOTE=\"unterminated\n");

        Assert.Equal([2, 3], result.Errors.Select(e => e.Line));
        Assert.Equal("1", result.ToDictionary()["GOOD"]);
    }

    [Fact]
    public void Raw_format_keeps_values_as_written()
    {
        var result = DotEnvFile.Parse("raw.env", "A='quoted' ${X}\nB\n", _ => null, raw: true);

        Assert.Equal(["A='quoted' ${X}", "B="], result.Entries.Select(e => $"{e.Key}={e.Value}"));
    }
}
