using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Compose;

/// <summary>
/// Loads a Compose project the way compose-go does, keeping positions: each document of each file is read
/// (anchors, aliases and merge keys resolved within the file), its values interpolated from the environment, its
/// services' <c>extends</c> resolved (same file or another, recursively, cycles reported), <c>!reset</c> and
/// <c>!override</c> applied to what came before, its <c>include</c>d projects imported, and the document merged
/// onto the model so far. Bad input yields <see cref="ComposeProject.Errors"/>; the rest still loads.
/// </summary>
public static class ComposeLoader
{
    public static ComposeProject Load(string path, ComposeLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new Session(options ?? ComposeLoadOptions.Default).Run(path, null);
    }

    /// <summary>Loads a project whose main file is already read (for example to check <see cref="ComposeFiles.LooksLikeCompose"/>), without reading it again.</summary>
    public static ComposeProject Load(SourceFile mainFile, ComposeLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mainFile);
        return new Session(options ?? ComposeLoadOptions.Default).Run(mainFile.Path, mainFile);
    }

    /// <summary>
    /// <paramref name="relative"/> resolved against <paramref name="baseDirectory"/>, or null when the file names no
    /// usable path (a NUL from a YAML escape, for instance).
    /// </summary>
    internal static string? ResolvePath(string baseDirectory, string relative)
    {
        if (relative.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return Path.GetFullPath(Path.Combine(baseDirectory, relative));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "version", "name", "include", "services", "networks", "volumes", "secrets", "configs", "models",
    };

    private static readonly string[] ImportedResources = ["services", "volumes", "networks", "secrets", "configs", "models"];

    /// <summary>A document being processed: its file, the directory its relative paths resolve against, its environment and <c>!reset</c>/<c>!override</c> paths.</summary>
    private sealed record FileContext(string FullPath, string DisplayPath, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment, List<string[]> Resets);

    private sealed record LoadedDocument(int Index, ComposeMapping? Root, List<string[]> Resets);

    /// <summary>The services of one document (or extended file) while their <c>extends</c> are resolved.</summary>
    private sealed class ExtendsScope(FileContext context, Dictionary<string, ComposeNode> services)
    {
        public FileContext Context { get; } = context;

        public Dictionary<string, ComposeNode> Services { get; } = services;

        public HashSet<string> Resolved { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Session(ComposeLoadOptions options)
    {
        private readonly List<InputError> _errors = [];
        private readonly List<InputError> _warnings = [];
        private readonly HashSet<InputError> _reported = [];
        private readonly HashSet<string> _unsetVariables = new(StringComparer.Ordinal);
        private readonly List<string> _files = [];
        private readonly Dictionary<string, SourceFile> _sources = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _displayPaths = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _baseDirectories = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ExtendsScope?> _extendsScopes = new(StringComparer.Ordinal);
        private string _mainFull = string.Empty;
        private string _mainDisplay = string.Empty;

        public ComposeProject Run(string path, SourceFile? mainFile)
        {
            _mainDisplay = path;
            _mainFull = Path.GetFullPath(path);
            _displayPaths[_mainFull] = path;
            if (mainFile is not null)
            {
                _sources[_mainFull] = mainFile;
                _files.Add(path);
                mainFile.Errors.ForEach(Report);
            }
            var projectDirectory = options.ProjectDirectory is { } dir ? Path.GetFullPath(dir) : Path.GetDirectoryName(_mainFull) ?? ".";
            var environment = ProjectEnvironment(projectDirectory);

            List<string> files = [_mainFull, .. options.OverrideFiles.Select(Path.GetFullPath)];
            var model = LoadModel(files, environment, projectDirectory, []);

            var profiles = options.Profiles.Count > 0
                ? options.Profiles.ToList()
                : environment.TryGetValue("COMPOSE_PROFILES", out var fromEnv)
                    ? [.. fromEnv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                    : [];

            var services = new List<ComposeService>();
            var secrets = new List<ComposeSecretDefinition>();
            if (model is not null)
            {
                var reader = new ComposeServiceReader(Report, Warn, file => BaseDirectoryOf(file, projectDirectory), environment, options);
                services = reader.ReadServices(model, profiles);
                secrets = reader.ReadSecrets(model);
            }

            return new ComposeProject
            {
                Name = ProjectName(model, environment, projectDirectory),
                MainFile = _mainDisplay,
                ProjectDirectory = projectDirectory,
                Files = _files,
                Services = services,
                ActiveProfiles = profiles,
                Secrets = secrets,
                Model = model,
                Environment = environment,
                Errors = _errors,
                Warnings = _warnings,
                BaseDirectories = _baseDirectories,
            };
        }

        private string BaseDirectoryOf(string displayFile, string projectDirectory) =>
            _baseDirectories.TryGetValue(displayFile, out var dir) ? dir : projectDirectory;

        private void Report(InputError error)
        {
            if (_reported.Add(error))
            {
                _errors.Add(error);
            }
        }

        private void Warn(InputError warning)
        {
            if (_reported.Add(warning))
            {
                _warnings.Add(warning);
            }
        }

        private void Report(SourceLocation at, string message) => Report(new InputError(at.File, at.Line, at.Column, message));

        private static string ProjectName(ComposeMapping? model, Dictionary<string, string> environment, string projectDirectory)
        {
            if (model?["name"] is ComposeScalar { IsNullValue: false, Unresolved: false } name && name.Value.Length > 0)
            {
                return name.Value;
            }

            if (environment.TryGetValue("COMPOSE_PROJECT_NAME", out var fromEnv) && fromEnv.Length > 0)
            {
                return fromEnv;
            }

            var sb = new StringBuilder();
            foreach (var c in Path.GetFileName(projectDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)).ToLowerInvariant())
            {
                if (char.IsAsciiLetterOrDigit(c) || ((c is '_' or '-') && sb.Length > 0))
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        /// <summary>The process environment, completed (never overridden) by <c>--env-file</c> files, else by <c>.env</c>.</summary>
        private Dictionary<string, string> ProjectEnvironment(string projectDirectory)
        {
            var environment = new Dictionary<string, string>(options.Environment, StringComparer.Ordinal);
            var files = options.EnvFiles.Select(Path.GetFullPath).ToList();
            if (files.Count == 0)
            {
                var dotEnv = Path.Combine(projectDirectory, ".env");
                if (File.Exists(dotEnv))
                {
                    files.Add(dotEnv);
                }
            }
            else
            {
                foreach (var missing in files.Where(f => !File.Exists(f)).ToList())
                {
                    Report(new InputError(missing, 0, 0, "env file not found"));
                    files.Remove(missing);
                }
            }

            foreach (var (key, value) in ReadEnvFiles(files, environment))
            {
                environment.TryAdd(key, value);
            }

            return environment;
        }

        private Dictionary<string, string> ReadEnvFiles(IEnumerable<string> files, IReadOnlyDictionary<string, string> environment)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var result = DotEnvFile.Load(file, name => environment.TryGetValue(name, out var v) ? v : values.TryGetValue(name, out var w) ? w : null, maxBytes: options.Limits.MaxFileBytes);
                result.Errors.ForEach(Report);
                foreach (var (key, value) in result.ToDictionary())
                {
                    values[key] = value;
                }
            }

            return values;
        }

        /// <summary>Loads files merged in order (a main file and its overrides) into one model.</summary>
        private ComposeMapping? LoadModel(List<string> files, IReadOnlyDictionary<string, string> environment, string workingDirectory, List<string> includeStack)
        {
            ComposeMapping? model = null;
            foreach (var file in files)
            {
                var display = DisplayPath(file);
                _baseDirectories.TryAdd(display, workingDirectory);
                foreach (var document in LoadDocuments(file, environment))
                {
                    if (document.Root is not { } root)
                    {
                        continue;
                    }

                    var context = new FileContext(file, display, workingDirectory, environment, document.Resets);
                    var config = ApplyExtends(root, context);
                    model = (ComposeMapping?)ComposeMerge.ApplyResets(model, [], document.Resets);
                    config = ApplyInclude(config, context, [.. includeStack, file]);
                    model = model is null ? config : ComposeMerge.MergeMappings(model, config, [], _errors);
                    model = (ComposeMapping)ComposeMerge.EnforceUnicity(model, []);
                }
            }

            return model;
        }

        private string DisplayPath(string fullPath)
        {
            if (_displayPaths.TryGetValue(fullPath, out var display))
            {
                return display;
            }

            if (Path.IsPathRooted(_mainDisplay))
            {
                display = fullPath;
            }
            else
            {
                var mainDirectory = Path.GetDirectoryName(_mainFull) ?? ".";
                display = Path.Join(Path.GetDirectoryName(_mainDisplay), Path.GetRelativePath(mainDirectory, fullPath));
            }

            _displayPaths[fullPath] = display;
            return display;
        }

        /// <summary>Reads, converts and interpolates each document of a file.</summary>
        private List<LoadedDocument> LoadDocuments(string fullPath, IReadOnlyDictionary<string, string> environment)
        {
            var display = DisplayPath(fullPath);
            if (!_sources.TryGetValue(fullPath, out var source))
            {
                if (_sources.Count >= options.MaxFiles)
                {
                    Report(new InputError(display, 0, 0, $"more than {options.MaxFiles} Compose files reached through extends and include; not read"));
                    return [];
                }

                source = SourceFile.Load(display, options.Limits);
                _sources[fullPath] = source;
                _files.Add(display);
                source.Errors.ForEach(Report);
            }

            var documents = new List<LoadedDocument>();
            foreach (var document in source.Documents)
            {
                var resets = new List<string[]>();
                var converter = new Converter(display, document.Index, environment, resets, Report, Warn, _unsetVariables);
                var node = document.Root is null ? null : converter.Convert(document.Root);
                switch (node)
                {
                    case null or ComposeScalar { IsNullValue: true }:
                        documents.Add(new LoadedDocument(document.Index, null, resets));
                        break;
                    case ComposeMapping legacy when ComposeFiles.LooksLikeLegacyCompose(document.Root, namedAsCompose: true):
                        Warn(new InputError(legacy.Location.File, legacy.Location.Line, legacy.Location.Column,
                            "Compose file format version 1 (services at the top level, no \"services:\" key) is obsolete and Docker Compose v2 "
                            + "no longer reads it; its top-level keys were analysed as services: move them under \"services:\""));
                        documents.Add(new LoadedDocument(document.Index, FromVersion1(legacy), resets));
                        break;
                    case ComposeMapping map:
                        foreach (var entry in map.Entries)
                        {
                            if (!TopLevelKeys.Contains(entry.Key) && !entry.Key.StartsWith("x-", StringComparison.Ordinal))
                            {
                                Warn(new InputError(entry.KeyLocation.File, entry.KeyLocation.Line, entry.KeyLocation.Column,
                                    $"unknown top-level key \"{entry.Key}\" (Compose rejects it)"));
                            }
                        }

                        documents.Add(new LoadedDocument(document.Index, map, resets));
                        break;
                    default:
                        Report(node.Location, $"a Compose file must be a mapping at the top level, not {node.KindName}");
                        break;
                }
            }

            return documents;
        }

        /// <summary>
        /// A version 1 file as the later formats write it: its top-level keys under <c>services</c>, and version 1's
        /// <c>net</c> (same values) as <c>network_mode</c>.
        /// </summary>
        private static ComposeMapping FromVersion1(ComposeMapping root)
        {
            var services = root.Entries
                .Select(e => e.Value is ComposeMapping service && service.Entry("net") is { } net && !service.ContainsKey("network_mode")
                    ? e with { Value = service.Without("net").Set(net with { Key = "network_mode" }) }
                    : e)
                .ToList();
            return new ComposeMapping([new ComposeEntry("services", root.Location, root.Document, root.With(services))], root.Location, root.Document);
        }

        private ComposeMapping ApplyExtends(ComposeMapping config, FileContext context)
        {
            if (config.Entry("services") is not { Value: ComposeMapping services } servicesEntry)
            {
                return config;
            }

            var scope = new ExtendsScope(context, services.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
            if (!services.Entries.Any(e => e.Value is ComposeMapping m && m.ContainsKey("extends")))
            {
                return config;
            }

            var entries = new List<ComposeEntry>(services.Entries.Count);
            foreach (var entry in services.Entries)
            {
                entries.Add(entry with { Value = Resolve(scope, entry.Key, []) });
            }

            return config.Set(servicesEntry with { Value = services.With(entries) });
        }

        /// <summary>Resolves <paramref name="name"/>'s <c>extends</c> within <paramref name="scope"/>, recursively.</summary>
        private ComposeNode Resolve(ExtendsScope scope, string name, List<(string File, string Service)> chain)
        {
            var node = scope.Services[name];
            if (scope.Resolved.Contains(name) || node is not ComposeMapping service || service.Entry("extends") is not { } extends)
            {
                return node;
            }

            var resolved = ResolveExtends(scope, name, service, extends, chain) ?? service.Without("extends");
            scope.Services[name] = resolved;
            scope.Resolved.Add(name);
            return resolved;
        }

        private ComposeMapping? ResolveExtends(ExtendsScope scope, string name, ComposeMapping service, ComposeEntry extends, List<(string File, string Service)> chain)
        {
            var context = scope.Context;
            string? reference = null;
            ComposeScalar? file = null;
            switch (extends.Value)
            {
                case ComposeScalar { IsNullValue: false, Unresolved: false } s:
                    reference = s.Value;
                    break;
                case ComposeMapping m:
                    reference = (m["service"] as ComposeScalar) is { IsNullValue: false } r ? r.Value : null;
                    file = m["file"] as ComposeScalar is { IsNullValue: false } f ? f : null;
                    if (reference is null)
                    {
                        Report(extends.KeyLocation, $"services.{name}.extends.service is required");
                        return null;
                    }

                    break;
                case ComposeScalar { Unresolved: true }:
                    return null;
                default:
                    Report(extends.Value.Location, $"services.{name}.extends must be a service name or a mapping with service and file, not {extends.Value.KindName}");
                    return null;
            }

            if (chain.Contains((context.FullPath, name)))
            {
                var cycle = string.Join(" extends ", chain.Select(c => $"{c.Service} in {DisplayPath(c.File)}").Append($"{name} in {context.DisplayPath}"));
                Report(extends.KeyLocation, "circular extends: " + cycle);
                return null;
            }

            var baseScope = scope;
            if (file is not null)
            {
                var full = ResolvePath(context.WorkingDirectory, file.Value);
                baseScope = full is null ? null : ExtendsScopeOf(full, context.Environment);
                if (baseScope is null)
                {
                    Report(file.Location, $"cannot extend service \"{name}\": file {file.Value} not found");
                    return null;
                }
            }

            if (!baseScope.Services.ContainsKey(reference))
            {
                var where = file is null ? string.Empty : $" in {file.Value}";
                Report(extends.KeyLocation, $"cannot extend service \"{name}\": service \"{reference}\" not found{where}");
                return null;
            }

            var baseNode = Resolve(baseScope, reference, [.. chain, (context.FullPath, name)]);
            if (baseNode is not ComposeMapping baseService)
            {
                return null;
            }

            var source = (ComposeMapping)ComposeMerge.ApplyResets(baseService, ["services", name], context.Resets)!;
            var merged = ComposeMerge.Merge(source, service, ["services", "x"], _errors) as ComposeMapping ?? service;
            return merged.Without("extends");
        }

        /// <summary>The services of a file named by <c>extends.file</c>: its documents merged, without extends or include applied (they are resolved lazily).</summary>
        private ExtendsScope? ExtendsScopeOf(string fullPath, IReadOnlyDictionary<string, string> environment)
        {
            if (_extendsScopes.TryGetValue(fullPath, out var cached))
            {
                return cached;
            }

            _extendsScopes[fullPath] = null;
            if (!File.Exists(fullPath))
            {
                return null;
            }

            var display = DisplayPath(fullPath);
            var directory = Path.GetDirectoryName(fullPath) ?? ".";
            _baseDirectories.TryAdd(display, directory);
            ComposeMapping? model = null;
            var resets = new List<string[]>();
            foreach (var document in LoadDocuments(fullPath, environment))
            {
                if (document.Root is null)
                {
                    continue;
                }

                model = (ComposeMapping?)ComposeMerge.ApplyResets(model, [], document.Resets);
                model = model is null ? document.Root : ComposeMerge.MergeMappings(model, document.Root, [], _errors);
                resets.AddRange(document.Resets);
            }

            var services = model?["services"] as ComposeMapping;
            var scope = new ExtendsScope(
                new FileContext(fullPath, display, directory, environment, resets),
                services?.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal) ?? new Dictionary<string, ComposeNode>(StringComparer.Ordinal));
            _extendsScopes[fullPath] = scope;
            return scope;
        }

        private ComposeMapping ApplyInclude(ComposeMapping config, FileContext context, List<string> includeStack)
        {
            if (config.Entry("include") is not { } include)
            {
                return config;
            }

            config = config.Without("include");
            if (include.Value is ComposeScalar { IsNullValue: true })
            {
                return config;
            }

            if (include.Value is not ComposeSequence items)
            {
                Report(include.Value.Location, $"include must be a list, not {include.Value.KindName}");
                return config;
            }

            foreach (var item in items.Items)
            {
                if (ReadInclude(item, context) is not { } spec)
                {
                    continue;
                }

                var (paths, projectDirectory, envFiles) = spec;
                var main = paths[0];
                if (includeStack.Contains(main, StringComparer.Ordinal))
                {
                    var cycle = string.Join(" include ", includeStack.Append(main).Select(DisplayPath));
                    Report(item.Location, "include cycle: " + cycle);
                    continue;
                }

                if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
                {
                    Report(item.Location, $"included file {Path.GetRelativePath(context.WorkingDirectory, missing)} not found");
                    continue;
                }

                var environment = IncludedEnvironment(context, projectDirectory, envFiles, item.Location);
                var included = LoadModel(paths, environment, projectDirectory, includeStack);
                if (included is not null)
                {
                    config = ImportResources(included, config, context.Resets);
                }
            }

            return config;
        }

        private (List<string> Paths, string ProjectDirectory, List<string>? EnvFiles)? ReadInclude(ComposeNode item, FileContext context)
        {
            var paths = new List<string>();
            string? projectDirectory = null;
            List<string>? envFiles = null;
            switch (item)
            {
                case ComposeScalar { IsNullValue: false, Unresolved: false } s:
                    paths.Add(s.Value);
                    break;
                case ComposeMapping m:
                    paths.AddRange(Strings(m["path"]));
                    projectDirectory = (m["project_directory"] as ComposeScalar) is { IsNullValue: false } pd ? pd.Value : null;
                    if (m["env_file"] is { IsNull: false } env)
                    {
                        envFiles = Strings(env);
                    }

                    break;
                case ComposeScalar { Unresolved: true }:
                    return null;
                default:
                    Report(item.Location, $"an include item must be a path or a mapping with path, not {item.KindName}");
                    return null;
            }

            if (paths.Count == 0)
            {
                Report(item.Location, "an include item needs a path");
                return null;
            }

            var fullPaths = paths.Select(p => ResolvePath(context.WorkingDirectory, p)).ToList();
            var directory = projectDirectory is null
                ? Path.GetDirectoryName(fullPaths[0] ?? string.Empty)
                : ResolvePath(context.WorkingDirectory, projectDirectory);
            var envPaths = envFiles?.Where(f => f != "/dev/null").Select(f => ResolvePath(context.WorkingDirectory, f)).ToList();
            if (fullPaths.Any(p => p is null) || directory is not { Length: > 0 } || envPaths?.Any(p => p is null) == true)
            {
                Report(item.Location, "an include item names a path that cannot be used");
                return null;
            }

            return ([.. fullPaths.OfType<string>()], directory, envPaths?.OfType<string>().ToList());

            static List<string> Strings(ComposeNode? node) => node switch
            {
                ComposeScalar { IsNullValue: false, Unresolved: false } s => [s.Value],
                ComposeSequence seq => [.. seq.Items.OfType<ComposeScalar>().Where(s => !s.IsNullValue && !s.Unresolved).Select(s => s.Value)],
                _ => [],
            };
        }

        /// <summary>The including project's variables, completed (never overridden) by the included project's <c>.env</c> or env files.</summary>
        private Dictionary<string, string> IncludedEnvironment(FileContext context, string projectDirectory, List<string>? envFiles, SourceLocation at)
        {
            var files = new List<string>();
            if (envFiles is null)
            {
                var dotEnv = Path.Combine(projectDirectory, ".env");
                if (File.Exists(dotEnv))
                {
                    files.Add(dotEnv);
                }
            }
            else
            {
                foreach (var file in envFiles)
                {
                    if (File.Exists(file))
                    {
                        files.Add(file);
                    }
                    else
                    {
                        Report(at, $"env file {file} of an include not found");
                    }
                }
            }

            var environment = new Dictionary<string, string>(context.Environment, StringComparer.Ordinal);
            foreach (var (key, value) in ReadEnvFiles(files, context.Environment))
            {
                environment.TryAdd(key, value);
            }

            return environment;
        }

        /// <summary>Adds the included resources; one defined on both sides is merged, the including file winning.</summary>
        private ComposeMapping ImportResources(ComposeMapping source, ComposeMapping target, List<string[]> resets)
        {
            foreach (var key in ImportedResources)
            {
                if (source.Entry(key) is not { Value: ComposeMapping from } fromEntry)
                {
                    continue;
                }

                var toEntry = target.Entry(key);
                var to = toEntry?.Value as ComposeMapping;
                if (to is null)
                {
                    target = target.Set(fromEntry);
                    continue;
                }

                var entries = to.Entries.ToList();
                foreach (var entry in from.Entries)
                {
                    var at = entries.FindIndex(e => string.Equals(e.Key, entry.Key, StringComparison.Ordinal));
                    if (at < 0)
                    {
                        entries.Add(entry);
                        continue;
                    }

                    if (ComposeMerge.SameContent(entry.Value, entries[at].Value))
                    {
                        // The same resource reached through two include paths (a diamond): merging it onto itself
                        // would only repeat its list items.
                        continue;
                    }

                    var imported = ComposeMerge.ApplyResets(entry.Value, [key, entry.Key], resets);
                    var merged = ComposeMerge.Merge(imported, entries[at].Value, [key, entry.Key], _errors);
                    entries[at] = entries[at] with { Value = merged ?? entries[at].Value };
                }

                target = target.Set(toEntry! with { Value = to.With(entries) });
            }

            return target;
        }
    }

    /// <summary>Turns a document tree into Compose nodes: keys must be strings, <c>!reset</c> drops the value (and, like <c>!override</c>, records its path), values are interpolated.</summary>
    private sealed class Converter(
        string file,
        int document,
        IReadOnlyDictionary<string, string> environment,
        List<string[]> resets,
        Action<InputError> report,
        Action<InputError> warn,
        HashSet<string> unsetVariables)
    {
        private readonly List<string> _path = [];

        public ComposeNode? Convert(DocNode node) => Convert(node, inSequence: false);

        private ComposeNode? Convert(DocNode node, bool inSequence)
        {
            var location = new SourceLocation(file, node.Line, node.Column);
            if (!inSequence && node.Tag is "!reset" or "!override")
            {
                resets.Add([.. _path]);
                if (node.Tag == "!reset")
                {
                    return null;
                }
            }

            switch (node)
            {
                case DocScalar scalar:
                    return Scalar(scalar, location);
                case DocSequence seq:
                    {
                        var items = new List<ComposeNode>(seq.Items.Count);
                        for (var i = 0; i < seq.Items.Count; i++)
                        {
                            _path.Add($"[{i}]");
                            if (Convert(seq.Items[i], inSequence: true) is { } item)
                            {
                                items.Add(item);
                            }

                            _path.RemoveAt(_path.Count - 1);
                        }

                        return new ComposeSequence(items, location, document, node.Tag);
                    }

                default:
                    {
                        var map = (DocMapping)node;
                        var entries = new List<ComposeEntry>(map.Entries.Count);
                        foreach (var entry in map.Entries)
                        {
                            if (entry.KeyText is not { } key)
                            {
                                report(new InputError(file, entry.Key.Line, entry.Key.Column, "a mapping key must be a string"));
                                continue;
                            }

                            _path.Add(key);
                            if (Convert(entry.Value, inSequence: false) is { } value)
                            {
                                entries.Add(new ComposeEntry(key, new SourceLocation(file, entry.Key.Line, entry.Key.Column), document, value));
                            }

                            _path.RemoveAt(_path.Count - 1);
                        }

                        return new ComposeMapping(entries, location, document, node.Tag);
                    }
            }
        }

        private ComposeScalar Scalar(DocScalar scalar, SourceLocation location)
        {
            if (!ComposeInterpolation.MayInterpolate(scalar.Value))
            {
                return new ComposeScalar(scalar.Value, scalar.IsPlain, location, document, scalar.Tag);
            }

            var result = ComposeInterpolation.Substitute(scalar.Value, name => environment.TryGetValue(name, out var v) ? v : null);
            var path = PathText();
            // Said once per variable, where it is first used, as docker compose does.
            foreach (var name in result.UnsetVariables.Where(unsetVariables.Add))
            {
                warn(new InputError(file, scalar.Line, scalar.Column, $"the \"{name}\" variable is not set; defaulting to a blank string ({path})"));
            }

            if (result.Error is { } error)
            {
                var message = error.Kind == InterpolationErrorKind.InvalidTemplate
                    ? $"invalid interpolation format for {path}: \"{scalar.Value}\"; you may need to escape any $ with another $"
                    : $"error while interpolating {path}: {error.Message}";
                report(new InputError(file, scalar.Line, scalar.Column, message));
                return new ComposeScalar(scalar.Value, false, location, document, scalar.Tag) { Unresolved = true };
            }

            return result.Value == scalar.Value
                ? new ComposeScalar(scalar.Value, scalar.IsPlain, location, document, scalar.Tag)
                : new ComposeScalar(result.Value, false, location, document, scalar.Tag) { Original = scalar.Value };
        }

        private string PathText()
        {
            var sb = new StringBuilder();
            foreach (var part in _path)
            {
                if (sb.Length > 0 && !part.StartsWith('['))
                {
                    sb.Append('.');
                }

                sb.Append(part);
            }

            return sb.ToString();
        }
    }
}
