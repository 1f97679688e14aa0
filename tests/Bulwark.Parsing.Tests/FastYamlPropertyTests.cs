using System.Text;
using Bulwark.Bench.CorpusGenerator;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// Differential property tests: random YAML (see <see cref="FastYamlGenerator"/>) and random mutations of real
/// manifests, read by the fast reader and by YamlDotNet. The fast reader may give up on any text, but when it reads
/// one its trees must equal YamlDotNet's node for node, and it must never read a text YamlDotNet rejects. CsCheck
/// prints the seed of a failing case; the assertion message shows the text.
/// </summary>
public sealed class FastYamlPropertyTests(ITestOutputHelper output)
{
    /// <summary>Pieces that mean something to a YAML scanner, to splice into real manifests.</summary>
    private static readonly string[] Tokens =
    [
        "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "<<: [*a, *b]", "[", "]", "{", "}", "- ", ": ", ", ", "? ", "\n",
        "\r\n", "\t", "  ", "    ", "!!str ", "!custom ", "!<tag:x> ", "---\n", "...\n", "'", "\"", "\\", "\\u00e9", "|\n",
        ">-\n", "|+2\n", "# c\n", " # c", "\u00e9", "😀", "\"a\": ", "null", "~", ":", "#", "-", "key: value\n", "\n  ",
        "|#c\n", "|\n    \n", "\\'", "name: dup\n",
    ];

    private static readonly string[] Manifests = LoadManifests();

    [Fact]
    public void Generated_yaml_reads_the_same_as_yamldotnet()
    {
        var tally = new FastYamlTally();
        Gen.Int[0, int.MaxValue].Sample(
            seed =>
            {
                var text = new FastYamlGenerator(seed).Stream();
                FastYamlOutcome outcome;
                lock (tally)
                {
                    outcome = tally.Add("seed " + seed, text);
                }

                Assert.True(outcome.Verdict != FastYamlVerdict.Different, $"{outcome.Detail}\n--- text (seed {seed}) ---\n{text}");
            },
            iter: 20_000);

        output.WriteLine(tally.Summary());

        // Most generated streams must be read by the fast reader, or the comparison above proves little.
        Assert.True(tally.Same >= tally.Total * 0.6, tally.Summary());
    }

    [Fact]
    public void Mutated_manifests_read_the_same_as_yamldotnet()
    {
        var tally = new FastYamlTally();
        var mutation = Gen.Select(Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int[1, 40], Gen.Int[0, Tokens.Length - 1]);
        Gen.Select(Gen.Int[0, Manifests.Length - 1], mutation.Array[1, 6]).Sample(
            input =>
            {
                var text = Mutate(Manifests[input.Item1], input.Item2);
                FastYamlOutcome outcome;
                lock (tally)
                {
                    outcome = tally.Add("mutation", text);
                }

                Assert.True(outcome.Verdict != FastYamlVerdict.Different, $"{outcome.Detail}\n--- text ---\n{text}");
            },
            iter: 20_000);

        output.WriteLine(tally.Summary());
        Assert.True(tally.Same >= tally.Total / 5, tally.Summary());
    }

    [Fact]
    public void Re_indented_manifests_read_the_same_as_yamldotnet()
    {
        // Whole-text transformations real tools produce: other indentation steps, CRLF, trailing blanks, comments.
        var tally = new FastYamlTally();
        foreach (var manifest in Manifests)
        {
            foreach (var text in Variants(manifest))
            {
                var outcome = tally.Add("variant", text);
                Assert.True(outcome.Verdict != FastYamlVerdict.Different, $"{outcome.Detail}\n--- text ---\n{text}");
            }
        }

        output.WriteLine(tally.Summary());
        Assert.True(tally.Same >= tally.Total * 0.9, tally.Summary());
    }

    private static IEnumerable<string> Variants(string text)
    {
        yield return text.Replace("\n", "\r\n", StringComparison.Ordinal);
        yield return text.Replace("\n", "   \n", StringComparison.Ordinal);
        yield return text.Replace("\n", " # trailing comment\n", StringComparison.Ordinal);
        yield return text.Replace("\n", "\n\n", StringComparison.Ordinal);
        yield return text.Replace("\n  ", "\n    ", StringComparison.Ordinal);
        yield return text.Replace("\n  ", "\n ", StringComparison.Ordinal);
        yield return text.Replace("\n", "\n# comment line\n", StringComparison.Ordinal);
        yield return "---\n" + text + "\n...\n";
        yield return text.TrimEnd('\n');
        yield return text.Replace(": ", ":\t", StringComparison.Ordinal);
    }

    private static string Mutate(string text, (int Op, int At, int Length, int Token)[] mutations)
    {
        var sb = new StringBuilder(text);
        foreach (var (op, atRaw, length, token) in mutations)
        {
            var at = sb.Length == 0 ? 0 : atRaw % (sb.Length + 1);
            var count = Math.Min(length, sb.Length - at);
            switch (op)
            {
                case 0:
                    sb.Remove(at, count);
                    break;
                case 1:
                    // Duplicate a slice in place.
                    sb.Insert(at, sb.ToString(at, count));
                    break;
                case 2:
                    // Indent or dedent the line the position is on.
                    var lineStart = at == 0 ? 0 : sb.ToString(0, at).LastIndexOf('\n') + 1;
                    if (length % 2 == 0)
                    {
                        sb.Insert(lineStart, new string(' ', 1 + (length % 4)));
                    }
                    else if (lineStart < sb.Length && sb[lineStart] == ' ')
                    {
                        sb.Remove(lineStart, 1);
                    }

                    break;
                default:
                    sb.Insert(at, Tokens[token]);
                    break;
            }
        }

        return sb.ToString();
    }

    private static string[] LoadManifests()
    {
        // Two real manifests of the shared corpus when it is there; the repository's examples and the generator suffice without.
        var shared = RepositoryPaths.SharedIfPresent is { } folder
            ? new[]
            {
                Path.Combine(folder, "corpus", "kubernetes", "examples", "web", "guestbook", "frontend-deployment.yaml"),
                Path.Combine(folder, "corpus", "kubernetes", "examples", "AI", "vllm-deployment", "vllm-deployment.yaml"),
            }.Where(File.Exists).Select(File.ReadAllText)
            : [];
        var examples = Directory.EnumerateFiles(RepositoryPaths.InRepo("examples"), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Take(8).Select(File.ReadAllText);

        // A block and a flow file of the benchmark corpus (anchors, merge keys and block scalars come from the generator above).
        var generated = Corpus.Generate(count: 200, seed: 3).Where(f => f.Format != "json" && f.Objects <= 3).GroupBy(f => f.Format).Select(g => g.First().Text);
        return [.. shared, .. examples, .. generated];
    }
}
