using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Scanning;
using Bulwark.Scanning.Configuration;

namespace Bulwark.Admission;

/// <summary>
/// Judges AdmissionReview requests with the scan engine's rules and Pod Security evaluator: bytes in, the
/// response out. Pod Security is applied as the API server's PodSecurity admission applies it (pods enforced,
/// workload templates warned, the same exemptions, the same messages); Bulwark's own rules enforce, warn or stay
/// off as the configuration says. Thread-safe; one instance serves every request. No rule logic lives here.
/// </summary>
public sealed partial class AdmissionReviewer
{
    /// <summary>The name findings point into; a review has no file.</summary>
    public const string SourceName = "AdmissionReview";

    /// <summary>Longest denial message: the API server passes it to the client whole, so a request with many findings must not make a wall of text.</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>The API server cuts warnings once they pass 4 KiB together (to 256 characters each); staying below says everything that is said.</summary>
    public const int MaxWarningsLength = 4096;

    public const int MaxWarningLength = 256;

    /// <summary>Pod subresources that are not a pod spec (Pod Security admission passes them without a look).</summary>
    private static readonly HashSet<string> IgnoredPodSubresources = new(StringComparer.Ordinal)
    {
        "exec", "attach", "binding", "eviction", "log", "portforward", "proxy", "status",
    };

    /// <summary>The workload resources whose pod template Pod Security admission evaluates (and the path of the template).</summary>
    private static readonly Dictionary<(string Group, string Resource), string> PodTemplatePaths = new()
    {
        [(string.Empty, "replicationcontrollers")] = "spec.template",
        [(string.Empty, "podtemplates")] = "template",
        [("apps", "replicasets")] = "spec.template",
        [("apps", "deployments")] = "spec.template",
        [("apps", "statefulsets")] = "spec.template",
        [("apps", "daemonsets")] = "spec.template",
        [("batch", "jobs")] = "spec.template",
        [("batch", "cronjobs")] = "spec.jobTemplate.spec.template",
    };

    private static readonly DocumentLimits Limits = DocumentLimits.Default;

    private readonly ScanEngine.PreparedRules _rules;

    public AdmissionReviewer(AdmissionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        var options = new ScanOptions { Paths = [], Config = settings.Config, MaxParallelism = 1 };
        _rules = new ScanEngine().Prepare(options, rule => settings.Admission.ModeOf(rule) != AdmissionRuleMode.Off);
    }

    public AdmissionSettings Settings { get; }

    /// <summary>The rules the webhook runs, and in which mode.</summary>
    public IEnumerable<(Core.Rules.RuleDescriptor Rule, AdmissionRuleMode Mode)> Rules =>
        _rules.Descriptors.Select(d => (d, Settings.Admission.ModeOf(d)));

    /// <summary>Judges one request body (already bounded in size by the server). Never throws for bad input.</summary>
    public AdmissionOutcome Review(ReadOnlySpan<byte> body, AdmissionRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        DocumentReadResult read;
        try
        {
            read = JsonDocumentReader.Read(SourceName, body, Limits);
        }
        catch (DocumentException ex)
        {
            return BadRequest($"malformed JSON at line {ex.Line}, column {ex.Column}: {ex.Message}");
        }

        if (read.Error is { } error)
        {
            return BadRequest($"malformed JSON at line {error.Line}, column {error.Column}: {error.Message}");
        }

        if (read.Documents.Count != 1)
        {
            return BadRequest(read.Documents.Count == 0 ? "empty body: expected an AdmissionReview" : "more than one JSON value: expected one AdmissionReview");
        }

        if (AdmissionRequest.From(read.Documents[0].Root, out var problem) is not { } request)
        {
            return BadRequest(problem!);
        }

        var response = new AdmissionResponse(request.Uid);
        var verdict = Judge(request, route.PodSecurity ?? Settings.Admission.PodSecurity, response);
        if (request.DryRun)
        {
            // Judged exactly as the real request would be; the audit event says it changed nothing.
            response.AuditAnnotations["dry-run"] = "true";
        }

        var decision = verdict.Decision;
        if (decision == AdmissionDecision.Allowed && response.Warnings.Count > 0)
        {
            decision = AdmissionDecision.Warned;
        }

        return new AdmissionOutcome
        {
            StatusCode = 200,
            Body = response.ToJson(),
            ContentType = "application/json",
            Decision = decision,
            Error = verdict.Error,
            Uid = request.Uid,
            Kind = request.KindLabel.Length > 0 ? request.KindLabel : null,
            Namespace = request.Namespace.Length > 0 ? request.Namespace : null,
            Name = request.Name.Length > 0 ? request.Name : null,
            User = request.UserName.Length > 0 ? request.UserName : null,
            Operation = request.Operation,
            SubResource = request.SubResource.Length > 0 ? request.SubResource : null,
            DryRun = request.DryRun,
            Rules = verdict.Rules,
        };
    }

    private readonly record struct Verdict(AdmissionDecision Decision, IReadOnlyList<string> Rules, string? Error = null);

    private static readonly Verdict Skip = new(AdmissionDecision.Skipped, []);

    private Verdict Judge(AdmissionRequest request, PodSecurityPolicy policy, AdmissionResponse response)
    {
        if (request.Operation is "DELETE" or "CONNECT")
        {
            return Skip;
        }

        var isPod = request.ResourceGroup.Length == 0 && request.Resource == "pods";
        if (isPod ? IgnoredPodSubresources.Contains(request.SubResource) : request.SubResource.Length > 0)
        {
            // A workload's scale or status, a namespace's finalize: not the object's spec.
            return Skip;
        }

        if (request.ResourceGroup.Length == 0 && request.Resource == "namespaces")
        {
            return JudgeNamespace(request, response);
        }

        var admission = Settings.Admission;
        if (request.Namespace.Length > 0 && admission.ExemptNamespaces.Contains(request.Namespace, StringComparer.Ordinal))
        {
            response.AuditAnnotations["exempt"] = "namespace";
            return new Verdict(AdmissionDecision.Exempt, []);
        }

        if (request.UserName.Length > 0 && admission.ExemptUsernames.Contains(request.UserName, StringComparer.Ordinal))
        {
            response.AuditAnnotations["exempt"] = "user";
            return new Verdict(AdmissionDecision.Exempt, []);
        }

        if (request.Object is not DocMapping obj)
        {
            return Undecodable(request, response, request.Object is null ? "the request has no object" : "the object is not a JSON object");
        }

        // Pod Security: pods are enforced, the templates of workload controllers only warned about.
        IReadOnlyList<PodSecurityViolation> violations = [];
        var templatePath = isPod ? string.Empty : PodTemplatePaths.GetValueOrDefault((request.ResourceGroup, request.Resource));
        if (isPod || templatePath is not null)
        {
            var template = isPod ? obj : obj.At(templatePath!);
            var specPath = isPod ? "spec" : templatePath + ".spec";
            if (template is not null and not DocScalar { IsNull: true } || isPod)
            {
                var metadata = (template as DocMapping)?["metadata"];
                var spec = (template as DocMapping)?["spec"];
                if (template is not DocMapping || PodShape.Problem(metadata, spec, specPath) is { } shape)
                {
                    return Undecodable(request, response, template is DocMapping ? PodShape.Problem(metadata, spec, specPath)! : $"{templatePath}: expected an object");
                }

                if (isPod && request.Operation == "UPDATE")
                {
                    if (request.OldObject is not DocMapping old || PodShape.Problem(old["metadata"], old["spec"], "spec") is not null)
                    {
                        return Undecodable(request, response, "the old object is not a pod");
                    }

                    if (!IsSignificantPodUpdate(obj, old))
                    {
                        // Only images and containers can change in a pod's spec; a label or status change is not judged again.
                        return Skip;
                    }
                }

                var podSpec = (DocMapping)spec!;
                if (podSpec.String("runtimeClassName") is { Length: > 0 } runtimeClass
                    && admission.ExemptRuntimeClasses.Contains(runtimeClass, StringComparer.Ordinal))
                {
                    response.AuditAnnotations["exempt"] = "runtimeClass";
                    return new Verdict(AdmissionDecision.Exempt, []);
                }

                violations = PodSecurityEvaluator.Evaluate(policy, metadata as DocMapping, podSpec, Locate);
                if (isPod)
                {
                    response.AuditAnnotations["enforce-policy"] = policy.ToString();
                }
                else if (violations.Count > 0)
                {
                    response.AuditAnnotations["audit-violations"] = $"would violate PodSecurity \"{policy}\": {PodSecurityEvaluator.Describe(violations)}";
                }
            }
        }

        var (enforced, warned) = RuleFindings(request, obj, violations);
        var rules = violations.Select(v => v.CheckId).Concat(enforced.Select(f => f.Rule.Id)).Concat(warned.Select(f => f.Rule.Id))
            .Distinct(StringComparer.Ordinal).ToList();
        if (enforced.Count + warned.Count > 0)
        {
            response.AuditAnnotations["rule-violations"] = string.Join(",", enforced.Concat(warned).Select(f => f.Rule.Id).Distinct(StringComparer.Ordinal));
        }

        var podDenied = isPod && violations.Count > 0;
        if (podDenied || enforced.Count > 0)
        {
            var text = new StringBuilder();
            if (podDenied)
            {
                text.Append(CultureInvariant($"violates PodSecurity \"{policy}\": {PodSecurityEvaluator.Describe(violations)}"));
            }

            if (enforced.Count > 0)
            {
                text.Append(podDenied ? "; " : string.Empty).Append("violates Bulwark rules: ");
                AppendFindings(text, enforced);
            }

            response.Denial = Forbidden(request, text.ToString());
            return new Verdict(AdmissionDecision.Denied, rules);
        }

        if (!isPod && violations.Count > 0)
        {
            response.Warnings.Add($"would violate PodSecurity \"{policy}\": {PodSecurityEvaluator.Describe(violations)}");
        }

        AddWarnings(response.Warnings, warned);
        return new Verdict(AdmissionDecision.Allowed, rules);
    }

    /// <summary>
    /// The findings of Bulwark's rules on the object, split by mode. A finding whose concept Pod Security already
    /// reported on this object (a rule declaring that check) is left out: one problem, one message.
    /// </summary>
    private (List<Finding> Enforced, List<Finding> Warned) RuleFindings(AdmissionRequest request, DocMapping obj, IReadOnlyList<PodSecurityViolation> violations)
    {
        var metadata = obj.Mapping("metadata");
        var kind = obj.String("kind") ?? request.Kind;
        var apiVersion = obj.String("apiVersion") ?? request.ApiVersion;
        var ns = metadata.String("namespace") ?? (request.Namespace.Length > 0 ? request.Namespace : null);
        var name = metadata.String("name") ?? (request.Name.Length > 0 ? request.Name : metadata.String("generateName"));
        var target = new KubernetesObject
        {
            File = SourceName,
            Document = 0,
            Root = obj,
            Object = new ObjectReference(apiVersion, kind, ns, name),
            NamespaceAssigned = metadata.String("namespace") is null && ns is not null,
        };

        var input = new ScanEngine.ParsedInput { File = new SourceFile { Path = SourceName, IsJson = true } };
        input.Objects.Add(target);
        input.Targets.Add(target);
        if (KubernetesWorkloadMapper.Map(target) is { } workload)
        {
            input.Targets.Add(workload);
        }

        var enforced = new List<Finding>();
        var warned = new List<Finding>();
        var seen = new HashSet<(string, string)>();
        foreach (var finding in ScanEngine.Judge(_rules, input))
        {
            if (finding.Suppression is not null
                || finding.Rule.PodSecurityChecks.Any(check => violations.Any(v => v.CheckId == check))
                || !seen.Add((finding.Rule.Id, finding.Message)))
            {
                continue;
            }

            switch (Settings.Admission.ModeOf(finding.Rule))
            {
                case AdmissionRuleMode.Enforce: enforced.Add(finding); break;
                case AdmissionRuleMode.Warn: warned.Add(finding); break;
            }
        }

        return (enforced, warned);
    }

    /// <summary>
    /// A namespace's Pod Security labels must be valid when they are set or changed (the API server's PodSecurity
    /// admission refuses them otherwise, 422); then Bulwark's rules judge it as any object. Existing pods are not
    /// dry-run against a stricter level: that needs the API access this webhook does without.
    /// </summary>
    private Verdict JudgeNamespace(AdmissionRequest request, AdmissionResponse response)
    {
        if (request.Object is not DocMapping obj)
        {
            return Undecodable(request, response, "the request has no namespace object");
        }

        var errors = LabelErrors(obj);
        if (errors.Count > 0 && request.Operation == "UPDATE")
        {
            var before = request.OldObject is DocMapping old ? LabelErrors(old) : [];
            if (before.SequenceEqual(errors, StringComparer.Ordinal))
            {
                errors = [];
            }
        }

        if (errors.Count > 0)
        {
            var detail = errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
            var name = request.Name.Length > 0 ? request.Name : obj.Mapping("metadata").String("name") ?? string.Empty;
            response.Denial = new AdmissionDenial(422, "Invalid", $"Namespace \"{name}\" is invalid: {detail}", name, null, "Namespace");
            return new Verdict(AdmissionDecision.Denied, []);
        }

        var (enforced, warned) = RuleFindings(request, obj, []);
        var rules = enforced.Concat(warned).Select(f => f.Rule.Id).Distinct(StringComparer.Ordinal).ToList();
        if (enforced.Count > 0)
        {
            var text = new StringBuilder("violates Bulwark rules: ");
            AppendFindings(text, enforced);
            response.Denial = Forbidden(request, text.ToString());
            return new Verdict(AdmissionDecision.Denied, rules);
        }

        AddWarnings(response.Warnings, warned);
        return new Verdict(AdmissionDecision.Allowed, rules);
    }

    private static readonly string[] PodSecurityModes = ["enforce", "audit", "warn"];

    /// <summary>Invalid Pod Security labels, each as the API server words a field error.</summary>
    private static List<string> LabelErrors(DocMapping ns)
    {
        var labels = KubernetesObject.StringMap(ns.Mapping("metadata").Mapping("labels"));
        var errors = new List<string>();
        foreach (var mode in PodSecurityModes)
        {
            var levelLabel = "pod-security.kubernetes.io/" + mode;
            if (labels.TryGetValue(levelLabel, out var level) && !PodSecurityPolicy.TryParseLevel(level, out _))
            {
                errors.Add($"metadata.labels[{levelLabel}]: Invalid value: \"{level}\": must be one of privileged, baseline, restricted");
            }

            if (labels.TryGetValue(levelLabel + "-version", out var version) && version != "latest" && !PolicyVersion().IsMatch(version))
            {
                errors.Add($"metadata.labels[{levelLabel}-version]: Invalid value: \"{version}\": must be \"latest\" or \"v1.x\"");
            }
        }

        return errors;
    }

    [GeneratedRegex(@"^v1\.(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex PolicyVersion();

    /// <summary>
    /// An object that cannot be read is refused by default (fail closed: what Bulwark cannot read, it has not
    /// checked), with code 400 as the API server's own admission refuses an undecodable pod.
    /// </summary>
    private Verdict Undecodable(AdmissionRequest request, AdmissionResponse response, string why)
    {
        var what = request.Kind.Length > 0 ? request.Kind.ToLowerInvariant() : "object";
        var message = $"failed to decode {what}: {why}";
        if (Settings.Admission.AllowUndecodable)
        {
            response.AuditAnnotations["error"] = message;
            response.Warnings.Add(Truncate($"Bulwark could not check this {what} and allowed it (admission.undecodable: allow): {why}", MaxWarningLength));
            return new Verdict(AdmissionDecision.Allowed, [], message);
        }

        response.Denial = new AdmissionDenial(400, "BadRequest", message);
        return new Verdict(AdmissionDecision.Denied, [], message);
    }

    /// <summary>Pod Security admission's rule for a pod UPDATE: judged again only when a container was added or removed or an image changed.</summary>
    private static bool IsSignificantPodUpdate(DocMapping pod, DocMapping old)
    {
        foreach (var list in (string[])["containers", "initContainers"])
        {
            var now = pod.At("spec." + list).AsSequence()?.Items ?? [];
            var before = old.At("spec." + list).AsSequence()?.Items ?? [];
            if (now.Count != before.Count)
            {
                return true;
            }

            for (var i = 0; i < now.Count; i++)
            {
                if (IsSignificantContainerUpdate(now[i], before[i], pod, old))
                {
                    return true;
                }
            }
        }

        var oldEphemeral = old.At("spec.ephemeralContainers").AsSequence()?.Items ?? [];
        foreach (var container in pod.At("spec.ephemeralContainers").AsSequence()?.Items ?? [])
        {
            var name = container.String("name");
            var previous = oldEphemeral.FirstOrDefault(c => c.String("name") == name);
            if (previous is null || IsSignificantContainerUpdate(container, previous, pod, old))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSignificantContainerUpdate(DocNode container, DocNode old, DocMapping pod, DocMapping oldPod)
    {
        if (container.String("image") != old.String("image"))
        {
            return true;
        }

        // The container seccomp annotation could still be changed on clusters that read it.
        var key = "container.seccomp.security.alpha.kubernetes.io/" + container.String("name");
        return pod.At("metadata.annotations").String(key) != oldPod.At("metadata.annotations").String(key);
    }

    /// <summary>The API server's Forbidden status: <c>pods "x" is forbidden: …</c> (no name on a CREATE with generateName).</summary>
    private static AdmissionDenial Forbidden(AdmissionRequest request, string reason)
    {
        var resource = request.GroupResource;
        var message = resource.Length == 0 ? $"forbidden: {reason}"
            : request.Name.Length == 0 ? $"{resource} is forbidden: {reason}"
            : $"{resource} \"{request.Name}\" is forbidden: {reason}";
        return new AdmissionDenial(403, "Forbidden", Truncate(message, MaxMessageLength), request.Name, request.ResourceGroup, request.Resource);
    }

    /// <summary>Each finding with its ID, slug and fix, as many as the message has room for.</summary>
    private static void AppendFindings(StringBuilder text, List<Finding> findings)
    {
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            var item = $"{(i > 0 ? "; " : string.Empty)}{finding.Rule.Id} {finding.Rule.Slug}: {finding.Message.TrimEnd('.')} (fix: {OneLine(finding.EffectiveRemediation)})";
            var rest = findings.Count - i - 1;
            if (text.Length + item.Length > MaxMessageLength - 200 && rest > 0)
            {
                text.Append(CultureInvariant($"; and {findings.Count - i} more (bulwark scan of the manifest lists them all)"));
                return;
            }

            text.Append(item);
        }
    }

    /// <summary>One warning per finding, each short enough that the API server passes it whole.</summary>
    private static void AddWarnings(List<string> warnings, List<Finding> findings)
    {
        var total = warnings.Sum(w => w.Length);
        for (var i = 0; i < findings.Count; i++)
        {
            var warning = Truncate($"{findings[i].Rule.Id} {findings[i].Rule.Slug}: {findings[i].Message}", MaxWarningLength);
            if (total + warning.Length > MaxWarningsLength - 120 && i < findings.Count - 1)
            {
                warnings.Add(CultureInvariant($"and {findings.Count - i} more Bulwark findings: bulwark scan of the manifest lists them all"));
                return;
            }

            warnings.Add(warning);
            total += warning.Length;
        }
    }

    private static string OneLine(string markdown) => string.Join(' ', markdown.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static SourceLocation Locate(DocNode node) => new(SourceName, node.Line, node.Column);

    private static AdmissionOutcome BadRequest(string reason) => new()
    {
        StatusCode = 400,
        Body = Encoding.UTF8.GetBytes(reason + "\n"),
        ContentType = "text/plain; charset=utf-8",
        Decision = AdmissionDecision.BadRequest,
        Error = reason,
    };
}
