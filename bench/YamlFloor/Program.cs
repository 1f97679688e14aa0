using System.Diagnostics;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

// The "floor" for the whole-process benchmark: YamlDotNet alone over the same files, in parallel over files
// as Bulwark does. Usage: YamlFloor DIR [parser|stream] (default parser).
//   parser: the low-level Parser event loop over every file (what Bulwark's reader is built on);
//   stream: YamlStream.Load, YamlDotNet's own node tree, for reference.
if (args.Length is < 1 or > 2 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: YamlFloor DIR [parser|stream]");
    return 2;
}

var mode = args.Length > 1 ? args[1] : "parser";
var total = Stopwatch.StartNew();
var files = Directory.EnumerateFiles(args[0], "*", SearchOption.AllDirectories)
    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
    .Order(StringComparer.Ordinal)
    .ToList();

long events = 0;
long documents = 0;
long failures = 0;
Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
{
    var text = File.ReadAllText(files[i]);
    try
    {
        if (mode == "stream")
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            Interlocked.Add(ref documents, stream.Documents.Count);
        }
        else
        {
            var parser = new Parser(new Scanner(new StringReader(text), skipComments: true));
            long count = 0;
            long docs = 0;
            while (parser.MoveNext())
            {
                count++;
                if (parser.Current is YamlDotNet.Core.Events.DocumentStart)
                {
                    docs++;
                }
            }

            Interlocked.Add(ref events, count);
            Interlocked.Add(ref documents, docs);
        }
    }
    catch (YamlException)
    {
        Interlocked.Increment(ref failures);
    }
});

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"yamldotnet {mode}: {files.Count} files, {documents} documents, {events} events, {failures} failures, {total.Elapsed.TotalMilliseconds:F0} ms in process"));
// Files YamlDotNet cannot read (concatenated JSON values are not a YAML stream) are counted, not fatal.
return 0;
