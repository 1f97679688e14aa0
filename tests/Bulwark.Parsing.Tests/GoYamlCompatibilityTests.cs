using System.Globalization;
using System.Text;
using Bulwark.Parsing.Documents;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// Block scalars and quoted scalars as the Kubernetes toolchain reads them (go-yaml, a port of libyaml): the value
/// each reader must produce, or "error" where go-yaml rejects the text too. Expected values were checked against
/// go-yaml's scanner (yaml_parser_scan_block_scalar, yaml_parser_scan_block_scalar_breaks,
/// yaml_parser_scan_flow_scalar) and libyaml. Every case goes through the pipeline (SourceFile), the YamlDotNet
/// fallback alone (YamlDocumentReader, with GoYamlLeniency) and the fast reader, which must read the cases marked
/// fast and may leave the others to the fallback, but never read them differently.
/// </summary>
public sealed class GoYamlCompatibilityTests
{
    private const string Error = "error";

    public static TheoryData<string, string, string, bool> Cases => new()
    {
        // go-yaml reads these; YamlDotNet alone rejects them.
        { "literal: first line of spaces at the content's indentation", "a: |\n    \n    hello\n", """{"a": "\nhello\n"}""", true },
        { "literal: first line of fewer spaces than the content", "a: |\n  \n    hello\n", """{"a": "\nhello\n"}""", true },
        { "literal: first line of spaces, CRLF", "a: |\r\n    \r\n    hello\r\n", """{"a": "\nhello\n"}""", true },
        { "literal: lines of spaces only, then the end", "a: |\n    \n", """{"a": ""}""", true },
        { "literal: lines of spaces only, then the end without a break", "a: |\n    \n    ", """{"a": ""}""", true },
        { "literal: leading spaces deeper than the next key", "a: |\n      \nb: 1\n", """{"a": "", "b": "1"}""", false },
        { "keep chomping: leading spaces deeper than the next key", "a: |+\n      \nb: 1\n", """{"a": "\n", "b": "1"}""", false },
        { "folded: leading spaces deeper than the next key", "a: >\n      \nb: 1\n", """{"a": "", "b": "1"}""", false },
        { "folded: empty line, then spaces deeper than the next key", "a: >\n\n      \nb: 1\n", """{"a": "", "b": "1"}""", false },
        { "leading spaces deeper than the next key, CRLF", "a: |\r\n      \r\nb: 1\r\n", """{"a": "", "b": "1"}""", false },
        { "compact mapping in a sequence: spaces deeper than the next key", "- a: |\n      \n  b: 1\n", """[{"a": "", "b": "1"}]""", false },
        { "nested sequences: spaces deeper than the next entry", "- - |\n        \n  - x\n", """[["", "x"]]""", false },
        { "nested mapping: spaces deeper than the next key", "a:\n  b: |\n       \n  c: 1\n", """{"a": {"b": "", "c": "1"}}""", false },
        { "folded, first line of spaces, folding after it", "a: >\n    \n    hello\n    world\n", """{"a": "\nhello world\n"}""", true },
        { "comment right after the indicators", "a: |#c\n  x\nb: >-#c\n  y\n", """{"a": "x\n", "b": "y"}""", true },
        { "double-quoted: continuation at the key's indentation", "a: \"x\ny\"\n", """{"a": "x y"}""", true },
        { "double-quoted: continuation left of the enclosing mapping", "x:\n  a: \"foo\nbar\"\n  b: 1\n", """{"x": {"a": "foo bar", "b": "1"}}""", true },
        { "double-quoted: continuations at several indentations", "x:\n    a: \"p\n  q\n r\n\ts\"\n    b: 1\n", """{"x": {"a": "p q r s", "b": "1"}}""", true },
        { "double-quoted in a flow sequence, closed at the key's indentation", "spec:\n  args: [\"\n    cd /src &&\n    make\n  \"]\n  image: x\n", """{"spec": {"args": [" cd /src && make "], "image": "x"}}""", true },
        { "double-quoted in a flow mapping, entries after it", "x:\n  a: {k: \"p\nq\", l: 1}\n", """{"x": {"a": {"k": "p q", "l": "1"}}}""", true },
        { "double-quoted: escaped single quote", "a: \"it\\'s\"\n", """{"a": "it's"}""", true },

        // Read alike by every reader: the edge cases around them.
        { "chomping: strip, keep, folded strip", "a: |-\n  x\n\n\nb: |+\n  y\n\n\nc: >-\n  z\n\n", """{"a": "x", "b": "y\n\n\n", "c": "z"}""", true },
        { "keep chomping at the end of the file", "a: |+\n  x\n\n", """{"a": "x\n\n"}""", true },
        { "clip and keep without a final break", "a: |\n  x\nb: |+\n  y", """{"a": "x\n", "b": "y"}""", true },
        { "folded: more-indented lines keep their breaks", "a: >\n  one\n  two\n\n  three\n    more\n  four\n", """{"a": "one two\nthree\n  more\nfour\n"}""", true },
        { "folded: a line of more spaces inside the content", "a: >\n  x\n     \n  y\n", """{"a": "x\n   \ny\n"}""", true },
        { "explicit indentation indicator", "a: |2\n    two more\n  base\n", """{"a": "  two more\nbase\n"}""", true },
        { "indicators in both orders", "a: |-1\n  x\nb: |1-\n  y\n", """{"a": " x", "b": " y"}""", true },
        { "explicit indentation: spaces up to it before the next key", "a: >2\n  \nb: 1\n", """{"a": "", "b": "1"}""", true },
        { "explicit indentation: first line one space past it", "a: |2\n   \n  x\n", """{"a": " \nx\n"}""", true },
        { "empty block scalars", "a: |\nb: >-\n\nc: |+\n\n", """{"a": "", "b": "", "c": "\n"}""", true },
        { "top level", "|\n  top\n  level\n", "\"top\\nlevel\\n\"", true },
        { "in a sequence", "- |\n  a\n- >-\n  b\n  c\n", """["a\n", "b c"]""", true },
        { "document markers inside the content", "a: |\n  ---\n  ...\n  x\n", """{"a": "---\n...\nx\n"}""", true },
        { "document marker at column 0 ends it", "a: |\n  x\n---\nb: 1\n", """{"a": "x\n"} --- {"b": "1"}""", true },
        { "header comment after a blank", "a: | # c\n  x\n", """{"a": "x\n"}""", true },
        { "tab after the indentation is content", "a: |\n  x\n  \ty\n", """{"a": "x\n\ty\n"}""", true },
        { "folded, CRLF", "a: >\r\n  x\r\n  y\r\n\r\n  z\r\n", """{"a": "x y\nz\n"}""", true },
        { "less-indented comment ends it", "a: |\n  x\n # c\nb: 1\n", """{"a": "x\n", "b": "1"}""", true },
        { "double-quoted: escaped line break", "a: \"p\\\n  q\"\n", """{"a": "pq"}""", true },

        // go-yaml rejects these too.
        { "leading spaces deeper than the content", "a: |\n      \n    hello\nb: 1\n", Error, false },
        { "leading spaces deeper than a line that is no key", "key:\n  |\n      \n  b\n", Error, false },
        { "indentation indicator 0", "a: |0\n  x\n", Error, false },
        { "two-digit indentation indicator", "a: |10\n  x\n", Error, false },
        { "document marker in a double-quoted scalar", "x:\n  a: \"p\n---\nq\"\n", Error, false },
        { "unknown escape", "a: \"\\q\"\n", Error, false },

        // Known differences (docs/adr/0006, amendment): go-yaml reads the spaces past an explicit indentation on the first line
        // as content, which YamlDotNet rejects and no rewrite can express; go-yaml rejects a tab where indentation is
        // expected and content at column 0 of a top-level block scalar, which are read here.
        { "known difference: first line of spaces past an explicit indentation", "a: |2\n      \n  x\n", Error, false },
        { "known difference: tab in a leading blank line", "a: |\n \t\n  x\n", """{"a": "\t\n x\n"}""", true },
        { "known difference: top-level content at column 0", "--- |\nfoo\n", "\"foo\\n\"", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_block_and_quoted_scalars_as_go_yaml_does(string name, string text, string expected, bool fast)
    {
        var file = SourceFile.Parse("c.yaml", Encoding.UTF8.GetBytes(text), DocumentLimits.Default, json: false);
        var fallback = YamlDocumentReader.Read("c.yaml", text, DocumentLimits.Default);
        if (expected == Error)
        {
            Assert.True(file.Errors.Count > 0, $"{name}: read as {Render(file.Documents)}");
            Assert.NotNull(fallback.Error);
            Assert.False(FastYamlReader.TryRead("c.yaml", text, DocumentLimits.Default, out _, out _), name);
            return;
        }

        Assert.True(file.Errors.Count == 0, $"{name}: {string.Join("; ", file.Errors)}");
        Assert.Equal(expected, Render(file.Documents));
        Assert.Null(fallback.Error);
        Assert.Equal(expected, Render(fallback.Documents));

        var read = FastYamlReader.TryRead("c.yaml", text, DocumentLimits.Default, out var result, out var reason);
        Assert.True(read || !fast, $"{name}: the fast reader gave up: {reason}");
        if (read)
        {
            Assert.Equal(expected, Render(result!.Documents));
        }

        // Positions and everything else the same too, wherever the fast reader reads.
        Assert.NotEqual(FastYamlVerdict.Different, FastYamlOracle.Check(text).Verdict);
    }

    [Fact]
    public void Positions_after_a_rewritten_line_are_the_files()
    {
        // The continuation line is indented for YamlDotNet; the nodes after the closing quote keep their columns.
        const string text = "x:\n  a: {k: \"p\nq\", l: 1, m: [\"r\ns\", t]}\n";
        var result = YamlDocumentReader.Read("p.yaml", text, DocumentLimits.Default);

        Assert.Null(result.Error);
        var a = (DocMapping)((DocMapping)result.Documents[0].Root!)["x"]!.AsMapping()!["a"]!;
        Assert.Equal((3, 5), (a.Entry("l")!.Value.Key.Line, a.Entry("l")!.Value.Key.Column));
        Assert.Equal((3, 8), (a["l"]!.Line, a["l"]!.Column));
        var m = (DocSequence)a["m"]!;
        Assert.Equal((3, 15), (m.Items[0].Line, m.Items[0].Column));
        Assert.Equal((4, 5), (m.Items[1].Line, m.Items[1].Column));
        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(text).Verdict);
    }

    [Fact]
    public void Errors_after_a_rewrite_point_at_the_file()
    {
        // The block scalar is rewritten (its line of spaces emptied), then YamlDotNet stops at the bad key.
        const string text = "a: |\n      \nb: 1\nc: [x\n";
        var file = SourceFile.Parse("e.yaml", Encoding.UTF8.GetBytes(text), DocumentLimits.Default, json: false);
        var direct = YamlDocumentReader.Read("e.yaml", text, DocumentLimits.Default);

        var error = Assert.Single(file.Errors);
        Assert.DoesNotContain("extra spaces", error.Message, StringComparison.Ordinal);
        Assert.Equal((direct.Error!.Line, direct.Error.Column), (error.Line, error.Column));
        Assert.True(error.Line >= 4, error.ToString());
    }

    [Fact]
    public void Many_rewrites_in_one_file_are_bounded()
    {
        // Each block scalar costs YamlDotNet one more reading: a file of thousands stops at the budget, as an error.
        var text = string.Concat(Enumerable.Range(0, 2_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"k{i}: |\n      \n")));
        var (result, _) = Bounded.Run(() => YamlDocumentReader.Read("m.yaml", text, DocumentLimits.Default));
        Assert.Contains("extra spaces", result.Error?.Message ?? string.Empty, StringComparison.Ordinal);

        // A few are read.
        var few = string.Concat(Enumerable.Range(0, 20).Select(i => string.Create(CultureInfo.InvariantCulture, $"k{i}: |\n      \n")));
        Assert.Null(YamlDocumentReader.Read("f.yaml", few, DocumentLimits.Default).Error);
    }

    [Fact]
    public void Argo_style_multi_line_args_no_longer_lose_the_file()
    {
        const string text = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: build-
            spec:
              templates:
              - name: build
                container:
                  image: golang:1.22
                  command: [sh, -c]
                  args: ["
                    cd /src &&
                    go build ./...
                  "]

            """;

        var file = Inputs.Parse("wf.yaml", Inputs.Utf8(text));

        Assert.Empty(file.Errors);
        var container = file.Documents[0].Root.At("spec.templates")!.AsSequence()!.Items[0].Mapping("container")!;
        Assert.Equal(" cd /src && go build ./... ", Assert.Single(container.ItemsOf("args")).AsScalar()!.Value);
        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(text).Verdict);
    }

    /// <summary>Documents as JSON-like text: every scalar as a quoted string, a missing root as "~".</summary>
    private static string Render(List<SourceDocument> documents) =>
        string.Join(" --- ", documents.Select(d => Render(d.Root)));

    private static string Render(DocNode? node) => node switch
    {
        null => "~",
        DocScalar s => Quote(s.Value),
        DocSequence q => "[" + string.Join(", ", q.Items.Select(Render)) + "]",
        DocMapping m => "{" + string.Join(", ", m.Entries.Select(e => Render(e.Key) + ": " + Render(e.Value))) + "}",
        _ => "?",
    };

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}
