using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Text;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>
/// BuildKit's <c>instructions.Parse</c> and the scoping rules of <c>dockerfile2llb</c>: stages, global and
/// per-stage ARGs, ENV, USER and WORKDIR, base stages, <c>COPY --from</c>, ONBUILD triggers.
/// </summary>
internal sealed class DockerfileSemantics(DockerfileDocument document, DockerfileOptions options)
{
    internal static readonly HashSet<string> KnownInstructions = new(StringComparer.Ordinal)
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    private readonly ShellLexer _lexer = new(document.EscapeToken) { MaxResultLength = options.MaxExpansionLength };
    private readonly ShellEnvironment _globalArgs = new();
    private readonly Dictionary<DockerfileStage, StageState> _states = [];

    // COPY --from and RUN --mount=from= may name stages defined later, so they are resolved once all stages are known.
    private readonly List<(DockerfileInstruction Instruction, string Reference, SourceLocation Location, bool IsMount)> _pendingSources = [];

    private sealed class StageState
    {
        public DockerfileEnvironment Env { get; set; } = DockerfileEnvironment.Empty;

        public HashSet<string> Declared { get; init; } = new(StringComparer.Ordinal);

        public string? User { get; set; }

        public DockerfileInstruction? UserInstruction { get; set; }

        public string? Workdir { get; set; }
    }

    public void Run()
    {
        AddAutomaticArgs();
        DockerfileStage? current = null;
        foreach (var node in document.Root!.Children)
        {
            var keyword = node.Value.ToUpperInvariant();
            var instruction = Build(node, keyword);
            document.AddInstruction(instruction);
            if (!KnownInstructions.Contains(keyword))
            {
                Fail(instruction, "unknown instruction: " + node.Value + Suggest(node.Value));
                continue;
            }

            if (keyword == "FROM")
            {
                current = StartStage(instruction);
                continue;
            }

            if (current is null)
            {
                if (keyword == "ARG")
                {
                    document.AddMetaArg(instruction);
                    ApplyGlobalArg(instruction);
                }
                else
                {
                    Fail(instruction, "no build stage in current context");
                }

                continue;
            }

            instruction.Stage = current;
            current.Add(instruction);
            Apply(current, instruction);
        }

        foreach (var stage in document.Stages)
        {
            var state = _states[stage];
            stage.FinalEnvironment = state.Env;
            stage.User = state.User;
            stage.UserInstruction = state.UserInstruction;
            stage.WorkingDirectory = state.Workdir;
            stage.DeclaredArgs = state.Declared;
        }

        ResolvePendingSources();
        DetectCircularDependencies();

        if (document.Stages.Count == 0 && document.Errors.Count == 0)
        {
            document.AddError(document.Root.EndLine, 0, "dockerfile contains no stages to build");
        }

        var final = options.Target is { } target ? document.FindStage(target) : (document.Stages.Count > 0 ? document.Stages[^1] : null);
        if (options.Target is not null && final is null)
        {
            document.AddError(0, 0, $"target stage \"{options.Target}\" could not be found");
        }

        document.SetFinalStage(final);
        document.SetGlobalArgs(_globalArgs.ToList());
    }

    /// <summary>
    /// BuildKit's <c>hasCircularDependency</c>: a depth-first walk over the stages that COPY --from and
    /// RUN --mount=from= name (not base stages: a FROM can only name an earlier stage), in stage order.
    /// </summary>
    private void DetectCircularDependencies()
    {
        var visited = new HashSet<DockerfileStage>();
        var path = new HashSet<DockerfileStage>();

        IEnumerable<(DockerfileStage Dependency, DockerfileInstruction Instruction)> Dependencies(DockerfileStage stage) =>
            stage.Instructions.SelectMany(i => (i.CopyFrom is { Stage: { } copied } ? [copied] : Array.Empty<DockerfileStage>())
                .Concat(i.MountSources.Where(m => m.Stage is not null).Select(m => m.Stage!))
                .Select(d => (d, i)));

        DockerfileInstruction? Visit(DockerfileStage stage)
        {
            if (!visited.Add(stage))
            {
                return null;
            }

            path.Add(stage);
            foreach (var (dependency, instruction) in Dependencies(stage))
            {
                if (path.Contains(dependency) || Visit(dependency) is not null)
                {
                    return instruction;
                }
            }

            path.Remove(stage);
            return null;
        }

        foreach (var stage in document.Stages)
        {
            if (Visit(stage) is { } instruction)
            {
                var name = stage.Name ?? (document.Stages.Count == 1 ? string.Empty : "stage-" + stage.Index.ToString(CultureInfo.InvariantCulture));
                Fail(instruction, "circular dependency detected on stage: " + name);
                return;
            }
        }
    }

    private void AddAutomaticArgs()
    {
        void Platform(string prefix, string platform)
        {
            var parts = platform.Split('/');
            _globalArgs.Set(prefix + "PLATFORM", platform);
            _globalArgs.Set(prefix + "OS", parts.Length > 0 ? parts[0] : string.Empty);
            _globalArgs.Set(prefix + "ARCH", parts.Length > 1 ? parts[1] : string.Empty);
            _globalArgs.Set(prefix + "VARIANT", parts.Length > 2 ? parts[2] : string.Empty);
        }

        Platform("BUILD", options.BuildPlatform);
        Platform("TARGET", options.TargetPlatform);
    }

    private DockerfileStage StartStage(DockerfileInstruction from)
    {
        var args = from.Node.ArgumentValues;
        string? name = null;
        if (args.Count == 3 && string.Equals(args[1], "as", StringComparison.OrdinalIgnoreCase))
        {
            name = args[2].ToLowerInvariant();
            if (!IsValidStageName(name))
            {
                Fail(from, $"invalid name for build stage: {GoQuote.Quote(args[2])}, name can't start with a number or contain symbols");
            }
        }
        else if (args.Count != 1)
        {
            Fail(from, "FROM requires either one or three arguments");
        }

        var stage = new DockerfileStage
        {
            Index = document.Stages.Count,
            Name = name,
            From = from,
            BaseName = args.Count > 0 ? args[0] : string.Empty,
            Platform = from.Flag("platform"),
        };
        from.Stage = stage;
        document.AddStage(stage);

        if (Expand(from, stage.BaseName, _globalArgs) is { } resolved)
        {
            stage.ResolvedBaseName = resolved;
            if (resolved.Length == 0)
            {
                Fail(from, $"base name ({stage.BaseName}) should not be blank");
            }
        }

        if (stage.Platform is { } platform)
        {
            stage.ResolvedPlatform = Expand(from, platform, _globalArgs);
        }

        from.ExpandedArguments = stage.ResolvedBaseName is { } r ? [r, .. args.Skip(1)] : args;
        from.Environment = GlobalSnapshot();

        var state = new StageState();
        if (stage.ResolvedBaseName is { Length: > 0 } baseName
            && document.Stages.Take(stage.Index).LastOrDefault(s => s.Name is not null && string.Equals(s.Name, baseName, StringComparison.OrdinalIgnoreCase)) is { } baseStage)
        {
            stage.BaseStage = baseStage;
            var parent = _states[baseStage];
            state.Env = parent.Env;
            state.Declared.UnionWith(parent.Declared);
            state.User = parent.User;
            state.UserInstruction = parent.UserInstruction;
            state.Workdir = parent.Workdir;
        }
        else if (stage.ResolvedBaseName == "scratch")
        {
            state.Env = state.Env.WithEnv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }

        _states[stage] = state;
        return stage;
    }

    private static bool IsValidStageName(string name)
    {
        if (name.Length == 0 || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private void ApplyGlobalArg(DockerfileInstruction instruction)
    {
        instruction.Environment = GlobalSnapshot();
        var pairs = new List<DockerfileKeyValue>();
        foreach (var (word, location) in instruction.Node.ArgumentValues.Zip(instruction.Arguments.Select(a => a.Location)))
        {
            var (key, rawValue) = SplitArg(instruction, word);
            string? value = null;
            if (options.BuildArgs.TryGetValue(key, out var given))
            {
                value = given;
            }
            else if (rawValue is not null)
            {
                value = Expand(instruction, rawValue, _globalArgs);
            }

            if (value is not null)
            {
                _globalArgs.Set(key, value);
            }

            pairs.Add(new DockerfileKeyValue(key, value, key, rawValue, location));
        }

        instruction.KeyValues = pairs;
        instruction.ExpandedArguments = instruction.Node.ArgumentValues;
    }

    private (string Key, string? RawValue) SplitArg(DockerfileInstruction instruction, string word)
    {
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        var key = eq < 0 ? word : word[..eq];
        if (key.Length == 0)
        {
            Fail(instruction, "ARG names can not be blank");
        }

        return (key, eq < 0 ? null : word[(eq + 1)..]);
    }

    private void Apply(DockerfileStage stage, DockerfileInstruction instruction)
    {
        var state = _states[stage];
        instruction.Environment = state.Env;
        IShellEnvironment lookup = state.Env;
        var args = instruction.Node.ArgumentValues;
        instruction.ExpandedArguments = args;
        switch (instruction.Keyword)
        {
            case "ARG":
                {
                    RequireArguments(instruction, 1, null);
                    var pairs = new List<DockerfileKeyValue>();
                    foreach (var (word, location) in args.Zip(instruction.Arguments.Select(a => a.Location)))
                    {
                        var (key, rawValue) = SplitArg(instruction, word);
                        string? value = null;
                        if (options.BuildArgs.TryGetValue(key, out var given))
                        {
                            value = given;
                        }
                        else if (rawValue is not null)
                        {
                            value = Expand(instruction, rawValue, lookup);
                        }
                        else if (_globalArgs.TryGetValue(key, out var global) && document.MetaArgs.Any(m => m.KeyValues.Any(kv => kv.Key == key)))
                        {
                            value = global;
                        }
                        else if (_globalArgs.TryGetValue(key, out var automatic) && IsAutomaticArg(key))
                        {
                            value = automatic;
                        }

                        state.Declared.Add(key);
                        if (value is not null)
                        {
                            state.Env = state.Env.WithArg(key, value);
                        }

                        pairs.Add(new DockerfileKeyValue(key, value, key, rawValue, location));
                    }

                    instruction.KeyValues = pairs;
                    break;
                }

            case "ENV" or "LABEL":
                {
                    if (args.Count == 0)
                    {
                        Fail(instruction, instruction.Keyword + " requires at least one argument");
                    }

                    var pairs = new List<DockerfileKeyValue>();
                    var expanded = new List<string>();
                    var locations = instruction.Arguments.Select(a => a.Location).ToList();
                    for (var i = 0; i + 1 < args.Count; i += 3)
                    {
                        var key = Expand(instruction, args[i], lookup) ?? args[i];
                        var value = Expand(instruction, args[i + 1], lookup) ?? args[i + 1];
                        if (key.Length == 0)
                        {
                            Fail(instruction, instruction.Keyword + " names can not be blank");
                        }

                        pairs.Add(new DockerfileKeyValue(key, value, args[i], args[i + 1], locations[i]));
                        expanded.Add(key);
                        expanded.Add(value);
                        expanded.Add(i + 2 < args.Count ? args[i + 2] : string.Empty);
                    }

                    instruction.KeyValues = pairs;
                    instruction.ExpandedArguments = expanded;
                    if (instruction.Keyword == "ENV")
                    {
                        foreach (var pair in pairs)
                        {
                            state.Env = state.Env.WithEnv(pair.Key, pair.Value!);
                        }
                    }

                    break;
                }

            case "USER":
                if (RequireArguments(instruction, 1, 1) && Expand(instruction, args[0], lookup) is { } user)
                {
                    instruction.ExpandedArguments = [user];
                    state.User = user;
                    state.UserInstruction = instruction;
                }

                break;

            case "WORKDIR":
                if (RequireArguments(instruction, 1, 1) && Expand(instruction, args[0], lookup) is { } dir)
                {
                    instruction.ExpandedArguments = [dir];
                    state.Workdir = JoinPath(state.Workdir ?? "/", dir);
                }

                break;

            case "STOPSIGNAL" or "MAINTAINER":
                RequireArguments(instruction, 1, 1);
                if (instruction.Keyword == "STOPSIGNAL" && args.Count == 1)
                {
                    instruction.ExpandedArguments = [Expand(instruction, args[0], lookup) ?? args[0]];
                }

                break;

            case "EXPOSE":
                if (RequireArguments(instruction, 1, null))
                {
                    // Each word is expanded and split again, so EXPOSE $PORTS can open several ports.
                    instruction.ExpandedArguments = [.. args.SelectMany(a => ExpandWords(instruction, a, lookup) ?? [a])];
                }

                break;

            case "VOLUME":
                if (RequireArguments(instruction, 1, null))
                {
                    if (args.Any(a => a.Trim(DockerfileNode.GoSpace).Length == 0))
                    {
                        Fail(instruction, "VOLUME specified can not be an empty string");
                    }

                    instruction.ExpandedArguments = [.. args.Select(a => Expand(instruction, a, lookup) ?? a)];
                }

                break;

            case "COPY" or "ADD":
                ApplyCopy(instruction, lookup);
                break;

            case "RUN":
                ApplyRunMounts(instruction);
                break;

            case "SHELL":
                if (args.Count == 0)
                {
                    Fail(instruction, "SHELL requires at least one argument");
                }
                else if (!instruction.IsJsonForm)
                {
                    Fail(instruction, "SHELL requires the arguments to be in JSON form");
                }

                break;

            case "HEALTHCHECK":
                ValidateHealthcheck(instruction);
                break;

            case "ONBUILD":
                ApplyOnbuild(instruction);
                break;
        }
    }

    private void ApplyCopy(DockerfileInstruction instruction, IShellEnvironment lookup)
    {
        var args = instruction.Node.ArgumentValues;
        if (args.Count < 2)
        {
            Fail(instruction, $"{instruction.Keyword} requires at least two arguments, but only one was provided. Destination could not be determined");
            return;
        }

        if (DockerfileParser.TryParseHeredoc(args[^1]) is not null)
        {
            Fail(instruction, $"{instruction.Keyword} cannot accept a heredoc as a destination");
        }

        instruction.ExpandedArguments = [.. args.Select(a => DockerfileParser.TryParseHeredoc(a) is not null ? a : Expand(instruction, a, lookup) ?? a)];
        var bodies = new Dictionary<string, Heredoc>(StringComparer.Ordinal);
        foreach (var heredoc in instruction.Heredocs)
        {
            bodies[heredoc.Name] = heredoc;
        }

        var paths = new List<string>();
        var contents = new List<DockerfileSourceContent>();
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (DockerfileParser.TryParseHeredoc(args[i]) is { } source)
            {
                var data = bodies.TryGetValue(source.Name, out var body) ? body.Content : string.Empty;
                contents.Add(new DockerfileSourceContent(source.Name, source.Chomp ? Heredoc.ChompContent(data) : data, source.Expand));
            }
            else
            {
                paths.Add(instruction.ExpandedArguments[i]);
            }
        }

        instruction.SourcePaths = paths;
        instruction.SourceContents = contents;
        instruction.Destination = instruction.ExpandedArguments[^1];
        foreach (var flag in new[] { "chown", "chmod", "checksum" })
        {
            if (instruction.Flag(flag) is { } value)
            {
                Expand(instruction, value, lookup);
            }
        }

        if (instruction.Keyword == "COPY" && instruction.Flags.LastOrDefault(f => f.Name == "from") is { } from)
        {
            if (from.Value.Contains('$', StringComparison.Ordinal) && Expand(instruction, from.Value, lookup) != from.Value)
            {
                Fail(instruction, "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround");
            }

            _pendingSources.Add((instruction, from.Value, from.Location, false));
        }
    }

    private void ApplyRunMounts(DockerfileInstruction instruction)
    {
        var mounts = new List<DockerfileMount>();
        foreach (var flag in instruction.Flags.Where(f => f.Name == "mount"))
        {
            if (!TryReadCsvRecord(flag.Value, out var fields))
            {
                Fail(instruction, "failed to parse csv mounts: " + flag.Value);
                continue;
            }

            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                var key = (eq < 0 ? field : field[..eq]).Trim(DockerfileNode.GoSpace).ToLowerInvariant();
                options[key] = eq < 0 ? "true" : field[(eq + 1)..];
            }

            var type = options.TryGetValue("type", out var t) ? t.ToLowerInvariant() : "bind";
            var mount = new DockerfileMount(type, options, flag.Location);
            mounts.Add(mount);
            if (mount.From is { } from)
            {
                if (from.Contains('$', StringComparison.Ordinal))
                {
                    Fail(instruction, "'from' doesn't support variable expansion, define alias stage instead");
                }

                _pendingSources.Add((instruction, from, flag.Location, true));
            }
        }

        instruction.Mounts = mounts;
    }

    /// <summary>One record of Go's <c>encoding/csv</c> (comma-separated, <c>"…"</c> quoting with <c>""</c> for a quote).</summary>
    internal static bool TryReadCsvRecord(string line, out List<string> fields)
    {
        fields = [];
        var field = new System.Text.StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    return false;
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        return false;
                    }

                    field.Append(line[i++]);
                }
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return true;
            }

            i++;
        }
    }

    private void ResolvePendingSources()
    {
        foreach (var (instruction, reference, location, isMount) in _pendingSources)
        {
            var source = ResolveSource(instruction, reference, location);
            if (isMount)
            {
                instruction.MountSources = [.. instruction.MountSources, source];
            }
            else
            {
                instruction.CopyFrom = source;
            }
        }
    }

    private DockerfileCopySource ResolveSource(DockerfileInstruction instruction, string reference, SourceLocation location)
    {
        var byName = document.Stages.FirstOrDefault(s => s.Name is not null && string.Equals(s.Name, reference, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
        {
            return new DockerfileCopySource(reference, byName, location);
        }

        if (int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index >= document.Stages.Count)
            {
                Fail(instruction, $"index out of bounds: stage {index}");
                return new DockerfileCopySource(reference, null, location);
            }

            return new DockerfileCopySource(reference, document.Stages[index], location);
        }

        return new DockerfileCopySource(reference, null, location);
    }

    private void ValidateHealthcheck(DockerfileInstruction instruction)
    {
        var args = instruction.Node.ArgumentValues;
        if (args.Count == 0)
        {
            Fail(instruction, "HEALTHCHECK requires at least one argument");
            return;
        }

        var type = args[0].ToUpperInvariant();
        if (type == "NONE")
        {
            // BuildKit does not look at flags of HEALTHCHECK NONE.
            if (args.Count != 1)
            {
                Fail(instruction, "HEALTHCHECK NONE takes no arguments");
            }
        }
        else if (type != "CMD")
        {
            Fail(instruction, $"Unknown type {GoQuote.Quote(type)} in HEALTHCHECK (try CMD)");
        }
        else if (args.Count == 1)
        {
            Fail(instruction, "Missing command after HEALTHCHECK CMD");
        }
    }

    private void ApplyOnbuild(DockerfileInstruction instruction)
    {
        var triggerNode = instruction.Node.Next is { Children.Count: > 0 } holder ? holder.Children[0] : null;
        if (triggerNode is null)
        {
            Fail(instruction, "ONBUILD requires at least one argument");
            return;
        }

        var keyword = triggerNode.Value.ToUpperInvariant();
        switch (keyword)
        {
            case "ONBUILD":
                Fail(instruction, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                break;
            case "MAINTAINER" or "FROM":
                Fail(instruction, $"{keyword} isn't allowed as an ONBUILD trigger");
                break;
        }

        var trigger = Build(triggerNode, keyword);
        trigger.Stage = instruction.Stage;
        trigger.Environment = instruction.Environment;
        trigger.ExpandedArguments = triggerNode.ArgumentValues;
        if (!KnownInstructions.Contains(keyword))
        {
            Fail(instruction, "unknown instruction: " + triggerNode.Value + Suggest(triggerNode.Value));
        }

        instruction.Trigger = trigger;
    }

    private bool RequireArguments(DockerfileInstruction instruction, int min, int? max)
    {
        var count = instruction.Node.ArgumentValues.Count;
        if (count < min)
        {
            Fail(instruction, max == 1 && min == 1 ? $"{instruction.Keyword} requires exactly one argument" : $"{instruction.Keyword} requires at least one argument");
            return false;
        }

        if (max is { } limit && count > limit)
        {
            Fail(instruction, $"{instruction.Keyword} requires exactly one argument");
            return false;
        }

        return true;
    }

    private static bool IsAutomaticArg(string key) => key is "BUILDPLATFORM" or "BUILDOS" or "BUILDARCH" or "BUILDVARIANT"
        or "TARGETPLATFORM" or "TARGETOS" or "TARGETARCH" or "TARGETVARIANT";

    private DockerfileEnvironment GlobalSnapshot()
    {
        var snapshot = DockerfileEnvironment.Empty;
        foreach (var (key, value) in _globalArgs.ToList())
        {
            snapshot = snapshot.WithArg(key, value);
        }

        return snapshot;
    }

    private string? Expand(DockerfileInstruction instruction, string word, IShellEnvironment env)
    {
        try
        {
            var result = _lexer.ProcessWordWithMatches(word, env);
            if (result.Unmatched.Count > 0)
            {
                instruction.AddUnsetVariables(result.Unmatched);
            }

            return result.Result;
        }
        catch (ShellLexException ex)
        {
            Fail(instruction, ex.Message);
            return null;
        }
    }

    private IReadOnlyList<string>? ExpandWords(DockerfileInstruction instruction, string word, IShellEnvironment env)
    {
        try
        {
            return _lexer.ProcessWords(word, env);
        }
        catch (ShellLexException ex)
        {
            Fail(instruction, ex.Message);
            return null;
        }
    }

    private void Fail(DockerfileInstruction instruction, string message)
    {
        instruction.Error ??= message;
        document.AddError(instruction.StartLine, instruction.Column, message);
    }

    /// <summary>POSIX path join and clean, as WORKDIR applies it.</summary>
    internal static string JoinPath(string current, string path)
    {
        var combined = path.StartsWith('/') ? path : current.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var part in combined.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary>BuildKit's " (did you mean X?)": the closest keyword within edit distance 2, in the case the word was written in.</summary>
    private static string Suggest(string word)
    {
        if (Suggestions.Closest(word, KnownInstructions.Order(StringComparer.Ordinal).Select(k => k.ToLowerInvariant())) is not { } best)
        {
            return string.Empty;
        }

        var shown = word.Any(char.IsUpper) && !word.Any(char.IsLower) ? best.ToUpperInvariant() : best;
        return $" (did you mean {shown}?)";
    }

    private DockerfileInstruction Build(DockerfileNode node, string keyword)
    {
        var locator = new ArgumentLocator(document.Lines, node, document.File);
        var flags = new List<DockerfileFlag>();
        foreach (var raw in node.Flags)
        {
            var location = locator.Find(raw);
            var body = raw.StartsWith("--", StringComparison.Ordinal) ? raw[2..] : raw;
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            flags.Add(new DockerfileFlag(eq < 0 ? body : body[..eq], eq < 0 ? "true" : body[(eq + 1)..], raw, location));
        }

        var arguments = new List<DockerfileArgument>();
        var values = node.ArgumentValues;
        var keyValueTriples = keyword is "ENV" or "LABEL";
        for (var i = 0; i < values.Count; i++)
        {
            // The third node of each ENV/LABEL pair is the separator the parser made up ("=" or ""); it is not in the text.
            var location = keyValueTriples && i % 3 == 2 ? arguments[i - 1].Location : locator.Find(values[i]);
            arguments.Add(new DockerfileArgument(values[i], location));
        }

        var instruction = new DockerfileInstruction
        {
            Node = node,
            Keyword = keyword,
            Location = new SourceLocation(document.File, node.StartLine, node.Column),
            Flags = flags,
            Arguments = arguments,
        };

        if (KnownInstructions.Contains(keyword))
        {
            var healthcheckNone = keyword == "HEALTHCHECK" && node.Next is { } first && string.Equals(first.Value, "NONE", StringComparison.OrdinalIgnoreCase);
            var flagSet = DockerfileFlagSet.For(keyword, healthcheckNone);
            if (flagSet.Parse(node.Flags) is { } error && !healthcheckNone)
            {
                Fail(instruction, error);
            }
        }

        return instruction;
    }

    /// <summary>Finds where each argument was written, scanning forward from the keyword through the instruction's lines.</summary>
    private sealed class ArgumentLocator(IReadOnlyList<string> lines, DockerfileNode node, string file)
    {
        // Searches that find nothing do not move the cursor; a budget keeps many of them from costing
        // quadratic time on hostile input (arguments that never appear verbatim).
        private long _budget = 4_000_000;
        private int _line = node.StartLine;
        private int _index = Math.Max(0, node.Column - 1 + node.Value.Length);

        public SourceLocation Find(string value)
        {
            var probe = Probe(value);
            if (probe.Length > 0 && _budget > 0)
            {
                for (var line = _line; line <= node.EndLine && line - 1 < lines.Count && _budget > 0; line++)
                {
                    var text = lines[line - 1];
                    var from = line == _line ? Math.Min(_index, text.Length) : 0;
                    var at = text.IndexOf(probe, from, StringComparison.Ordinal);
                    _budget -= (at < 0 ? text.Length : at) - from + 1;
                    if (at >= 0)
                    {
                        _line = line;
                        _index = at + probe.Length;
                        return new SourceLocation(file, line, at + 1);
                    }
                }
            }

            return new SourceLocation(file, _line, _line > 0 ? 1 : 0);
        }

        private static string Probe(string value)
        {
            var end = 0;
            while (end < value.Length && end < 40 && value[end] is not ('\\' or '`' or '"' or '\''))
            {
                end++;
            }

            if (end == 0 && value.Length > 0 && value[0] is '"' or '\'')
            {
                return value[..1];
            }

            return value[..end];
        }
    }
}
