using System.Collections.Concurrent;
using Bulwark.Parsing.Compose;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.TestSupport;

namespace Bulwark.Rules.Tests.Secrets;

/// <summary>One name/value pair of a real file: where it is (corpus-relative path, 1-based line), its name and value.</summary>
public sealed record CorpusPair(string Path, int Line, string Name, string Value);

/// <summary>
/// Reads the name/value pairs of the shared real-world corpora in place, as Bulwark's readers give them to the
/// secret detector: Compose <c>environment</c> (literal values and <c>${VAR:-default}</c> defaults), dotenv files,
/// Dockerfile ENV and ARG defaults (as written), Kubernetes <c>env[].value</c>.
/// </summary>
public static class CorpusPairs
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<CorpusPair>> Cache = new(StringComparer.Ordinal);

    public static string CorpusRoot => RepositoryPaths.InShared("corpus");

    /// <summary>The pairs of one corpus file (path relative to the corpus root, e.g. <c>compose/real-world/…/compose.yaml</c>).</summary>
    public static IReadOnlyList<CorpusPair> Of(string path) => Cache.GetOrAdd(path, Read);

    /// <summary>The value of the pair <paramref name="name"/> written at <paramref name="line"/>, or null when the file has no such pair.</summary>
    public static string? Resolve(string path, int line, string name) =>
        Of(path).FirstOrDefault(p => p.Line == line && p.Name == name)?.Value;

    private static List<CorpusPair> Read(string path)
    {
        var full = Path.Combine(CorpusRoot, path);
        if (!File.Exists(full))
        {
            return [];
        }

        var fileName = Path.GetFileName(full);
        if (path.StartsWith("dockerfiles/", StringComparison.Ordinal))
        {
            return Dockerfile(path, full);
        }

        if (IsDotEnv(fileName))
        {
            return DotEnv(path, full);
        }

        return path.StartsWith("compose/", StringComparison.Ordinal) ? Compose(path, full) : Kubernetes(path, full);
    }

    public static bool IsDotEnv(string fileName) =>
        fileName == ".env" || fileName.EndsWith(".env", StringComparison.Ordinal) || fileName.StartsWith(".env.", StringComparison.Ordinal);

    private static List<CorpusPair> Dockerfile(string path, string full)
    {
        var document = DockerfileDocument.Load(full);
        return [.. document.Instructions
            .Where(i => i.Keyword is "ENV" or "ARG")
            .SelectMany(i => i.KeyValues)
            .Where(kv => kv.RawValue is { Length: > 0 })
            .Select(kv => new CorpusPair(path, kv.Location.Line, kv.Key, kv.RawValue!))];
    }

    private static List<CorpusPair> DotEnv(string path, string full)
    {
        var result = DotEnvFile.Load(full, _ => null);
        return [.. result.Entries
            .Select(e => (e, Value: e.Original is { } original ? ComposeInterpolation.Substitute(original, _ => null).Value : e.Value))
            .Where(x => x.Value is { Length: > 0 })
            .Select(x => new CorpusPair(path, x.e.Location.Line, x.e.Key, x.Value!))];
    }

    private static List<CorpusPair> Compose(string path, string full)
    {
        var project = ComposeLoader.Load(full);
        var pairs = new List<CorpusPair>();
        foreach (var variable in ComposeWorkloadMapper.MapAll(project).SelectMany(w => w.Containers).SelectMany(c => c.Environment))
        {
            if (variable.Value is { Value.Length: > 0 } value && SameFile(variable.Name.Location.File, full)
                && !pairs.Any(p => p.Line == variable.Name.Location.Line && p.Name == variable.Name.Value))
            {
                pairs.Add(new CorpusPair(path, variable.Name.Location.Line, variable.Name.Value, value.Value));
            }
        }

        return pairs;
    }

    private static List<CorpusPair> Kubernetes(string path, string full)
    {
        var file = SourceFile.Load(full, DocumentLimits.Default);
        var objects = new List<KubernetesObject>();
        var skipped = new List<SkippedDocument>();
        foreach (var document in file.Documents)
        {
            KubernetesManifestReader.Read(document, objects, skipped);
        }

        var pairs = new List<CorpusPair>();
        foreach (var workload in objects.Select(KubernetesWorkloadMapper.Map).OfType<Core.Model.Workload>())
        {
            foreach (var variable in workload.Containers.SelectMany(c => c.Environment))
            {
                if (variable.Value is { Value.Length: > 0 } value && !pairs.Any(p => p.Line == variable.Name.Location.Line && p.Name == variable.Name.Value))
                {
                    pairs.Add(new CorpusPair(path, variable.Name.Location.Line, variable.Name.Value, value.Value));
                }
            }
        }

        return pairs;
    }

    private static bool SameFile(string? a, string b) =>
        a is not null && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
