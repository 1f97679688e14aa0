using System.Globalization;
using System.Text;
using Bulwark.Bench.CorpusGenerator;

// Writes a deterministic corpus of Kubernetes manifests for the whole-process benchmark.
// Usage: CorpusGenerator OUTPUT_DIR [OBJECT_COUNT=50000] [SEED=42]
if (args.Length is < 1 or > 3 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: CorpusGenerator OUTPUT_DIR [OBJECT_COUNT=50000] [SEED=42]");
    return 2;
}

var output = args[0];
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 42;

if (Directory.Exists(output))
{
    Directory.Delete(output, recursive: true);
}

Directory.CreateDirectory(output);
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
var written = 0;
var files = 0;
long bytes = 0;
var byFormat = new Dictionary<string, int>(StringComparer.Ordinal);
foreach (var file in Corpus.Generate(count, seed))
{
    var path = Path.Combine(output, file.RelativePath);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    var encoded = utf8.GetBytes(file.Text);
    File.WriteAllBytes(path, encoded);
    bytes += encoded.Length;
    files++;
    written += file.Objects;
    byFormat[file.Format] = byFormat.GetValueOrDefault(file.Format) + file.Objects;
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"wrote {written} objects in {files} files, {bytes / (1024.0 * 1024):F1} MiB, to {output} (seed {seed}; objects by format: {string.Join(", ", byFormat.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))})"));
return 0;
