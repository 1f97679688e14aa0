using Bulwark.Parsing.Documents;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>YAML as the Kubernetes API server reads it (sigs.k8s.io/yaml: YAML 1.1 scalars, merge keys).</summary>
public sealed class YamlSemanticsTests
{
    private static DocMapping Root(string text)
    {
        var file = Inputs.Parse("s.yaml", Inputs.Utf8(text));
        Assert.Empty(file.Errors);
        return Assert.IsType<DocMapping>(Assert.Single(file.Documents).Root);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("yes", true)]
    [InlineData("Yes", true)]
    [InlineData("ON", true)]
    [InlineData("y", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("Off", false)]
    [InlineData("N", false)]
    public void Yaml_1_1_booleans(string text, bool expected) =>
        Assert.Equal(expected, Root("v: " + text + "\n").Scalar("v")!.AsBool());

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("'yes'")]
    [InlineData("!!str on")]
    [InlineData("maybe")]
    [InlineData("1")]
    public void Quoted_tagged_and_other_scalars_are_not_booleans(string text) =>
        Assert.Null(Root("v: " + text + "\n").Scalar("v")!.AsBool());

    [Fact]
    public void Merge_key_with_one_mapping_and_explicit_keys_winning()
    {
        var root = Root("""
            base: &base {user: 0, privileged: true, image: base}
            c:
              <<: *base
              user: 1000
            """);

        var c = root.Mapping("c")!;
        Assert.Equal("1000", c.String("user"));
        Assert.Equal(true, c.Scalar("privileged")!.AsBool());
        Assert.Equal("base", c.String("image"));
        Assert.Null(c["<<"]);
    }

    [Fact]
    public void Explicit_key_before_the_merge_also_wins()
    {
        var c = Root("base: &b {user: 0}\nc:\n  user: 1000\n  <<: *b\n").Mapping("c")!;

        Assert.Equal("1000", c.String("user"));
        Assert.Single(c.Entries, e => e.KeyText == "user");
    }

    [Fact]
    public void Merge_key_with_a_list_first_listed_wins()
    {
        var c = Root("""
            a: &a {x: from-a, y: from-a}
            b: &b {x: from-b, z: from-b}
            c:
              <<: [*a, *b]
              y: own
            """).Mapping("c")!;

        Assert.Equal("from-a", c.String("x"));
        Assert.Equal("own", c.String("y"));
        Assert.Equal("from-b", c.String("z"));
    }

    [Fact]
    public void Quoted_merge_key_is_an_ordinary_key()
    {
        var c = Root("a: &a {x: 1}\nc:\n  \"<<\": *a\n").Mapping("c")!;

        Assert.NotNull(c["<<"]);
        Assert.Null(c["x"]);
    }

    [Fact]
    public void Aliases_share_the_anchored_node()
    {
        var root = Root("sc: &sc {privileged: true}\none: *sc\ntwo: *sc\n");

        Assert.Same(root["sc"], root["one"]);
        Assert.Same(root["sc"], root["two"]);
    }

    [Fact]
    public void Anchors_are_per_document()
    {
        var file = Inputs.Parse("a.yaml", Inputs.Utf8("a: &x 1\n---\nb: *x\n"));

        Assert.Single(file.Documents);
        Assert.Contains("*x", Assert.Single(file.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redefined_anchor_refers_to_the_latest_definition()
    {
        var root = Root("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");

        Assert.Equal("1", root.String("b"));
        Assert.Equal("2", root.String("d"));
    }

    [Fact]
    public void Empty_documents_have_no_root_and_null_is_not_a_value()
    {
        var file = Inputs.Parse("e.yaml", Inputs.Utf8("---\n---\na: ~\nb: null\nc:\n"));

        Assert.Empty(file.Errors);
        Assert.Equal(2, file.Documents.Count);
        Assert.Null(file.Documents[0].Root);
        var root = file.Documents[1].Root!;
        Assert.Null(root.Scalar("a"));
        Assert.Null(root.Scalar("b"));
        Assert.Null(root.Scalar("c"));
        Assert.NotNull(root.AsMapping()!["a"]);
    }

    [Fact]
    public void Explicit_tags_are_kept()
    {
        var root = Root("a: !reset {}\nb: !!str 1\n");

        Assert.Equal("!reset", root["a"]!.Tag);
        Assert.False(root.Scalar("b")!.IsPlain);
    }
}
