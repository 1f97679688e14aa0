using System.Collections.Concurrent;
using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Compose;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.DockerInspect;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Parsing.Seccomp;
using Bulwark.Rules;
using Bulwark.Scanning.Inputs;
using Bulwark.Scanning.Suppressions;

namespace Bulwark.Scanning;

/// <summary>
/// The pipeline: discover inputs → parse (in parallel) → normalize into targets → evaluate rules →
/// apply suppressions → one ordered list of findings. The CLI and the admission webhook are thin
/// adapters over this.
/// </summary>
public sealed class ScanEngine
{
    public const string IgnoreAnnotation = "bulwark.dev/ignore";

    private readonly IReadOnlyList<IRule> _rules;

    public ScanEngine(IReadOnlyList<IRule>? rules = null) => _rules = rules ?? BuiltInRules.All;

    /// <summary>A parsed input: its file, the targets rules judge, and where each object starts.</summary>
    public sealed class ParsedInput
    {
        public required SourceFile File { get; init; }

        public List<KubernetesObject> Objects { get; } = [];

        public List<IScanTarget> Targets { get; } = [];

        public List<SkippedDocument> Skipped { get; } = [];

        /// <summary>Errors of the input: its own, and those of files it pulled in (Compose include/extends).</summary>
        public List<InputError> Errors { get; } = [];

        /// <summary>Text of other files the input's findings may point into (a Compose service's Dockerfile), for their suppression comments.</summary>
        public Dictionary<string, string> OtherTexts { get; } = new(StringComparer.Ordinal);
    }

    public ScanResult Scan(ScanOptions options)
    {
        var timings = new ScanTimings();
        var active = ActiveRules(options);
        InputOutcome[] outcomes;
        List<InputError> errors;
        using (timings.Measure("parse and per-file rules"))
        {
            (outcomes, errors) = ForEachInput(options, input => EvaluateInput(input, active, options));
        }

        var warnings = EvaluateCluster(outcomes, active, options, timings);
        using (timings.Measure("assemble"))
        {
            return Assemble(outcomes, errors, warnings, active, timings);
        }
    }

    /// <summary>
    /// Discovers the inputs, then parses, normalizes and hands each to <paramref name="process"/> in parallel,
    /// keeping only what it returns. Holding every document tree until all inputs were parsed made the garbage
    /// collector copy them from generation to generation: a third of a 50,000-object scan's time and 650 MB of
    /// memory (bench/).
    /// </summary>
    public static (T[] Outcomes, List<InputError> Errors) ForEachInput<T>(ScanOptions options, Func<ParsedInput, T> process)
    {
        var errors = new List<InputError>();
        var excludes = options.Excludes.Concat(options.Config.Excludes).ToList();
        var inputs = InputDiscovery.Discover(options.Paths, excludes, errors);
        var outcomes = new T[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism }, i =>
        {
            var input = inputs[i];
            var parsed = input.IsStandardInput ? Normalize(LoadStandardInput(options), options)
                : DockerfileDocument.IsDockerfileName(input.Path) ? FromDockerfile(DockerfileDocument.Load(input.Path))
                : Normalize(SourceFile.Load(input.Path, options.Limits), options);
            outcomes[i] = process(parsed);
        });

        return (outcomes, errors);
    }

    private static SourceFile LoadStandardInput(ScanOptions options)
    {
        if (options.StandardInput is null)
        {
            return new SourceFile { Path = ScanInput.StandardInputName, Errors = [new InputError(ScanInput.StandardInputName, 0, 0, "standard input is not available")] };
        }

        using var stream = options.StandardInput();
        return SourceFile.Load(ScanInput.StandardInputName, stream, options.Limits);
    }

    /// <summary>Scans already-loaded files (tests, the webhook); no discovery.</summary>
    public ScanResult Scan(IEnumerable<SourceFile> files, ScanOptions options)
    {
        var active = ActiveRules(options);
        var list = files.ToList();
        var outcomes = new InputOutcome[list.Count];
        Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism }, i =>
            outcomes[i] = EvaluateInput(Normalize(list[i], options), active, options));
        var timings = new ScanTimings();
        var warnings = EvaluateCluster(outcomes, active, options, timings);
        return Assemble(outcomes, [], warnings, active, timings);
    }

    public static ParsedInput Normalize(SourceFile file, ScanOptions? options = null)
    {
        var result = new ParsedInput { File = file };
        result.Errors.AddRange(file.Errors);
        if (IsCompose(file))
        {
            var project = ComposeLoader.Load(file, new ComposeLoadOptions
            {
                Environment = options?.Environment ?? new Dictionary<string, string>(StringComparer.Ordinal),
                EnvFiles = options?.EnvFiles ?? [],
                Profiles = options?.Profiles ?? [],
                Limits = options?.Limits ?? DocumentLimits.Default,
            });
            result.Errors.Clear();
            result.Errors.AddRange(project.Errors);
            result.Targets.AddRange(ComposeWorkloadMapper.MapAll(project));
            AddBuildDockerfiles(result, project);
            AddReferencedProfiles(result, project.ProjectDirectory, options);
            return result;
        }

        foreach (var document in file.Documents)
        {
            if (SeccompProfile.TryRead(document) is { } profile)
            {
                result.Targets.Add(profile);
                continue;
            }

            if (DockerInspectMapper.IsInspectOutput(document.Root))
            {
                result.Targets.AddRange(DockerInspectMapper.Map(document));
                continue;
            }

            KubernetesManifestReader.Read(document, result.Objects, result.Skipped);
        }

        foreach (var obj in result.Objects)
        {
            result.Targets.Add(obj);
            if (KubernetesWorkloadMapper.Map(obj) is { } workload)
            {
                result.Targets.Add(workload);
            }
        }

        AddReferencedProfiles(result, Path.GetDirectoryName(Path.GetFullPath(file.Path)), options);
        return result;
    }

    /// <summary>
    /// Seccomp profiles the workloads name (Compose <c>seccomp=profile.json</c>, Kubernetes <c>Localhost</c>)
    /// are linted too when the file is found beside the input (relative to the project or manifest folder).
    /// </summary>
    private static void AddReferencedProfiles(ParsedInput result, string? baseDirectory, ScanOptions? options)
    {
        if (baseDirectory is null || result.File.Path == ScanInput.StandardInputName)
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

            var file = SourceFile.Load(full, options?.Limits ?? DocumentLimits.Default);
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

    /// <summary>
    /// The Dockerfiles Compose services are built from (<c>build.context</c> + <c>dockerfile</c>, or
    /// <c>dockerfile_inline</c>) are judged by the Dockerfile rules with the service's build args and target.
    /// An inline Dockerfile keeps the lines and columns it has in the Compose file.
    /// </summary>
    private static void AddBuildDockerfiles(ParsedInput result, ComposeProject project)
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

            var options = new DockerfileOptions { BuildArgs = args, Target = build.Target?.Value };
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
                    || result.File.Path == ScanInput.StandardInputName)
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
                    result.Skipped.Add(new SkippedDocument(
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

            result.Errors.AddRange(document.Errors);
            if (document.Syntax.Succeeded)
            {
                result.Targets.Add(document);
            }
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

    /// <summary>A Dockerfile as a parsed input: one target, or only errors when BuildKit would reject it.</summary>
    public static ParsedInput FromDockerfile(DockerfileDocument document)
    {
        var result = new ParsedInput { File = new SourceFile { Path = document.File, Text = document.Text } };
        result.Errors.AddRange(document.Errors);
        if (document.Syntax.Succeeded)
        {
            result.Targets.Add(document);
        }

        return result;
    }

    private static bool IsCompose(SourceFile file) =>
        file.IsComplete && !file.IsJson && file.Documents.Count > 0
            && (ComposeFiles.IsComposeFileName(file.Path) || ComposeFiles.LooksLikeCompose(file.Documents[0].Root));

    /// <summary>What the scan keeps of one input once its rules ran: not its document trees.</summary>
    private sealed record InputOutcome(string File, List<InputError> Errors, List<SkippedDocument> Skipped, int Documents, int Objects, List<Finding> Findings)
    {
        /// <summary>Objects and workload summaries kept for cluster rules (empty when none is active).</summary>
        public List<KubernetesObject> Retained { get; init; } = [];

        public List<WorkloadSummary> Workloads { get; init; } = [];

        public required SuppressionScope Suppressions { get; init; }
    }

    private sealed record ActiveRuleSet(List<IRule> Rules, Dictionary<Type, IRule[]> ByTarget, PodSecurityStage? PodSecurity)
    {
        public IEnumerable<RuleDescriptor> Descriptors => Rules.Select(r => r.Descriptor).Concat(PodSecurity?.Descriptors ?? []);

        public bool HasClusterRules => ByTarget.ContainsKey(typeof(KubernetesCluster));
    }

    private ActiveRuleSet ActiveRules(ScanOptions options)
    {
        var config = options.Config;
        var active = _rules.Where(r => IsActive(r.Descriptor)).ToList();
        var podSecurity = options.PodSecurity is { Level: not PodSecurityLevel.Privileged } policy
            ? new PodSecurityStage(policy, [.. PodSecurityDescriptors.All.Where(IsActive)])
            : null;
        // A rule is found under every target type it declares (a container rule also reads Dockerfiles).
        var byTarget = active.SelectMany(r => r.TargetTypes.Select(t => (Type: t, Rule: r)))
            .GroupBy(p => p.Type)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Rule).ToArray());
        return new ActiveRuleSet(active, byTarget, podSecurity);

        bool IsActive(RuleDescriptor rule)
        {
            if (options.OnlyRules.Count > 0)
            {
                return options.OnlyRules.Any(rule.IsNamed);
            }

            if (config.DisabledRules.Any(rule.IsNamed))
            {
                return false;
            }

            return rule.EnabledByDefault || config.EnabledRules.Any(rule.IsNamed);
        }
    }

    private static InputOutcome EvaluateInput(ParsedInput input, ActiveRuleSet active, ScanOptions options)
    {
        var context = new CollectingRuleContext();
        foreach (var target in input.Targets)
        {
            if (active.ByTarget.TryGetValue(target.GetType(), out var rules))
            {
                foreach (var rule in rules)
                {
                    rule.EvaluateTarget(target, context);
                }
            }
        }

        active.PodSecurity?.Evaluate(input.Objects, context.Findings);
        var scope = SuppressionScope.For(input);
        var findings = Suppress(scope, context.Findings, options);
        var objects = input.Objects.Count + input.Targets.Count(t => t.Source != SourceKind.Kubernetes);
        return new InputOutcome(input.File.Path, input.Errors, input.Skipped, input.File.Documents.Count, objects, findings)
        {
            Suppressions = scope,
            Retained = active.HasClusterRules ? [.. input.Objects.Where(KubernetesCluster.Retains)] : [],
            Workloads = active.HasClusterRules
                ? [.. input.Targets.OfType<Workload>().Where(w => w.Source == SourceKind.Kubernetes).Select(WorkloadSummary.From)]
                : [],
        };
    }

    /// <summary>
    /// Runs the rules about relations between objects (namespaces and their policies, bindings and their
    /// roles) over everything the scan kept, and files each finding, suppressed where its own file says so,
    /// with the input it points into. Returns what the analyses could not use of the input.
    /// </summary>
    private static IReadOnlyList<InputWarning> EvaluateCluster(InputOutcome[] outcomes, ActiveRuleSet active, ScanOptions options, ScanTimings timings)
    {
        if (!active.HasClusterRules)
        {
            return [];
        }

        using var stage = timings.Measure("cluster rules");

        var cluster = new KubernetesCluster
        {
            Objects = [.. outcomes.SelectMany(o => o.Retained)],
            Workloads = [.. outcomes.SelectMany(o => o.Workloads)],
        };
        foreach (var outcome in outcomes)
        {
            // The cluster holds them now; the outcomes live on until the report is written.
            outcome.Retained.Clear();
            outcome.Workloads.Clear();
        }

        // The rules share the cluster's models (built once, whichever rule asks first) and run side by side; their
        // findings are put together in rule order, so the report does not depend on which finished first.
        var rules = active.ByTarget[typeof(KubernetesCluster)];
        var contexts = new CollectingRuleContext[rules.Length];
        // One rule at a time per thread (not ranges of rules): rules differ a hundredfold in cost.
        Parallel.ForEach(Partitioner.Create(0, rules.Length, 1), new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism }, range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                using var ruleStage = timings.Measure("  " + rules[i].Descriptor.Slug);
                contexts[i] = new CollectingRuleContext();
                rules[i].EvaluateTarget(cluster, contexts[i]);
            }
        });

        var context = new CollectingRuleContext();
        foreach (var each in contexts)
        {
            context.Findings.AddRange(each.Findings);
        }

        var byFile = outcomes.ToDictionary(o => o.File, StringComparer.Ordinal);
        foreach (var group in context.Findings.GroupBy(f => f.Location.File))
        {
            if (byFile.TryGetValue(group.Key, out var outcome))
            {
                outcome.Findings.AddRange(Suppress(outcome.Suppressions, [.. group], options));
                SortBySource(outcome.Findings);
            }
        }

        return ClusterWarnings.Of(cluster);
    }

    private static ScanResult Assemble(InputOutcome[] outcomes, List<InputError> errors, IReadOnlyList<InputWarning> warnings, ActiveRuleSet active, ScanTimings timings)
    {
        // A file reached from several inputs (a Compose file another one includes) gives the same finding
        // each time; it is one problem at one place.
        var findings = new List<Finding>();
        var seen = new HashSet<(string, SourceLocation, ObjectReference?, string?, string)>();
        var seenErrors = new HashSet<InputError>();
        foreach (var outcome in outcomes)
        {
            foreach (var finding in outcome.Findings)
            {
                if (seen.Add((finding.Rule.Id, finding.Location, finding.Object, finding.Container, finding.Message)))
                {
                    findings.Add(finding);
                }
            }

            errors.AddRange(outcome.Errors.Where(seenErrors.Add));
        }

        return new ScanResult
        {
            Findings = findings,
            Errors = errors,
            Warnings = [.. warnings.Distinct()
                .OrderBy(w => w.Location.File ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(w => w.Location.Line)
                .ThenBy(w => w.Location.Column)],
            Skipped = [.. outcomes.SelectMany(p => p.Skipped)],
            Rules = [.. active.Descriptors],
            Files = [.. outcomes.Select(p => p.File)],
            Documents = outcomes.Sum(p => p.Documents),
            Objects = outcomes.Sum(p => p.Objects),
            Timings = timings,
        };
    }

    /// <summary>What one file says about suppressing findings: its comments and its objects' ignore annotations.</summary>
    private sealed record SuppressionScope(InlineSuppressions Inline, Dictionary<(int Document, ObjectReference Object), (int Line, string? Ignore)> Objects)
    {
        public string File { get; init; } = string.Empty;

        /// <summary>Suppression comments of other files the input's findings point into.</summary>
        public Dictionary<string, InlineSuppressions> Others { get; init; } = new(StringComparer.Ordinal);

        public InlineSuppressions InlineFor(string file) =>
            file == File ? Inline : Others.TryGetValue(file, out var other) ? other : Inline;

        public static SuppressionScope For(ParsedInput input)
        {
            var objects = new Dictionary<(int Document, ObjectReference Object), (int Line, string? Ignore)>();
            foreach (var obj in input.Objects)
            {
                obj.Annotations.TryGetValue(IgnoreAnnotation, out var ignore);
                objects.TryAdd((obj.Document, obj.Object), (obj.Root.Line, ignore));
            }

            return new SuppressionScope(InlineSuppressions.Parse(input.File.Text), objects)
            {
                File = input.File.Path,
                Others = input.OtherTexts.ToDictionary(p => p.Key, p => InlineSuppressions.Parse(p.Value), StringComparer.Ordinal),
            };
        }
    }

    /// <summary>Applies severity overrides and marks suppressed findings; returns them in source order.</summary>
    private static List<Finding> Suppress(SuppressionScope scope, List<Finding> findings, ScanOptions options)
    {
        var config = options.Config;
        var objectLines = scope.Objects;

        var result = new List<Finding>(findings.Count);
        foreach (var original in findings)
        {
            var finding = original;
            foreach (var (rule, severity) in config.SeverityOverrides)
            {
                if (finding.Rule.IsNamed(rule))
                {
                    finding = finding with { Severity = severity };
                }
            }

            if (options.MinimumSeverity is { } min && finding.Severity < min)
            {
                continue;
            }

            var objectInfo = finding.Object is { } o && objectLines.TryGetValue((finding.Document, o), out var info) ? info : (Line: 0, Ignore: null);
            if (scope.InlineFor(finding.Location.File).Find(finding.Location.Line, finding.Rule.IsNamed, objectInfo.Line) is { } comment)
            {
                finding = finding with { Suppression = new Suppression("inline", $"{finding.Location.File}:{comment.Line}", comment.Reason) };
            }
            else if (objectInfo.Ignore is { } ignore
                && ignore.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(finding.Rule.IsNamed))
            {
                finding = finding with { Suppression = new Suppression("annotation", IgnoreAnnotation, null) };
            }
            else if (config.Exemptions.FirstOrDefault(e => e.Matches(finding)) is { } exemption)
            {
                finding = finding with { Suppression = new Suppression("config", $"{config.File}:{exemption.Line}", exemption.Reason) };
            }

            result.Add(finding);
        }

        SortBySource(result);
        return result;
    }

    private static void SortBySource(List<Finding> findings) =>
        findings.Sort(static (a, b) =>
        {
            var c = a.Location.Line.CompareTo(b.Location.Line);
            if (c == 0)
            {
                c = a.Location.Column.CompareTo(b.Location.Column);
            }

            return c != 0 ? c : string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        });
}
