using System.Collections.Concurrent;
using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules;
using Bulwark.Scanning.Inputs;
using Bulwark.Scanning.Sources;
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
        /// <summary>The input's documents and text (for suppression comments); set by the reader that reads it.</summary>
        public required SourceFile File { get; set; }

        public List<KubernetesObject> Objects { get; } = [];

        public List<IScanTarget> Targets { get; } = [];

        public List<SkippedDocument> Skipped { get; } = [];

        /// <summary>Errors of the input: its own, and those of files it pulled in (Compose include/extends).</summary>
        public List<InputError> Errors { get; } = [];

        /// <summary>What the input holds that was read but not used, or is obsolete (a Compose key Compose rejects, format version 1).</summary>
        public List<InputWarning> Warnings { get; } = [];

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

        var (warnings, cluster) = EvaluateCluster(outcomes, active, options, timings);
        using (timings.Measure("assemble"))
        {
            return Assemble(outcomes, errors, warnings, cluster, active, timings);
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
        var readable = new bool[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism }, i =>
        {
            var input = Read(Load(inputs[i], options), inputs[i].Explicit, options);
            readable[i] = input.Objects.Count > 0 || input.Targets.Count > 0 || input.Errors.Count > 0;
            outcomes[i] = process(input);
        });

        if (!options.AllowEmpty)
        {
            errors.AddRange(NothingToScan(options.Paths, inputs, readable, errors));
        }

        return (outcomes, errors);
    }

    /// <summary>
    /// A path named on the command line that holds nothing any reader takes (an empty folder, a typo'd folder of
    /// charts, a file of prose) must not pass as "no findings": a gate that scanned nothing has checked nothing.
    /// </summary>
    private static IEnumerable<InputError> NothingToScan(IReadOnlyList<string> paths, List<ScanInput> inputs, bool[] readable, List<InputError> errors)
    {
        // Judged by full path, not by which named path found a file first: `scan k8s k8s/apps` or a file named
        // twice finds its files once, under the first name.
        var found = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (readable[i])
            {
                found.Add(inputs[i].IsStandardInput ? "-" : Path.GetFullPath(inputs[i].Path));
            }
        }

        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            var full = path == "-" ? "-" : Path.GetFullPath(path);
            var folder = full.EndsWith(Path.DirectorySeparatorChar) ? full : full + Path.DirectorySeparatorChar;
            if (found.Any(f => f == full || f.StartsWith(folder, StringComparison.Ordinal)) || errors.Any(e => e.File == path))
            {
                continue;
            }

            var looked = inputs.Count(i => i.Origin == path);
            var what = path == "-" ? "standard input" : path;
            var detail = looked == 0
                ? "no file with the name of a Dockerfile, Compose file, manifest (.yaml, .yml, .json), docker inspect output or seccomp profile"
                : $"{looked} file{(looked == 1 ? string.Empty : "s")} read, but none is a Dockerfile, Compose file, Kubernetes manifest, docker inspect output or seccomp profile (--verbose says why each was skipped)";
            yield return new InputError(path == "-" ? ScanInput.StandardInputName : path, 0, 0,
                $"nothing to scan in {what}: {detail}; --allow-empty accepts an empty input");
        }
    }

    private static InputContent Load(ScanInput input, ScanOptions options)
    {
        if (!input.IsStandardInput)
        {
            return InputContent.FromFile(input.Path, options.Limits);
        }

        if (options.StandardInput is null)
        {
            return InputContent.Failed(ScanInput.StandardInputName, "standard input is not available");
        }

        using var stream = options.StandardInput();
        return InputContent.FromStream(ScanInput.StandardInputName, stream, options.Limits);
    }

    /// <summary>
    /// Reads one input with the reader <c>--input-type</c> names, else the first registered reader that recognises
    /// it. Only the readers that take an input's name by name judge its content (a <c>Dockerfile.vars</c> is never
    /// read as YAML); an input whose name no reader takes (a file named on the command line, standard input) is
    /// judged by every reader. A file a folder scan picked up whose content its name's reader does not recognise is
    /// skipped, saying why; one named on the command line is read as its name says.
    /// </summary>
    public static ParsedInput Read(InputContent input, bool named, ScanOptions options)
    {
        var result = new ParsedInput { File = new SourceFile { Path = input.Path } };
        if (input.LoadError is { } error)
        {
            result.Errors.Add(error);
            return result;
        }

        var claimants = SourceReaders.All.Where(r => r.IsCandidateName(input.Path)).ToList();
        var reader = options.InputType is { } type
            ? SourceReaders.ForInputType(type)
            : (claimants.Count > 0 ? claimants : SourceReaders.All).FirstOrDefault(r => r.Recognizes(input));
        if (reader is null && claimants.Count > 0 && !named)
        {
            result.Skipped.Add(new SkippedDocument(input.Path, 0, 1,
                $"named like a {claimants[0].Name}, but its content is not one, so it was not read (--input-type reads it anyway)"));
            return result;
        }

        reader ??= claimants.Count > 0 ? claimants[0] : SourceReaders.Manifests;
        reader.Read(input, options, result);
        return result;
    }

    /// <summary>Scans already-loaded files (tests, the webhook); no discovery.</summary>
    public ScanResult Scan(IEnumerable<SourceFile> files, ScanOptions options)
    {
        var active = ActiveRules(options);
        var list = files.ToList();
        var outcomes = new InputOutcome[list.Count];
        Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism }, i =>
            outcomes[i] = EvaluateInput(Read(InputContent.FromSourceFile(list[i], options.Limits), named: true, options), active, options));
        var timings = new ScanTimings();
        var (warnings, cluster) = EvaluateCluster(outcomes, active, options, timings);
        return Assemble(outcomes, [], warnings, cluster, active, timings);
    }

    /// <summary>
    /// Scans inputs a source outside the file walk has read (images: an image is not a file of text, so its reader
    /// runs before the engine and hands over targets), with the same rules, configuration and suppressions.
    /// </summary>
    public ScanResult Scan(IReadOnlyList<ParsedInput> inputs, IReadOnlyList<InputError> errors, ScanOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var active = ActiveRules(options);
        var outcomes = new InputOutcome[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism }, i =>
            outcomes[i] = EvaluateInput(inputs[i], active, options));
        var timings = new ScanTimings();
        var (warnings, cluster) = EvaluateCluster(outcomes, active, options, timings);
        return Assemble(outcomes, [.. errors], warnings, cluster, active, timings);
    }

    /// <summary>
    /// The rules <paramref name="options"/> selects, chosen once for judging many inputs one at a time (the
    /// admission webhook judges every request's object with the same set). Rules whose verdict needs objects other
    /// than the ones judged (<see cref="RuleDescriptor.NeedsOtherObjects"/>) are left out: a single object cannot
    /// show a namespace's NetworkPolicies or a service account's settings. <paramref name="admits"/> narrows the set
    /// further (the webhook leaves out the rules its configuration switches off).
    /// </summary>
    public PreparedRules Prepare(ScanOptions options, Func<RuleDescriptor, bool>? admits = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var active = ActiveRules(options, r => !r.NeedsOtherObjects && (admits is null || admits(r)));
        return new PreparedRules(active, options);
    }

    /// <summary>What <see cref="Prepare"/> chose: the rules, and the options their suppressions follow.</summary>
    public sealed class PreparedRules
    {
        internal PreparedRules(ActiveRuleSet active, ScanOptions options)
        {
            Active = active;
            Options = options;
        }

        internal ActiveRuleSet Active { get; }

        public ScanOptions Options { get; }

        public IReadOnlyList<RuleDescriptor> Descriptors => [.. Active.Descriptors];
    }

    /// <summary>
    /// Judges one input with prepared rules: each target's rules, then the rules about relations between objects
    /// over this input's objects alone, suppressed as a scan suppresses (comments, the ignore annotation, the
    /// configuration's exemptions). Runs on the calling thread.
    /// </summary>
    public static List<Finding> Judge(PreparedRules rules, ParsedInput input)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(input);
        var active = rules.Active;
        var outcome = EvaluateInput(input, active, rules.Options);
        if (active.HasClusterRules && (outcome.Retained.Count > 0 || outcome.Workloads.Count > 0))
        {
            var cluster = new KubernetesCluster { Objects = outcome.Retained, Workloads = outcome.Workloads };
            var context = new CollectingRuleContext();
            foreach (var rule in active.ByTarget[typeof(KubernetesCluster)])
            {
                rule.EvaluateTarget(cluster, context);
            }

            outcome.Findings.AddRange(Suppress(outcome.Suppressions, context.Findings, rules.Options));
            SortBySource(outcome.Findings);
        }

        return outcome.Findings;
    }

    /// <summary>Reads already-loaded YAML/JSON (a Compose project or manifests) as a scan would.</summary>
    public static ParsedInput Normalize(SourceFile file, ScanOptions? options = null) =>
        Read(InputContent.FromSourceFile(file, options?.Limits ?? DocumentLimits.Default), named: true, options ?? new ScanOptions { Paths = [] });

    /// <summary>A Dockerfile as a parsed input: one target, or only errors when BuildKit would reject it.</summary>
    public static ParsedInput FromDockerfile(DockerfileDocument document) => DockerfileSource.Input(document);

    /// <summary>What the scan keeps of one input once its rules ran: not its document trees.</summary>
    private sealed record InputOutcome(string File, List<InputError> Errors, List<SkippedDocument> Skipped, int Documents, int Objects, List<Finding> Findings)
    {
        /// <summary>Objects and workload summaries kept for cluster rules (empty when none is active).</summary>
        public List<KubernetesObject> Retained { get; init; } = [];

        public List<WorkloadSummary> Workloads { get; init; } = [];

        public required SuppressionScope Suppressions { get; init; }

        public List<InputWarning> Warnings { get; init; } = [];
    }

    internal sealed record ActiveRuleSet(List<IRule> Rules, Dictionary<Type, IRule[]> ByTarget, PodSecurityStage? PodSecurity)
    {
        public IEnumerable<RuleDescriptor> Descriptors => Rules.Select(r => r.Descriptor).Concat(PodSecurity?.Descriptors ?? []);

        public bool HasClusterRules => ByTarget.ContainsKey(typeof(KubernetesCluster));
    }

    private ActiveRuleSet ActiveRules(ScanOptions options, Func<RuleDescriptor, bool>? admits = null)
    {
        var config = options.Config;
        var active = _rules.Where(r => IsActive(r.Descriptor) && (admits is null || admits(r.Descriptor))).ToList();
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
            Warnings = scope.UnknownRules.Count == 0 ? input.Warnings : [.. input.Warnings, .. scope.UnknownRules],
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
    /// with the input it points into. Returns what the analyses could not use of the input, and the cluster view
    /// the rules judged (null when no cluster rule ran).
    /// </summary>
    private static (IReadOnlyList<InputWarning> Warnings, KubernetesCluster? Cluster) EvaluateCluster(InputOutcome[] outcomes, ActiveRuleSet active, ScanOptions options, ScanTimings timings)
    {
        if (!active.HasClusterRules)
        {
            return ([], null);
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

        return (ClusterWarnings.Of(cluster), cluster);
    }

    private static ScanResult Assemble(InputOutcome[] outcomes, List<InputError> errors, IReadOnlyList<InputWarning> warnings, KubernetesCluster? cluster, ActiveRuleSet active, ScanTimings timings)
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
            Warnings = [.. warnings.Concat(outcomes.SelectMany(o => o.Warnings)).Distinct()
                .OrderBy(w => w.Location.File ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(w => w.Location.Line)
                .ThenBy(w => w.Location.Column)],
            Skipped = [.. outcomes.SelectMany(p => p.Skipped)],
            Rules = [.. active.Descriptors],
            Files = [.. outcomes.Select(p => p.File)],
            Documents = outcomes.Sum(p => p.Documents),
            Objects = outcomes.Sum(p => p.Objects),
            Cluster = cluster,
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

        /// <summary>Suppressions naming a rule the catalog does not know: they suppress nothing, which must not go unsaid.</summary>
        public List<InputWarning> UnknownRules { get; } = [];

        public static SuppressionScope For(ParsedInput input)
        {
            var objects = new Dictionary<(int Document, ObjectReference Object), (int Line, string? Ignore)>();
            var unknown = new List<InputWarning>();
            foreach (var obj in input.Objects)
            {
                if (obj.Annotations.TryGetValue(IgnoreAnnotation, out var ignore))
                {
                    var at = obj.Metadata.Mapping("annotations")?.Entries.Where(e => e.KeyText == IgnoreAnnotation).Select(e => e.Key).FirstOrDefault() ?? obj.Root;
                    unknown.AddRange(UnknownNames(SplitRuleNames(ignore), new SourceLocation(obj.File, at.Line, at.Column), IgnoreAnnotation + " annotation"));
                }

                objects.TryAdd((obj.Document, obj.Object), (obj.Root.Line, ignore));
            }

            var inline = InlineSuppressions.Parse(input.File.Text);
            var others = input.OtherTexts.ToDictionary(p => p.Key, p => InlineSuppressions.Parse(p.Value), StringComparer.Ordinal);
            foreach (var (file, comments) in others.Prepend(new(input.File.Path, inline)))
            {
                foreach (var entry in comments.Entries)
                {
                    unknown.AddRange(UnknownNames(entry.Rules, new SourceLocation(file, entry.Line, entry.Column), "bulwark:ignore comment"));
                }
            }

            var scope = new SuppressionScope(inline, objects) { File = input.File.Path, Others = others };
            scope.UnknownRules.AddRange(unknown);
            return scope;
        }

        private static IEnumerable<InputWarning> UnknownNames(IEnumerable<string> names, SourceLocation at, string subject) =>
            names.Select(RuleCatalog.Unknown).OfType<string>().Select(problem => new InputWarning(at, subject, problem + "; it suppresses nothing"));
    }

    private static string[] SplitRuleNames(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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

            if ((options.Severities is { } shown && !shown.Contains(finding.Severity))
                || (options.IgnoreUnfixed && finding.Vulnerability is { HasFix: false }))
            {
                continue;
            }

            var objectInfo = finding.Object is { } o && objectLines.TryGetValue((finding.Document, o), out var info) ? info : (Line: 0, Ignore: null);
            if (scope.InlineFor(finding.Location.File).Find(finding.Location.Line, finding.Rule.IsNamed, objectInfo.Line) is { } comment)
            {
                finding = finding with { Suppression = new Suppression("inline", $"{finding.Location.File}:{comment.Line}", comment.Reason) };
            }
            else if (objectInfo.Ignore is { } ignore
                && SplitRuleNames(ignore).Any(finding.Rule.IsNamed))
            {
                finding = finding with { Suppression = new Suppression("annotation", IgnoreAnnotation, null) };
            }
            else if (config.Exemptions.FirstOrDefault(e => e.Matches(finding)) is { } exemption)
            {
                finding = finding with { Suppression = new Suppression("config", $"{config.File}:{exemption.Line}", exemption.Reason) };
            }
            else if (options.Vex?.For(finding) is { } vex)
            {
                finding = finding with { Suppression = vex };
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
