using Bulwark.Core.Model;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Seccomp;

namespace Bulwark.Scanning.Sources;

/// <summary>Seccomp profiles (JSON with <c>defaultAction</c> and <c>syscalls</c>), given directly or named by a workload.</summary>
public sealed class SeccompDocuments : IDocumentReader
{
    public string InputType => "seccomp";

    public bool Recognizes(SourceDocument document) => SeccompProfile.IsProfile(document.Root);

    public void Read(SourceDocument document, ScanOptions options, ScanEngine.ParsedInput into)
    {
        if (SeccompProfile.TryRead(document) is { } profile)
        {
            into.Targets.Add(profile);
        }
    }

    /// <summary>
    /// Seccomp profiles the workloads name (Compose <c>seccomp=profile.json</c>, Kubernetes <c>Localhost</c>)
    /// are linted too when the file is found beside the input (relative to the project or manifest folder).
    /// </summary>
    internal static void AddReferencedProfiles(ScanEngine.ParsedInput result, string? baseDirectory, ScanOptions options)
    {
        if (baseDirectory is null || result.File.Path == Inputs.ScanInput.StandardInputName)
        {
            return;
        }

        var paths = result.Targets.OfType<Workload>()
            .SelectMany(w => w.Containers)
            .Select(c => c.Seccomp)
            .Where(p => p is { Value.Type: "Localhost", Value.LocalhostProfile: { Length: > 0 } })
            .Select(p => p!.Value.Value.LocalhostProfile!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(Path.Combine(baseDirectory, path));
            if (!File.Exists(full))
            {
                continue;
            }

            var file = SourceFile.Load(full, options.Limits);
            result.Errors.AddRange(file.Errors);
            foreach (var document in file.Documents)
            {
                if (SeccompProfile.TryRead(document) is { } profile)
                {
                    result.Targets.Add(profile);
                }
            }
        }
    }
}
