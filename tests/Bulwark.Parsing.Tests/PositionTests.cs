using Bulwark.Parsing.Documents;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>Every key and value knows its 1-based line and column, in characters.</summary>
public sealed class PositionTests
{
    private static DocMapping Root(string text, string path = "p.yaml", int document = 0)
    {
        var file = Inputs.Parse(path, Inputs.Utf8(text));
        Assert.Empty(file.Errors);
        return Assert.IsType<DocMapping>(file.Documents[document].Root);
    }

    private static (int, int) At(DocNode node) => (node.Line, node.Column);

    [Fact]
    public void Block_style_keys_and_values()
    {
        var root = Root("""
            apiVersion: v1
            spec:
              containers:
                - name: web
                  image: "nginx:1.27"
            """);

        var spec = root.Entry("spec")!.Value;
        Assert.Equal((2, 1), At(spec.Key));
        Assert.Equal((3, 3), At(spec.Value));
        var containers = spec.Value.AsMapping()!.Entry("containers")!.Value;
        Assert.Equal((3, 3), At(containers.Key));
        Assert.Equal((4, 5), At(containers.Value));
        var container = containers.Value.AsSequence()!.Items[0].AsMapping()!;
        Assert.Equal((4, 7), At(container));
        Assert.Equal((4, 13), At(container.Entry("name")!.Value.Value));
        Assert.Equal((5, 7), At(container.Entry("image")!.Value.Key));
        Assert.Equal((5, 14), At(container.Entry("image")!.Value.Value));
    }

    [Fact]
    public void Flow_style_keys_and_values()
    {
        var root = Root("metadata: {name: web, labels: {app: x}}\nports: [80, 443]\n");

        var metadata = root.Entry("metadata")!.Value;
        Assert.Equal((1, 11), At(metadata.Value));
        var name = metadata.Value.AsMapping()!.Entry("name")!.Value;
        Assert.Equal((1, 12), At(name.Key));
        Assert.Equal((1, 18), At(name.Value));
        var app = metadata.Value.At("labels")!.AsMapping()!.Entry("app")!.Value;
        Assert.Equal((1, 32), At(app.Key));
        Assert.Equal((1, 37), At(app.Value));
        var ports = root["ports"].AsSequence()!;
        Assert.Equal((2, 8), At(ports));
        Assert.Equal((2, 9), At(ports.Items[0]));
        Assert.Equal((2, 13), At(ports.Items[1]));
    }

    [Fact]
    public void Multi_document_positions_count_from_the_file_start()
    {
        const string text = "a: 1\n---\nb: 2\n---\n# comment\nc:\n  d: 3\n";

        var second = Root(text, document: 1);
        var third = Root(text, document: 2);

        Assert.Equal((3, 1), At(second.Entry("b")!.Value.Key));
        Assert.Equal((3, 4), At(second.Entry("b")!.Value.Value));
        Assert.Equal((6, 1), At(third));
        Assert.Equal((7, 3), At(third.At("c")!.AsMapping()!.Entry("d")!.Value.Key));
        Assert.Equal((7, 6), At(third.At("c.d")!));
    }

    [Fact]
    public void Yaml_columns_count_characters_after_non_ascii_text()
    {
        var root = Root("名前: {ключ: значение, k: v}\nü: ü\n");

        var inner = root["名前"].AsMapping()!;
        Assert.Equal((1, 5), At(inner));
        Assert.Equal((1, 6), At(inner.Entry("ключ")!.Value.Key));
        Assert.Equal((1, 12), At(inner.Entry("ключ")!.Value.Value));
        Assert.Equal((1, 22), At(inner.Entry("k")!.Value.Key));
        Assert.Equal((2, 4), At(root["ü"]!));
    }

    [Fact]
    public void Json_keys_and_values_including_after_non_ascii_text()
    {
        const string text = "{\n  \"name\": \"日本語\", \"image\": \"x\",\n  \"ports\": [80, {\"p\": true}]\n}\n";

        var root = Root(text, "p.json");

        Assert.Equal((1, 1), At(root));
        Assert.Equal((2, 3), At(root.Entry("name")!.Value.Key));
        Assert.Equal((2, 11), At(root.Entry("name")!.Value.Value));
        // "日本語" is 9 bytes but 3 characters.
        Assert.Equal((2, 18), At(root.Entry("image")!.Value.Key));
        Assert.Equal((2, 27), At(root.Entry("image")!.Value.Value));
        var ports = root["ports"].AsSequence()!;
        Assert.Equal((3, 12), At(ports));
        Assert.Equal((3, 13), At(ports.Items[0]));
        var p = ports.Items[1].AsMapping()!.Entry("p")!.Value;
        Assert.Equal((3, 18), At(p.Key));
        Assert.Equal((3, 23), At(p.Value));
    }

    [Fact]
    public void Json_multiple_top_level_values_are_documents_with_their_positions()
    {
        var file = Inputs.Parse("many.json", Inputs.Utf8("{\"a\": 1}\n  {\"b\": 2} [3]\n"));

        Assert.Empty(file.Errors);
        Assert.Equal(3, file.Documents.Count);
        Assert.Equal([0, 1, 2], file.Documents.Select(d => d.Index));
        Assert.Equal((2, 3), At(file.Documents[1].Root!));
        Assert.Equal((2, 12), At(file.Documents[2].Root!));
    }

    [Fact]
    public void Positions_after_supplementary_characters_count_utf16_units_in_both_formats()
    {
        // An emoji is one code point but two UTF-16 units; editors (and YamlDotNet) count two.
        var yaml = Root("a: \"😀\"\nb: {x: \"😀\", y: 1}\n");
        var json = Root("{\"a\": \"😀\", \"y\": 1}", "e.json");

        Assert.Equal((2, 14), At(yaml.At("b")!.AsMapping()!.Entry("y")!.Value.Key));
        Assert.Equal((1, 13), At(json.Entry("y")!.Value.Key));
    }
}
