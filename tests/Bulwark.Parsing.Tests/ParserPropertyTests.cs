using System.Text;
using Bulwark.Parsing.Documents;
using Bulwark.TestSupport;
using CsCheck;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// Whatever the bytes, <see cref="SourceFile.Parse"/> returns documents and/or errors naming the file; it never
/// throws. Seeds that fail are printed by CsCheck and can be pinned with its <c>seed</c> argument.
/// </summary>
public sealed class ParserPropertyTests
{
    private const long Iterations = 3_000;

    /// <summary>Pieces that mean something to a YAML or JSON scanner, to splice into real manifests.</summary>
    private static readonly string[] Tokens =
    [
        "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "<<: [*a, *b]", "[", "]", "{", "}", "- ", ": ", ", ", "? ",
        "\n", "\r\n", "\r", "\t", "  ", "!!str ", "!!binary ", "!custom ", "!<tag:x> ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
        "---\n", "...\n", "'", "\"", "\\", "\\u00", "|\n", ">-\n", "|+2\n", "# c\n", "\u2028", "\u0085", "\uFEFF", "\u00e9", "😀",
        "\"a\": ", "null", "true", "1e999", "-0", "0x1F", "~", "\u0001", "\u007f", "}]", "[{", "{\"", "/*", "*/", "//",
    ];

    private static readonly byte[][] Manifests =
    [
        File.ReadAllBytes(RepositoryPaths.InRepo("examples", "kubernetes", "bad-pod.yaml")),
        File.ReadAllBytes(RepositoryPaths.InRepo("examples", "kubernetes", "hardened-pod.yaml")),
        File.ReadAllBytes(RepositoryPaths.InRepo("examples", "kubernetes", "namespaces.yaml")),
        Encoding.UTF8.GetBytes("""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
             "spec": {"replicas": 2, "template": {"spec": {"containers": [
               {"name": "web", "image": "nginx:1.27", "securityContext": {"privileged": true, "runAsUser": 0}}]}}}}
            """),
        Encoding.UTF8.GetBytes("""
            base: &base
              securityContext: {privileged: true, capabilities: {add: [NET_ADMIN]}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a}
            spec:
              containers:
                - <<: *base
                  name: a
                  image: "busybox:1.36"
                  args: [ "-c", 'echo hi' ]
                  env:
                    - name: X
                      value: |
                        multi
                        line
            """),
    ];

    private static readonly Gen<byte[]> Mutated =
        Gen.Int[0, Manifests.Length - 1]
            .SelectMany(m => Mutation.Array[1, 12].Select(ms => Apply(Manifests[m], ms)));

    private static Gen<(int Op, int At, int Length, int Token, byte Value)> Mutation =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Int[0, Tokens.Length - 1], Gen.Byte);

    [Fact]
    public void Random_bytes_never_throw() =>
        Gen.Byte.Array[0, 2048].Sample(AssertParses, iter: Iterations);

    [Fact]
    public void Random_text_bytes_never_throw() =>
        Gen.Byte[9, 126].Array[0, 2048].Sample(AssertParses, iter: Iterations);

    [Fact]
    public void Random_token_soup_never_throws() =>
        Gen.Int[0, Tokens.Length - 1].Array[0, 300]
            .Select(ix => Encoding.UTF8.GetBytes(string.Concat(ix.Select(i => Tokens[i]))))
            .Sample(AssertParses, iter: Iterations);

    [Fact]
    public void Mutations_of_real_manifests_never_throw() =>
        Mutated.Sample(AssertParses, iter: Iterations * 3);

    [Fact]
    public void Mutations_of_real_manifests_read_as_json_never_throw() =>
        Mutated.Sample(bytes => AssertParses(bytes, json: true), iter: Iterations);

    private static void AssertParses(byte[] bytes) => AssertParses(bytes, json: null);

    private static void AssertParses(byte[] bytes, bool? json)
    {
        const string path = "fuzz.yaml";
        var file = SourceFile.Parse(path, bytes, DocumentLimits.Default, json);
        Assert.All(file.Errors, e =>
        {
            Assert.Equal(path, e.File);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.True(e.Line >= 0 && e.Column >= 0, e.ToString());
        });
        Assert.All(file.Documents, d => Assert.Equal(path, d.File));
    }

    private static byte[] Apply(byte[] original, (int Op, int At, int Length, int Token, byte Value)[] mutations)
    {
        var bytes = new List<byte>(original);
        foreach (var (op, atRaw, length, token, value) in mutations)
        {
            var at = bytes.Count == 0 ? 0 : atRaw % (bytes.Count + 1);
            var count = Math.Min(length, bytes.Count - at);
            switch (op)
            {
                case 0:
                    // Overwrite one byte.
                    if (at < bytes.Count)
                    {
                        bytes[at] = value;
                    }

                    break;
                case 1:
                    bytes.RemoveRange(at, count);
                    break;
                case 2:
                    // Duplicate a slice in place.
                    bytes.InsertRange(at, bytes.GetRange(at, count));
                    break;
                case 3:
                    bytes.Insert(at, value);
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[token]));
                    break;
            }
        }

        return [.. bytes];
    }
}
