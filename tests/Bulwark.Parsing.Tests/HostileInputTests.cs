using System.Text;
using Bulwark.Parsing.Documents;
using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// Inputs written to hurt the parser. Each must end in one clear error naming the file and a sensible
/// position, within bounded allocation, and the rest of the scan must go on.
/// </summary>
public sealed class HostileInputTests
{
    private const int Deep = 20_000;

    [Fact]
    public void Billion_laughs_alias_bomb_is_refused_at_the_alias_that_crosses_the_bound()
    {
        // A good document first: it must be kept. Then ten "lol"s, and nine levels of ten aliases each (10^10 nodes).
        var text = new StringBuilder(Inputs.PrivilegedPod).Append("---\n");
        text.Append("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (var level = 1; level <= 9; level++)
        {
            var name = (char)('a' + level);
            var previous = (char)('a' + level - 1);
            text.Append(name).Append(": &").Append(name).Append(" [")
                .AppendJoin(", ", Enumerable.Repeat("*" + previous, 10)).Append("]\n");
        }

        var bytes = Inputs.Utf8(text.ToString());
        var (file, error, allocated) = Inputs.ParseExpectingError("bomb.yaml", bytes);

        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
        // a..f stand for about 1.2 million nodes; the second *f on line g crosses two million.
        Assert.Equal(LineOf(text.ToString(), "g: &g"), error.Line);
        Assert.True(error.Column > "g: &g [".Length, $"column {error.Column}");
        var kept = Assert.Single(file.Documents);
        Assert.Equal("Pod", kept.Root.String("kind"));
        Bounded.AssertAllocatedBelow(allocated, 16);

        Inputs.AssertScanGoesOn("bomb.yaml", bytes);
    }

    [Fact]
    public void Many_aliases_of_a_mid_size_anchor_are_refused_within_the_bound()
    {
        // One 2,001-node anchor aliased 100,000 times: 200 million nodes if expanded, a 0.5 MB file.
        var text = new StringBuilder("base: &base {");
        for (var i = 0; i < 1000; i++)
        {
            text.Append('k').Append(i).Append(": v").Append(i).Append(", ");
        }

        text.Append("}\nitems:\n");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append("- *base\n");
        }

        var bytes = Inputs.Utf8(text.ToString());
        var (_, error, allocated) = Inputs.ParseExpectingError("quadratic.yaml", bytes);

        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
        // 2,000,000 / 2,001 ≈ 1,000 aliases fit; the next one, about 1,000 lines into the list, does not.
        Assert.InRange(error.Line, 990, 1010);
        Assert.Equal(3, error.Column);
        Bounded.AssertAllocatedBelow(allocated, 32);

        Inputs.AssertScanGoesOn("quadratic.yaml", bytes);
    }

    [Fact]
    public void Merge_keys_of_a_large_mapping_repeated_many_times_are_refused_within_the_bound()
    {
        // Found by this test: merged entries were copied before the bound was checked, and each merged key was
        // looked up by scanning the mapping, so this file ran for minutes and grew without bound.
        var text = new StringBuilder("base: &base {");
        for (var i = 0; i < 1000; i++)
        {
            text.Append('k').Append(i).Append(": v").Append(i).Append(", ");
        }

        text.Append("}\nitems:\n");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append("- <<: *base\n  own: 1\n");
        }

        var bytes = Inputs.Utf8(text.ToString());
        var (_, error, allocated) = Inputs.ParseExpectingError("merges.yaml", bytes);

        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, 1900, 2100);
        Bounded.AssertAllocatedBelow(allocated, 256);

        Inputs.AssertScanGoesOn("merges.yaml", bytes);
    }

    [Fact]
    public void Many_documents_each_under_the_alias_bound_are_refused_once_the_file_crosses_it()
    {
        // Each document: a 2,001-node anchor merged 100 times (about 200,000 nodes, a tenth of the bound).
        var text = new StringBuilder(Inputs.PrivilegedPod);
        for (var document = 0; document < 100; document++)
        {
            text.Append("---\nbase: &base {");
            for (var i = 0; i < 1000; i++)
            {
                text.Append('k').Append(i).Append(": v, ");
            }

            text.Append("}\nitems:\n");
            for (var i = 0; i < 100; i++)
            {
                text.Append("- <<: *base\n");
            }
        }

        var bytes = Inputs.Utf8(text.ToString());
        var (file, error, allocated) = Inputs.ParseExpectingError("documents.yaml", bytes);

        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
        // The pod and the first nine documents fit (9 × 100 × 2,001 = 1.8 million); the tenth crosses.
        Assert.Equal(10, file.Documents.Count);
        Assert.Equal("Pod", file.Documents[0].Root.String("kind"));
        Bounded.AssertAllocatedBelow(allocated, 512);

        Inputs.AssertScanGoesOn("documents.yaml", bytes);
    }

    [Theory]
    [InlineData("sequences")]
    [InlineData("mappings")]
    public void Deep_flow_style_yaml_is_refused_at_the_depth_limit(string shape)
    {
        var open = shape == "sequences" ? "[" : "{a: ";
        var close = shape == "sequences" ? "]" : "}";
        var text = "kind: Deep\nnest: " + string.Concat(Enumerable.Repeat(open, Deep)) + "x" + string.Concat(Enumerable.Repeat(close, Deep)) + "\n";
        var bytes = Inputs.Utf8(text);

        var (_, error, allocated) = Inputs.ParseExpectingError("flow.yaml", bytes);

        Assert.Contains("nesting deeper than 256", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        // The root mapping is level 1, so the 256th collection below it would be level 257.
        Assert.Equal("nest: ".Length + (255 * open.Length) + 1, error.Column);
        Bounded.AssertAllocatedBelow(allocated, 8);

        Inputs.AssertScanGoesOn("flow.yaml", bytes);
    }

    [Fact]
    public void Deep_flow_sequence_that_looks_like_json_is_refused_in_a_yaml_file()
    {
        var bytes = Inputs.Utf8(new string('[', Deep) + new string(']', Deep));

        var (_, error, allocated) = Inputs.ParseExpectingError("deep.yaml", bytes);

        Assert.Contains("256", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.InRange(error.Column, 257, 258);
        Bounded.AssertAllocatedBelow(allocated, 8);
    }

    [Fact]
    public void Unclosed_deep_flow_sequence_is_refused()
    {
        var bytes = Inputs.Utf8("a: " + new string('[', Deep));

        var (_, error, allocated) = Inputs.ParseExpectingError("open.yaml", bytes);

        Assert.Equal(1, error.Line);
        Bounded.AssertAllocatedBelow(allocated, 8);
    }

    [Fact]
    public void Deep_block_sequences_are_refused_at_the_depth_limit()
    {
        // "- - - - x": every "- " opens a sequence one indentation deeper, all on one line.
        var text = "- " + string.Concat(Enumerable.Repeat("- ", Deep)) + "x\n";
        var bytes = Inputs.Utf8(text);

        var (_, error, allocated) = Inputs.ParseExpectingError("block.yaml", bytes);

        Assert.Contains("nesting deeper than 256", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.Equal((256 * 2) + 1, error.Column);
        Bounded.AssertAllocatedBelow(allocated, 8);

        Inputs.AssertScanGoesOn("block.yaml", bytes);
    }

    [Fact]
    public void Deep_block_mappings_are_refused_at_the_depth_limit()
    {
        // Block mappings nest by indentation, so depth costs quadratic bytes: 5,000 levels are 12.5 MB,
        // 20,000 would be 200 MB, far over the file-size limit.
        const int depth = 5_000;
        var text = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            text.Append(' ', i).Append("a:\n");
        }

        text.Append(' ', depth).Append("x\n");
        var bytes = Inputs.Utf8(text.ToString());

        var (_, error, allocated) = Inputs.ParseExpectingError("blockmap.yaml", bytes);

        Assert.Contains("nesting deeper than 256", error.Message, StringComparison.Ordinal);
        Assert.Equal(257, error.Line);
        Assert.Equal(257, error.Column);
        // The file's text itself is 25 MB as UTF-16; the parse must not read much past the limit.
        Bounded.AssertAllocatedBelow(allocated, 64);

        Inputs.AssertScanGoesOn("blockmap.yaml", bytes);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"a\":", "}")]
    public void Deep_json_is_refused_at_the_depth_limit(string open, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, Deep)) + "1" + string.Concat(Enumerable.Repeat(close, Deep));
        var bytes = Inputs.Utf8(text);

        var (_, error, allocated) = Inputs.ParseExpectingError("deep.json", bytes);

        Assert.Contains("depth", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.Equal((256 * open.Length) + 1, error.Column);
        Bounded.AssertAllocatedBelow(allocated, 8);

        Inputs.AssertScanGoesOn("deep.json", bytes);
    }

    [Fact]
    public void Minified_json_on_one_long_line_reads_in_linear_time()
    {
        // Found by this test: every token's column was counted from the start of its line, so a 2 MB one-line
        // file (jq -c, kubectl output piped through a minifier) took minutes. Allocation is the proxy for work
        // here: the old code allocated nothing per token but counted quadratically; the hang guard caught it.
        var text = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"é\"},\"data\":{");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append("\"ключ").Append(i).Append("\":\"значение\",");
        }

        text.Append("\"last\":\"x\"}}");
        var (file, allocated) = Bounded.Run(() => Inputs.Parse("minified.json", Inputs.Utf8(text.ToString())));

        Assert.Empty(file.Errors);
        var data = Assert.Single(file.Documents).Root.Mapping("data")!;
        var last = data.Entry("last")!.Value;
        Assert.Equal(1, last.Key.Line);
        Assert.Equal(text.ToString().IndexOf("\"last\"", StringComparison.Ordinal) + 1, last.Key.Column);
        Bounded.AssertAllocatedBelow(allocated, 128);
    }

    [Fact]
    public void Nul_bytes_are_reported_as_binary_at_their_position()
    {
        var bytes = Inputs.Utf8("a: 1\nb: 2\nc: x\0y\n");

        var (_, error, allocated) = Inputs.ParseExpectingError("nul.yaml", bytes);

        Assert.Contains("binary", error.Message, StringComparison.Ordinal);
        Assert.Equal((3, 5), (error.Line, error.Column));
        Bounded.AssertAllocatedBelow(allocated, 1);

        Inputs.AssertScanGoesOn("nul.yaml", bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_bytes_give_one_clear_error(int seed)
    {
        var bytes = new byte[64 * 1024];
        new Random(seed).NextBytes(bytes);

        var (_, error, allocated) = Inputs.ParseExpectingError("random.yaml", bytes);

        Assert.True(error.Message.Contains("binary", StringComparison.Ordinal) || error.Message.Contains("UTF-8", StringComparison.Ordinal), error.Message);
        Assert.True(error.Line >= 1 && error.Column >= 1, error.ToString());
        Bounded.AssertAllocatedBelow(allocated, 4);

        Inputs.AssertScanGoesOn("random.yaml", bytes);
    }

    [Fact]
    public void High_bytes_without_nul_are_invalid_utf8_at_the_first_bad_byte()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] |= 0x80;
        }

        var (_, error, _) = Inputs.ParseExpectingError("high.yaml", bytes);

        Assert.Contains("invalid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1), (error.Line, error.Column));
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_line_and_character_column()
    {
        // "é" before the bad byte is two bytes but one character.
        var bytes = Inputs.Utf8("apiVersion: v1\nkind: Pod\nname: café-")
            .Concat(new byte[] { 0xC3, 0x28 })
            .Concat(Inputs.Utf8("\nmore: text\n"))
            .ToArray();

        var (_, error, allocated) = Inputs.ParseExpectingError("bad-utf8.yaml", bytes);

        Assert.Contains("invalid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Contains("0xC3", error.Message, StringComparison.Ordinal);
        Assert.Equal((3, "name: café-".Length + 1), (error.Line, error.Column));
        Bounded.AssertAllocatedBelow(allocated, 1);

        Inputs.AssertScanGoesOn("bad-utf8.yaml", bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16_with_a_byte_order_mark_reads_like_utf8(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(Inputs.PrivilegedPod.Replace("still-scanned", "pödß", StringComparison.Ordinal))).ToArray();

        var file = Inputs.Parse("utf16.yaml", bytes);

        Assert.Empty(file.Errors);
        var root = Assert.Single(file.Documents).Root!;
        Assert.Equal("pödß", root.At("metadata.name")!.ToString());
        var privileged = root.At("spec.containers").AsSequence()!.Items[0].At("securityContext.privileged")!;
        Assert.Equal((10, 21), (privileged.Line, privileged.Column));
    }

    [Fact]
    public void Utf8_with_a_byte_order_mark_reads_with_unshifted_positions()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Inputs.Utf8("kind: Pod\nname: x\n")).ToArray();

        var file = Inputs.Parse("bom.yaml", bytes);

        Assert.Empty(file.Errors);
        var name = Assert.Single(file.Documents).Root.AsMapping()!.Entry("name")!.Value;
        Assert.Equal((2, 1), (name.Key.Line, name.Key.Column));
        Assert.Equal((2, 7), (name.Value.Line, name.Value.Column));
    }

    [Fact]
    public void A_100_MB_file_is_refused_without_being_read()
    {
        using var dir = new TempFolder();
        var big = Path.Combine(dir.Path, "big.yaml");
        WriteYamlOfSize(big, 100L * 1024 * 1024);
        File.WriteAllText(Path.Combine(dir.Path, "z-good.yaml"), Inputs.PrivilegedPod);

        var (file, allocated) = Bounded.Run(() => SourceFile.Load(big, DocumentLimits.Default));

        var error = Assert.Single(file.Errors);
        Assert.Equal(big, error.File);
        Assert.Contains("over the 67,108,864-byte limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Line);
        Assert.Empty(file.Documents);
        Bounded.AssertAllocatedBelow(allocated, 1);

        var (result, _) = Bounded.Run(() => new Scanning.ScanEngine().Scan(new Scanning.ScanOptions { Paths = [dir.Path] }));
        Assert.Equal(big, Assert.Single(result.Errors).File);
        Assert.Contains(result.Findings, f => f.Rule.Id == "BW1001");
    }

    [Fact]
    public void Standard_input_over_the_limit_is_refused_after_reading_at_most_the_limit()
    {
        var limits = DocumentLimits.Default with { MaxFileBytes = 1024 * 1024 };
        using var endless = new RepeatingStream(Inputs.Utf8("- a: b\n"), 100L * 1024 * 1024);

        var (file, allocated) = Bounded.Run(() => SourceFile.Load("<stdin>", endless, limits));

        Assert.Contains("over the 1,048,576-byte limit", Assert.Single(file.Errors).Message, StringComparison.Ordinal);
        Assert.True(endless.Position <= (2 * 1024 * 1024), $"read {endless.Position} bytes");
        Bounded.AssertAllocatedBelow(allocated, 8);
    }

    [Fact]
    public void Max_file_size_option_sets_the_limit()
    {
        using var dir = new TempFolder();
        var large = Path.Combine(dir.Path, "large.yaml");
        File.WriteAllText(large, Inputs.PrivilegedPod + "# " + new string('x', 2000) + "\n");
        File.WriteAllText(Path.Combine(dir.Path, "z-small.yaml"), Inputs.PrivilegedPod);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Cli.Program.Run(["scan", dir.Path, "--max-file-size", "1000", "--format", "json"], stdout, stderr, () => Stream.Null);

        Assert.Equal(Cli.ExitCodes.Error, exit);
        Assert.Contains($"{large}: file is", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("over the 1,000-byte limit", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("z-small.yaml", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("BW1001", stdout.ToString(), StringComparison.Ordinal);

        using var stdout2 = new StringWriter();
        using var stderr2 = new StringWriter();
        var exit2 = Cli.Program.Run(["scan", large, "--max-file-size", "100000", "--format", "json"], stdout2, stderr2, () => Stream.Null);
        Assert.Equal(Cli.ExitCodes.Findings, exit2);
        Assert.Equal(string.Empty, stderr2.ToString());
    }

    private static int LineOf(string text, string start) =>
        text[..text.IndexOf("\n" + start, StringComparison.Ordinal)].Count(c => c == '\n') + 2;

    private static void WriteYamlOfSize(string path, long size)
    {
        var chunk = Inputs.Utf8("- name: filler\n  value: \"0123456789abcdef0123456789abcdef\"\n");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        var block = new byte[1 << 20];
        for (var i = 0; i + chunk.Length <= block.Length; i += chunk.Length)
        {
            chunk.CopyTo(block, i);
        }

        for (var written = 0L; written < size; written += block.Length)
        {
            stream.Write(block, 0, (int)Math.Min(block.Length, size - written));
        }
    }

    /// <summary>A read-only stream that repeats a pattern up to a length, without holding it in memory.</summary>
    private sealed class RepeatingStream(byte[] pattern, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = pattern[(_position + i) % pattern.Length];
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
