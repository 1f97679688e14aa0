using System.Text;
using Bulwark.Parsing.Documents;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// The YAML the fast reader handles itself (each case must be read by it, to YamlDotNet's trees), and what it must
/// leave to YamlDotNet (unsupported features and every error, so that errors keep YamlDotNet's messages and
/// positions).
/// </summary>
public sealed class FastYamlCaseTests
{
    public static TheoryData<string, string> Supported => new()
    {
        { "block mapping", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\n" },
        { "block sequence", "- a\n- b\n-   c\n" },
        { "compact mapping in a sequence", "containers:\n  - name: a\n    image: nginx\n  -   name: b\n      image: busybox\n" },
        { "sequence at its key's indentation", "args:\n- a\n- b\nnext: 1\n" },
        { "nested compact sequences", "- - a\n  - b\n- - - c\n" },
        { "empty values", "a:\nb: \nc: # comment\nd:\n  -\n  - x\n  -\ne:\n" },
        { "nulls and booleans", "a: null\nb: ~\nc: true\nd: yes\ne: 1e3\nf: 0x1F\n" },
        { "plain scalars with indicators inside", "url: http://example.com:8080/x?y=z#frag\nk: a#b\nl: a,b[c]{d}\nm: -x\nn: ?x\no: x:y\n" },
        { "multi-line plain scalar", "a: first\n  second\n\n  third   \n\n\n  fourth # comment\nb: 1\n" },
        { "multi-line plain scalar on the next line", "a:\n  first\n  - not an entry\n  [not flow]\nb: 1\n" },
        { "single-quoted", "a: 'it''s'\nb: ''\nc: 'x # not a comment'\n'quoted key': 1\n" },
        { "multi-line single-quoted", "a: 'one\n  two\n\n  three  '\n" },
        { "double-quoted escapes", "a: \"tab\\there\\nnew \\\"q\\\" \\\\ \\/ \\x41 \\u00e9 \\U0001F600 \\0 \\e \\N \\_ \\L \\P\"\n\"key\": 1\n" },
        { "multi-line double-quoted", "a: \"one\n  two\n\n  three \\\n  four\"\n" },
        { "literal block scalar", "script: |\n  line 1\n    indented\n\n  line 3\nnext: 1\n" },
        { "folded block scalar", "text: >\n  folded\n  lines\n\n    more indented\n  back\nnext: 1\n" },
        { "chomping strip", "a: |-\n  x\n\n\nb: >-\n  y\n\n" },
        { "chomping keep", "a: |+\n  x\n\n\nb: >+\n  y\n\n" },
        { "explicit indentation indicators", "a: |2\n    two more\n  base\nb: >1-\n  c\n" },
        { "block scalar header comment", "a: | # comment\n  x\nb: >+2 # c\n   y\n" },
        { "block scalar in a sequence", "- |\n  a\n  b\n- >-\n  c\n" },
        { "block scalar at the end", "a: |\n  x\n  y" },
        { "flow collections", "a: [1, 2, \"three\", 'four', [5, {six: 6}]]\nb: {x: 1, \"y\": [], z: {}}\nc: []\nd: {}\n" },
        { "multi-line flow", "args: [\n  \"--a\",\n  \"--b\", # comment\n  c\n]\nenv: {\n  a: 1,\n  b: x\n  }\n" },
        { "flow with trailing comma and empty value", "a: [x, y, ]\nb: {x: , y: 1, z: }\n" },
        { "json-like flow", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"containers\": [{\"name\": \"a\", \"ports\": [80, 443]}]}}\n" },
        { "comments everywhere", "# head\na: 1 # one\n# between\n  # indented\nb: # before\n  - x # x\n  # in list\n  - y\n# tail" },
        { "anchors and aliases", "base: &b\n  x: 1\ncopy: *b\nlist: [*b, *b]\nscalar: &s hello\nagain: *s\n" },
        { "merge keys", "base: &b {x: 1, y: 2}\nother: &o {y: 3, z: 4}\none:\n  <<: *b\n  x: 9\ntwo:\n  <<: [*o, *b]\n  w: 0\n" },
        { "quoted merge key is a plain key", "base: &b {x: 1}\na:\n  \"<<\": *b\n" },
        { "anchor redefined", "a: &x 1\nb: *x\nc: &x 2\nd: *x\n" },
        { "anchored collections", "a: &m\n  k: v\nb: &q\n  - 1\nc: &f [1]\nd: &e\n- x\n" },
        { "tags", "a: !!str 123\nb: !custom x\nc: !<tag:yaml.org,2002:int> 1\nd: ! 5\ne: !!map\n  k: v\nf: !t [1]\ng: !!str\n" },
        { "anchor and tag together", "a: &x !!str 1\nb: !t &y 2\nc: *x\n" },
        { "document markers", "---\na: 1\n---\nb: 2\n...\n---\nc: 3\n...\n" },
        { "empty documents", "---\n---\n# only a comment\n---\na: 1\n---\n" },
        { "bare scalar documents", "hello\n---\n\"quoted\"\n---\n- x\n" },
        { "helm output", "---\n# Source: chart/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: \"release-web\"\n  labels:\n    helm.sh/chart: web-1.0.0\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n---\n# Source: chart/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n" },
        { "kustomize output", "apiVersion: v1\ndata:\n  config.yaml: |\n    key: value\n    list:\n    - a\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: base/cm.yaml\n  name: cm-7f9c\n" },
        { "CRLF line endings", "a: 1\r\nb:\r\n  - x\r\n  - 'y\r\n    z'\r\nc: |\r\n  l1\r\n  l2\r\n" },
        { "unicode", "名前: 日本語\nemoji: 😀 ok\n\"é\": 'ü'\n" },
        { "tabs where YAML allows them", "a:\tvalue\nb: x\ty\nc: \"\tq\"\nd: v\t# comment\n" },
        { "odd indentation", "a:\n     b:\n          c: 1\n     d:\n      - x\n" },
        { "key with spaces before the colon", "a : 1\n\"b\"  : 2\n" },
        { "no trailing newline", "a: 1" },
        { "indented root", "  a: 1\n  b: 2\n" },
        { "plain scalars starting with ':'", "host: ::1\na: [x]\nb: :y\n" },
        { "block scalar whose first line is spaces (go-yaml reads it)", "a: |\n    \n    x\nb: >\n  \n    y\n    z\nc: |\n   \n" },
        { "comment right after a block scalar header (go-yaml reads it)", "a: |#c\n  x\nb: >+2#c\n   y\n" },
        { "double-quoted continuations not indented (go-yaml reads them)", "a:\n  b: \"x\ny\n   z\"\n  c: [\"p\n  q\", r]\n" },
        { "escaped single quote in double quotes (go-yaml reads it)", "a: \"it\\'s\"\n" },
        { "duplicate keys", "a: 1\nb: {x: 1, x: 2}\na: 3\n" },
    };

    public static TheoryData<string, string> LeftToYamlDotNet => new()
    {
        { "directive", "%YAML 1.1\n---\na: 1\n" },
        { "explicit key", "? a\n: b\n" },
        { "syntax error: mapping in a value", "a: b: c\n" },
        { "syntax error: unclosed flow", "a: [1, 2\nb: 3\n" },
        { "syntax error: unclosed quote", "a: \"x\n" },
        { "syntax error: bad indentation", "a:\n  b: 1\n c: 2\n" },
        { "syntax error: sequence then key", "- a\nb: c\n" },
        { "syntax error: unknown escape", "a: \"\\q\"\n" },
        { "tab indentation", "a:\n\tb: 1\n" },
        { "alias to an unknown anchor", "a: *nope\n" },
        { "merge of a scalar", "a: &s x\nb:\n  <<: *s\n" },
        { "line separator", "a: x\u2028y\n" },
        { "lone carriage return", "a: 1\rb: 2\n" },
        { "anchored scalar in a flow mapping", "a: {x: &y 1, z: 2}\n" },
        { "plain scalar starting with ':' right after a flow collection", "- [\"x\"]\n- :y\n" },
        { "flow key that is a collection", "{[a]: 1}\n" },
        { "tag handle without %TAG", "a: !e!x y\n" },
        { "key whose last word starts with '*'", "a *b: v1\nk: 2\n" },
        { "block scalar's leading spaces deeper than the next key", "a: |\n      \nb: 1\n" },
        { "block scalar's leading spaces deeper than the content", "a: |\n      \n    x\n" },
        { "explicit indentation and a first line of spaces past it", "a: |1\n    \n x\n" },
    };

    [Theory]
    [MemberData(nameof(Supported))]
    public void Fast_reader_reads_it_as_yamldotnet_does(string name, string text)
    {
        var outcome = FastYamlOracle.Check(text);
        Assert.True(outcome.Verdict == FastYamlVerdict.Same, $"{name}: {outcome.Verdict}: {outcome.Detail}");
    }

    [Theory]
    [MemberData(nameof(LeftToYamlDotNet))]
    public void Fast_reader_gives_up_and_the_file_reads_as_yamldotnet_reads_it(string name, string text)
    {
        var outcome = FastYamlOracle.Check(text);
        Assert.True(outcome.Verdict == FastYamlVerdict.Bailed, $"{name}: {outcome.Verdict}: {outcome.Detail}");

        // Through the pipeline the file gets YamlDotNet's documents and error, message and position included.
        var viaSource = SourceFile.Parse("f.yaml", Encoding.UTF8.GetBytes(text), DocumentLimits.Default, json: false);
        var direct = YamlDocumentReader.Read("f.yaml", text, DocumentLimits.Default);
        Assert.Equal(direct.Documents.Count, viaSource.Documents.Count);
        Assert.Equal(direct.Error?.Message, viaSource.Errors.SingleOrDefault()?.Message);
        Assert.Equal(direct.Error?.Line ?? 0, viaSource.Errors.SingleOrDefault()?.Line ?? 0);
        Assert.Equal(direct.Error?.Column ?? 0, viaSource.Errors.SingleOrDefault()?.Column ?? 0);
    }

    [Fact]
    public void Merge_keys_let_explicit_keys_win_and_the_first_listed_mapping_win()
    {
        const string text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  x: 0\n  <<: [*b, *a]\n";
        Assert.True(FastYamlReader.TryRead("f.yaml", text, DocumentLimits.Default, out var result, out var reason), reason);
        var c = (DocMapping)((DocMapping)result.Documents[0].Root!)["c"]!;
        Assert.Equal(["x", "y", "z"], c.Entries.Select(e => e.KeyText));
        Assert.Equal(["0", "2", "2"], c.Entries.Select(e => ((DocScalar)e.Value).Value));
        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(text).Verdict);
    }

    [Fact]
    public void Aliases_share_the_anchored_node()
    {
        const string text = "a: &a {x: 1}\nb: *a\nc: [*a]\n";
        Assert.True(FastYamlReader.TryRead("f.yaml", text, DocumentLimits.Default, out var result, out _));
        var root = (DocMapping)result.Documents[0].Root!;
        Assert.Same(root["a"], root["b"]);
        Assert.Same(root["a"], ((DocSequence)root["c"]!).Items[0]);
    }

    [Fact]
    public void Positions_are_yamldotnets_for_keys_values_and_empty_nodes()
    {
        const string good = "a:\n  b:\n  c: &x\n  - q\nd: \"v\"\ne: [1, {f: }]\ng: !!str\n";
        Assert.True(FastYamlReader.TryRead("f.yaml", good, DocumentLimits.Default, out var result, out var reason), reason);
        var root = (DocMapping)result.Documents[0].Root!;
        var a = (DocMapping)root["a"]!;
        Assert.Equal((2, 5), (a["b"]!.Line, a["b"]!.Column));
        Assert.Equal((3, 6), (a["c"]!.Line, a["c"]!.Column));
        Assert.Equal((5, 4), (root["d"]!.Line, root["d"]!.Column));
        var f = ((DocMapping)((DocSequence)root["e"]!).Items[1])["f"]!;
        Assert.Equal((6, 12), (f.Line, f.Column));
        Assert.Equal((7, 4), (root["g"]!.Line, root["g"]!.Column));
        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(good).Verdict);
    }

    [Fact]
    public void Limits_make_the_fast_reader_give_up_and_yamldotnet_report_them()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "\n";
        var limits = DocumentLimits.Default with { MaxDepth = 20 };
        Assert.False(FastYamlReader.TryRead("f.yaml", deep, limits, out _, out _));
        var viaSource = SourceFile.Parse("f.yaml", Encoding.UTF8.GetBytes(deep), limits, json: false);
        Assert.Contains("nesting deeper than 20", Assert.Single(viaSource.Errors).Message, StringComparison.Ordinal);

        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n";
        var small = DocumentLimits.Default with { MaxExpandedNodes = 200 };
        Assert.False(FastYamlReader.TryRead("f.yaml", bomb, small, out _, out _));
        var bombSource = SourceFile.Parse("f.yaml", Encoding.UTF8.GetBytes(bomb), small, json: false);
        var direct = YamlDocumentReader.Read("f.yaml", bomb, small);
        Assert.Equal(direct.Error!.Message, Assert.Single(bombSource.Errors).Message);
        Assert.Equal((direct.Error.Line, direct.Error.Column), (bombSource.Errors[0].Line, bombSource.Errors[0].Column));

        // Within the bounds both readers agree.
        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(bomb, DocumentLimits.Default with { MaxExpandedNodes = 10_000 }).Verdict);
    }

    [Fact]
    public void Alias_budget_counts_over_all_documents_of_a_file()
    {
        // Each document stays within the bound; together their aliases go over it.
        var document = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a]\n";
        var text = string.Join("---\n", Enumerable.Repeat(document, 5));
        var limits = DocumentLimits.Default with { MaxExpandedNodes = 200 };
        Assert.Equal(FastYamlVerdict.Bailed, FastYamlOracle.Check(text, limits).Verdict);
        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(string.Join("---\n", Enumerable.Repeat(document, 3)), limits).Verdict);
    }

    [Fact]
    public void Deep_nesting_never_overflows_the_stack()
    {
        var text = string.Concat(Enumerable.Repeat("- ", 5_000)) + "x\n";
        var (ok, _) = Bounded.Run(() => FastYamlReader.TryRead("f.yaml", text, DocumentLimits.Default with { MaxDepth = 100_000 }, out _, out _));
        Assert.False(ok);
    }
}
