using Bulwark.Parsing.Documents;
using Xunit;

namespace Bulwark.Parsing.Tests;

public sealed class SyntaxErrorTests
{
    [Fact]
    public void Yaml_error_in_document_3_of_4_keeps_documents_1_and_2_and_names_the_line()
    {
        const string text = """
            kind: One
            ---
            kind: Two
            ---
            kind: Three
            name: a: b
            ---
            kind: Four

            """;

        var (file, error, allocated) = Inputs.ParseExpectingError("multi.yaml", Inputs.Utf8(text));

        Assert.Equal(["One", "Two"], file.Documents.Select(d => d.Root.String("kind")));
        Assert.Equal([0, 1], file.Documents.Select(d => d.Index));
        Assert.StartsWith("YAML syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
        Assert.Equal(8, error.Column);
        Bounded.AssertAllocatedBelow(allocated, 2);

        // The file's good documents and the other files are still scanned.
        Inputs.AssertScanGoesOn("multi.yaml", Inputs.Utf8(text));
    }

    [Fact]
    public void Unclosed_flow_sequence_error_points_into_the_document()
    {
        const string text = """
            kind: One
            ---
            items: [a, b
            other: c
            """;

        var (file, error, _) = Inputs.ParseExpectingError("flow.yaml", Inputs.Utf8(text));

        Assert.Single(file.Documents);
        Assert.InRange(error.Line, 3, 4);
    }

    [Fact]
    public void Bad_indentation_error_names_its_line()
    {
        const string text = "spec:\n  containers:\n    - name: a\n   image: b\n";

        var (_, error, _) = Inputs.ParseExpectingError("indent.yaml", Inputs.Utf8(text));

        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Alias_to_an_undefined_anchor_is_an_error_at_the_alias()
    {
        var (_, error, _) = Inputs.ParseExpectingError("alias.yaml", Inputs.Utf8("a: 1\nb: *nope\n"));

        Assert.Contains("*nope", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 4), (error.Line, error.Column));
    }

    [Fact]
    public void Merge_of_a_scalar_is_an_error_at_the_scalar()
    {
        var (_, error, _) = Inputs.ParseExpectingError("merge.yaml", Inputs.Utf8("a: &x 1\nb:\n  <<: *x\n"));

        Assert.Contains("merge key", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Json_syntax_error_has_the_right_line_and_column()
    {
        const string text = "{\n  \"kind\": \"Pod\",\n  \"spec\": tru\n}\n";

        var (file, error, _) = Inputs.ParseExpectingError("bad.json", Inputs.Utf8(text));

        Assert.Empty(file.Documents);
        Assert.StartsWith("JSON syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.Equal("  \"spec\": ".Length + 1, error.Column);
    }

    [Fact]
    public void Json_syntax_error_column_counts_characters_not_bytes()
    {
        // Found by this test: System.Text.Json reports the column in bytes, so "ü" and "日本" shifted it right.
        const string text = "{\"name\": \"über-日本\", \"x\": nul}";

        var (_, error, _) = Inputs.ParseExpectingError("wide.json", Inputs.Utf8(text));

        Assert.Equal(1, error.Line);
        Assert.Equal(text.IndexOf("nul}", StringComparison.Ordinal) + 1, error.Column);
    }

    [Fact]
    public void Json_error_after_a_complete_value_keeps_that_value()
    {
        const string text = "{\"kind\": \"One\"}\n{\"kind\": \"Two\",}\n";

        var (file, error, _) = Inputs.ParseExpectingError("lines.json", Inputs.Utf8(text));

        Assert.Equal("One", Assert.Single(file.Documents).Root.String("kind"));
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Json_looking_yaml_file_that_is_really_yaml_flow_style_reads_as_yaml()
    {
        var file = Inputs.Parse("flow.yaml", Inputs.Utf8("{kind: Pod, metadata: {name: web}}\n"));

        Assert.Empty(file.Errors);
        Assert.False(file.IsJson);
        Assert.Equal("web", Assert.Single(file.Documents).Root.At("metadata.name")!.ToString());
    }

    [Fact]
    public void Error_message_has_no_duplicated_position_prefix()
    {
        var (_, error, _) = Inputs.ParseExpectingError("x.yaml", Inputs.Utf8("a: b: c\n"));

        Assert.DoesNotContain("(Line:", error.Message, StringComparison.Ordinal);
        Assert.Equal($"x.yaml:{error.Line}:{error.Column}: {error.Message}", error.ToString());
    }
}
