using System.Text;
using Bulwark.Parsing.Documents;
using Bulwark.Scanning;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// A key set twice in one mapping is an input error naming both lines (kubectl with strict field validation, go-yaml
/// v3 and docker compose reject the file), in YAML and JSON, from the fast reader and the YamlDotNet fallback alike;
/// the document is still read, with the last value, as the API server keeps it with <c>fieldValidation=Warn</c>.
/// </summary>
public sealed class DuplicateKeyTests
{
    private const string TwoPodsPasted = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: first
        spec:
          containers:
            - name: a
              image: nginx:1.27
        apiVersion: v1
        kind: Pod
        metadata:
          name: second
        spec:
          containers:
            - name: b
              image: busybox:1.36

        """;

    /// <summary>Makes the fast reader give up (a directive) so that the fallback reads the text; lines move by two.</summary>
    private const string ForFallback = "%YAML 1.1\n---\n";

    [Fact]
    public void Two_pods_pasted_without_a_separator_name_each_repeated_key_and_its_first_line()
    {
        var file = Inputs.Parse("pods.yaml", Inputs.Utf8(TwoPodsPasted));

        Assert.True(file.IsComplete);
        Assert.Equal(
        [
            "pods.yaml:9:1: duplicate key \"apiVersion\" (first set at line 1): kubectl with strict field validation and docker compose reject this; the last value is used",
            "pods.yaml:10:1: duplicate key \"kind\" (first set at line 2): kubectl with strict field validation and docker compose reject this; the last value is used",
            "pods.yaml:11:1: duplicate key \"metadata\" (first set at line 3): kubectl with strict field validation and docker compose reject this; the last value is used",
            "pods.yaml:13:1: duplicate key \"spec\" (first set at line 5): kubectl with strict field validation and docker compose reject this; the last value is used",
        ],
        file.Errors.Select(e => e.ToString()));

        // The document is still read, with the last values only.
        var root = Assert.IsType<DocMapping>(Assert.Single(file.Documents).Root);
        Assert.Equal(["apiVersion", "kind", "metadata", "spec"], root.Entries.Select(e => e.KeyText));
        Assert.Equal("second", root.Mapping("metadata").String("name"));
        Assert.Equal((11, 1), (root.Entry("metadata")!.Value.Key.Line, root.Entry("metadata")!.Value.Key.Column));
    }

    [Fact]
    public void Fast_reader_and_fallback_report_the_same_problems()
    {
        Assert.True(FastYamlReader.TryRead("pods.yaml", TwoPodsPasted, DocumentLimits.Default, out var fast, out var reason), reason);
        var fallback = YamlDocumentReader.Read("pods.yaml", TwoPodsPasted, DocumentLimits.Default);

        Assert.Equal(4, fast.Problems.Count);
        Assert.Null(FastYamlOracle.Compare(fallback, fast));

        // Through the pipeline when the fast reader gives up: the same errors, two lines further down.
        var viaFallback = Inputs.Parse("pods.yaml", Inputs.Utf8(ForFallback + TwoPodsPasted));
        Assert.Equal([11, 12, 13, 15], viaFallback.Errors.Select(e => e.Line));
        Assert.Contains("(first set at line 3)", viaFallback.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("second", viaFallback.Documents[0].Root.Mapping("metadata").String("name"));
    }

    [Theory]
    [InlineData("block, nested", "a:\n  x: 1\n  y: 2\n  x: 3\n", 4, 3, 2, "x")]
    [InlineData("flow mapping", "a: {x: 1, y: 2, x: 3}\n", 1, 17, 1, "x")]
    [InlineData("flow mapping over lines", "a: {\n  x: 1,\n  \"x\": 2\n}\n", 3, 3, 2, "x")]
    [InlineData("quoted and plain spellings of one key", "'k': 1\n\"k\": 2\nk: 3\n", 2, 1, 1, "k")]
    [InlineData("in a sequence item", "- name: a\n  image: x\n  name: b\n", 3, 3, 1, "name")]
    [InlineData("quoted merge key is an ordinary key", "b: &b {x: 1}\nc:\n  \"<<\": *b\n  \"<<\": *b\n", 4, 3, 3, "<<")]
    public void Duplicate_in_yaml_is_reported_at_the_repeated_key(string name, string text, int line, int column, int firstLine, string key)
    {
        foreach (var (variant, shift) in new[] { (text, 0), (ForFallback + text, 2) })
        {
            var file = Inputs.Parse("d.yaml", Inputs.Utf8(variant));

            var error = file.Errors[0];
            Assert.True((line + shift, column) == (error.Line, error.Column), $"{name}: {error}");
            Assert.Contains($"duplicate key \"{key}\" (first set at line {firstLine + shift})", error.Message, StringComparison.Ordinal);
            Assert.True(file.IsComplete);
        }

        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(text).Verdict);
    }

    [Fact]
    public void A_key_set_three_times_gives_two_errors_and_the_last_value()
    {
        var file = Inputs.Parse("t.yaml", Inputs.Utf8("a: 1\nb: 2\na: 3\na: 4\n"));

        Assert.Equal([(3, "line 1"), (4, "line 1")], file.Errors.Select(e => (e.Line, e.Message.Contains("line 1", StringComparison.Ordinal) ? "line 1" : e.Message)));
        var root = (DocMapping)file.Documents[0].Root!;
        Assert.Equal(["b", "a"], root.Entries.Select(e => e.KeyText));
        Assert.Equal("4", root.String("a"));
    }

    [Fact]
    public void Large_mappings_find_duplicates_too()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            text.Append("key").Append(i).Append(": v\n");
        }

        text.Append("key7: again\n");
        var file = Inputs.Parse("l.yaml", Inputs.Utf8(text.ToString()));

        var error = Assert.Single(file.Errors);
        Assert.Equal(41, error.Line);
        Assert.Contains("\"key7\" (first set at line 8)", error.Message, StringComparison.Ordinal);
        Assert.Equal("again", file.Documents[0].Root.String("key7"));
        Assert.Equal(40, ((DocMapping)file.Documents[0].Root!).Entries.Count);
    }

    [Fact]
    public void Json_duplicates_are_reported_and_the_last_value_kept()
    {
        var file = Inputs.Parse("d.json", Inputs.Utf8("{\n  \"kind\": \"Pod\",\n  \"spec\": {\"a\": 1, \"a\": 2},\n  \"kind\": \"Service\"\n}\n"));

        Assert.True(file.IsJson);
        Assert.Equal([(3, 20), (4, 3)], file.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("duplicate key \"a\" (first set at line 3)", file.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate key \"kind\" (first set at line 2)", file.Errors[1].Message, StringComparison.Ordinal);
        var root = Assert.Single(file.Documents).Root;
        Assert.Equal("Service", root.String("kind"));
        Assert.Equal("2", root.Mapping("spec").String("a"));
    }

    [Fact]
    public void Json_duplicates_before_a_syntax_error_are_kept_with_it()
    {
        var file = Inputs.Parse("d.json", Inputs.Utf8("{\"a\": 1, \"a\": 2}\n{\"b\": tru}\n"));

        Assert.False(file.IsComplete);
        Assert.Equal(2, file.Errors.Count);
        Assert.Contains("duplicate key \"a\"", file.Errors[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("JSON syntax error", file.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_keys_are_not_duplicates()
    {
        // A key beside a merge overrides it; several "<<" entries (as Compose files write them) and a list of
        // merged mappings that share keys are all legal.
        const string text = """
            x-base: &base {restart: always, user: "0"}
            x-logging: &logging {logging: {driver: json-file}, user: "1"}
            services:
              web:
                <<: *base
                user: "1000"
                <<: *logging
              worker:
                <<: [*base, *logging]
                image: worker

            """;

        var file = Inputs.Parse("compose.yaml", Inputs.Utf8(text));

        Assert.Empty(file.Errors);
        var web = file.Documents[0].Root.Mapping("services").Mapping("web")!;
        Assert.Equal("1000", web.String("user"));
        Assert.Equal("always", web.String("restart"));
        Assert.NotNull(web["logging"]);
        Assert.Equal("0", file.Documents[0].Root.Mapping("services").Mapping("worker").String("user"));
        Assert.Equal(FastYamlVerdict.Same, FastYamlOracle.Check(text).Verdict);
        Assert.Empty(Inputs.Parse("compose.yaml", Inputs.Utf8(ForFallback + text)).Errors);
    }

    [Fact]
    public void Duplicates_are_reported_in_the_documents_before_a_syntax_error()
    {
        var file = Inputs.Parse("m.yaml", Inputs.Utf8("a: 1\na: 2\n---\nb: [\n"));

        Assert.False(file.IsComplete);
        Assert.Equal(2, file.Errors.Count);
        Assert.Equal((2, 1), (file.Errors[0].Line, file.Errors[0].Column));
        Assert.StartsWith("YAML syntax error", file.Errors[1].Message, StringComparison.Ordinal);
        Assert.Equal("2", file.Documents[0].Root.String("a"));
    }

    [Fact]
    public void The_scan_goes_on_with_the_last_value_and_the_exit_code_says_an_input_had_an_error()
    {
        using var dir = new TempFolder();
        var pod = Path.Combine(dir.Path, "pod.yaml");
        var privileged = Inputs.PrivilegedPod.Split('\n').Single(l => l.Contains("privileged: true", StringComparison.Ordinal));
        var indent = privileged[..privileged.IndexOf('p', StringComparison.Ordinal)];
        File.WriteAllText(pod, Inputs.PrivilegedPod.Replace(privileged, indent + "privileged: false\n" + privileged, StringComparison.Ordinal));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Cli.Program.Run(["scan", pod, "--format", "json"], stdout, stderr, () => Stream.Null);

        Assert.Equal(Cli.ExitCodes.Error, exit);
        Assert.Contains("duplicate key \"privileged\" (first set at line 10)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("BW1001", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_compose_file_with_a_duplicate_key_is_still_read_as_compose()
    {
        using var dir = new TempFolder();
        var compose = Path.Combine(dir.Path, "compose.yaml");
        File.WriteAllText(compose, "services:\n  app:\n    image: nginx:1.27\n    privileged: false\n    privileged: true\n");

        var result = new ScanEngine().Scan(new ScanOptions { Paths = [compose] });

        var error = Assert.Single(result.Errors);
        Assert.Equal((5, 5), (error.Line, error.Column));
        Assert.Contains(result.Findings, f => f.Rule.Id == "BW1001" && f.Location.Line == 5);
    }
}
