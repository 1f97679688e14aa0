using System.Diagnostics;
using System.Globalization;
using Bulwark.Parsing.Documents;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

// The "floor" for the whole-process benchmark: YamlDotNet alone over the same files, in parallel over files
// as Bulwark does. Usage: YamlFloor DIR [parser|stream|fast|source] (default parser).
//   parser: the low-level Parser event loop over every file (what Bulwark's YAML fallback is built on);
//   stream: YamlStream.Load, YamlDotNet's own node tree, for reference;
//   fast:   Bulwark's FastYamlReader building document trees (YamlDotNet only for files it gives up on);
//   source: Bulwark's SourceFile.Load, as the scan reads a file (UTF-8 check, JSON or YAML, trees).
if (args.Length is < 1 or > 2 || !Directory.Exists(args[0]) || (args.Length == 2 && args[1] is not ("parser" or "stream" or "fast" or "source")))
{
    Console.Error.WriteLine("usage: YamlFloor DIR [parser|stream|fast|source]");
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
long bailed = 0;
Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
{
    if (mode == "source")
    {
        var file = SourceFile.Load(files[i], DocumentLimits.Default);
        Interlocked.Add(ref documents, file.Documents.Count);
        Interlocked.Add(ref failures, file.Errors.Count);
        return;
    }

    var text = File.ReadAllText(files[i]);
    try
    {
        if (mode == "fast")
        {
            if (FastYamlReader.TryRead(files[i], text, DocumentLimits.Default, out var result, out _))
            {
                Interlocked.Add(ref documents, result.Documents.Count);
            }
            else
            {
                // As the scan does: YamlDotNet reads what the fast reader gives up on (here: concatenated JSON).
                Interlocked.Increment(ref bailed);
                var fallback = YamlDocumentReader.Read(files[i], text, DocumentLimits.Default);
                Interlocked.Add(ref documents, fallback.Documents.Count);
                if (fallback.Error is not null)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }
        else if (mode == "stream")
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
    $"{mode}: {files.Count} files, {documents} documents, {events} events, {failures} failures, {bailed} fast-reader bails, {total.Elapsed.TotalMilliseconds:F0} ms in process"));
// Files YamlDotNet cannot read (concatenated JSON values are not a YAML stream) are counted, not fatal.
return 0;
