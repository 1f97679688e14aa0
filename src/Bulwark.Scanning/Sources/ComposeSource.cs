using Bulwark.Core.Findings;
using Bulwark.Parsing.Compose;
using Bulwark.Parsing.Dockerfile;

namespace Bulwark.Scanning.Sources;

/// <summary>
/// Compose projects: files with a Compose name (<c>compose.yaml</c>, <c>docker-compose.*.yml</c>, <c>fig.yml</c>)
/// or content (a <c>services</c> map of service definitions, or format version 1's services at the top level),
/// loaded with their overrides, includes and extends; the Dockerfiles the services are built from and the
/// seccomp profiles they name are read too.
/// </summary>
public sealed class ComposeSource : ISourceReader
{
    public string Name => "Compose file";

    /// <summary>Compose names, and any YAML name: Compose files are often called <c>stack.yml</c> or <c>dev.yaml</c>.</summary>
    public bool IsCandidateName(string path) => ComposeFiles.IsComposeFileName(path) || ManifestSource.IsManifestName(path);

    public bool Recognizes(InputContent input)
    {
        var file = input.Documents;
        return file.IsComplete && !file.IsJson && file.Documents.Count > 0
            && (ComposeFiles.IsComposeFileName(file.Path) || ComposeFiles.LooksLikeCompose(file.Documents[0].Root)
                || ComposeFiles.LooksLikeLegacyCompose(file.Documents[0].Root, namedAsCompose: false));
    }

    public void Read(InputContent input, ScanOptions options, ScanEngine.ParsedInput into)
    {
        var file = input.Documents;
        into.File = file;
        var project = ComposeLoader.Load(file, new ComposeLoadOptions
        {
            Environment = options.Environment,
            EnvFiles = options.EnvFiles,
            Profiles = options.Profiles,
            Limits = options.Limits,
        });
        into.Errors.AddRange(project.Errors);
        into.Warnings.AddRange(project.Warnings.Select(w => new InputWarning(new SourceLocation(w.File, w.Line, w.Column), "Compose file", w.Message)));
        into.Targets.AddRange(ComposeWorkloadMapper.MapAll(project));
        AddBuildDockerfiles(into, project, options);
        SeccompDocuments.AddReferencedProfiles(into, project.ProjectDirectory, options);
    }

    /// <summary>
    /// The Dockerfiles Compose services are built from (<c>build.context</c> + <c>dockerfile</c>, or
    /// <c>dockerfile_inline</c>) are judged by the Dockerfile rules with the service's build args and target.
    /// An inline Dockerfile keeps the lines and columns it has in the Compose file.
    /// </summary>
    private static void AddBuildDockerfiles(ScanEngine.ParsedInput result, ComposeProject project, ScanOptions scanOptions)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in project.Services)
        {
            if (service.Build is not { } build)
            {
                continue;
            }

            var args = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var arg in build.Args)
            {
                if (arg.Value is { } value)
                {
                    args[arg.Name] = value;
                }
            }

            var options = new DockerfileOptions { BuildArgs = args, Target = build.Target?.Value, MaxFileBytes = scanOptions.Limits.MaxFileBytes };
            DockerfileDocument document;
            if (build.DockerfileInline is { } inline)
            {
                var text = inline.Location.File == result.File.Path ? result.File.Text : ReadText(inline.Location.File);
                document = DockerfileDocument.Parse(inline.Location.File, InlineDockerfile(inline.Value, inline.Location.Line, text), options);
            }
            else
            {
                var context = build.Context?.Value ?? ".";
                if (context.Contains("://", StringComparison.Ordinal) || context.StartsWith("git@", StringComparison.Ordinal)
                    || result.File.Path == Inputs.ScanInput.StandardInputName)
                {
                    continue;
                }

                var baseDirectory = project.BaseDirectoryOf(service.File);
                var dockerfile = build.Dockerfile?.Value ?? "Dockerfile";
                var full = Path.GetFullPath(Path.Combine(baseDirectory, context, dockerfile));
                if (build.Dockerfile is null && !File.Exists(full) && File.Exists(Path.Combine(Path.GetDirectoryName(full)!, "Containerfile")))
                {
                    full = Path.Combine(Path.GetDirectoryName(full)!, "Containerfile");
                }

                if (!File.Exists(full))
                {
                    // Not an input error: a Compose file is often scanned without its build contexts. Said under --verbose.
                    var at = build.Dockerfile?.Location ?? build.Context?.Location ?? build.Location;
                    result.Skipped.Add(new Parsing.Kubernetes.SkippedDocument(
                        at.File ?? result.File.Path,
                        service.Document,
                        at.Line,
                        $"service {service.Name} is built from {Path.GetRelativePath(baseDirectory, full)}, which is not there, so its Dockerfile was not checked"));
                    continue;
                }

                // Named as discovery names files, so the same Dockerfile scanned directly gives the same findings once.
                var path = Path.IsPathRooted(result.File.Path) ? full : Path.GetRelativePath(Environment.CurrentDirectory, full);
                if (!seen.Add(path))
                {
                    continue;
                }

                document = DockerfileDocument.Load(path, options);
                result.OtherTexts[path] = document.Text;
            }

            DockerfileSource.Add(document, result);
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return string.Empty;
        }
    }

    /// <summary>
    /// The inline Dockerfile padded so its lines and columns are those of the Compose file: blank lines up to
    /// the key, and each line indented as the block scalar was.
    /// </summary>
    internal static string InlineDockerfile(string value, int keyLine, string composeText)
    {
        var lines = composeText.Split('\n');
        var keyText = keyLine >= 1 && keyLine <= lines.Length ? lines[keyLine - 1] : string.Empty;
        var colon = keyText.IndexOf("dockerfile_inline", StringComparison.Ordinal);
        var rest = colon >= 0 ? keyText[(colon + "dockerfile_inline".Length)..].TrimStart(' ', '\t', ':', '"', '\'') : string.Empty;
        var block = rest.StartsWith('|') || rest.StartsWith('>');
        if (!block)
        {
            return new string('\n', Math.Max(0, keyLine - 1)) + value;
        }

        var indent = string.Empty;
        for (var i = keyLine; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length > 0)
            {
                indent = line[..(line.Length - line.TrimStart(' ', '\t').Length)];
                break;
            }
        }

        var sb = new System.Text.StringBuilder(value.Length + (keyLine * 2));
        sb.Append('\n', keyLine);
        foreach (var line in value.Split('\n'))
        {
            sb.Append(line.Length > 0 ? indent : string.Empty).Append(line).Append('\n');
        }

        return sb.ToString();
    }
}
