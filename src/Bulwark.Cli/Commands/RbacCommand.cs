using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Scanning;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark rbac who-can|can|paths</c>: questions answered by the RBAC resolver over manifests.</summary>
public static class RbacCommand
{
    public static Command Create(ConsoleIo io) => new("rbac", "Answer RBAC questions over manifests exactly as the API server's authorizer would: who can do what, what a subject can do, and how subjects escalate.")
    {
        WhoCan(io),
        Can(io),
        Paths(io),
    };

    private static Command WhoCan(ConsoleIo io)
    {
        var args = new Argument<string[]>("VERB RESOURCE[/SUB] PATH") { Description = "The verb, the resource (plural, singular or short name, optionally RESOURCE.GROUP and /SUBRESOURCE; left out with --url), then files or folders.", Arity = ArgumentArity.OneOrMore };
        var group = new Option<string?>("--group") { Description = "API group of the resource (default: the group that has the name, core first)." };
        var name = new Option<string?>("--name") { Description = "Ask about one named object (resourceNames rules apply only to named requests)." };
        var inputs = new InputOptions("Ask about a request in this namespace, where objects whose manifest names none are too, as kubectl apply -n NAMESPACE would put them (default: a request in any namespace, each RoleBinding in its own; objects without one in default).");
        var url = new Option<string?>("--url") { Description = "Ask about a non-resource URL (e.g. /metrics) instead of a resource." };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var output = CommonOptions.Output();
        var command = new Command("who-can", "List the subjects allowed to make a request, with the bindings and roles that allow it.") { args, group, name, url, format, output };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var values = parse.GetValue(args) ?? [];
            var urlValue = parse.GetValue(url);
            var needed = urlValue is null ? 3 : 2;
            if (values.Length < needed)
            {
                io.Error.WriteLine(urlValue is null
                    ? "bulwark: who-can needs VERB RESOURCE PATH... (or VERB --url /path PATH...)"
                    : "bulwark: who-can needs VERB --url /path PATH...");
                return ExitCodes.Error;
            }

            var verb = values[0];
            RbacRequest request;
            if (urlValue is not null)
            {
                request = RbacRequest.ForUrl(verb, urlValue);
            }
            else if (ParseResource(verb, values[1], parse.GetValue(group), parse.GetValue(name) ?? string.Empty, io) is { } resource)
            {
                request = resource;
            }
            else
            {
                return ExitCodes.Error;
            }

            var paths = values[(needed - 1)..];
            if (Load(io, inputs.Apply(parse, Options(io, paths))) is not { } loaded)
            {
                return ExitCodes.Error;
            }

            var resolver = new RbacResolver(loaded.Model);
            var subjects = resolver.WhoCan(request, parse.GetValue(inputs.Namespace));
            OutputTarget.Write(io, parse.GetValue(output), stream =>
            {
                if (parse.GetValue(format) == "json")
                {
                    WriteWhoCanJson(subjects, stream);
                }
                else
                {
                    WriteWhoCanTable(subjects, stream);
                }
            });
            return loaded.ExitCode;
        });
        return command;
    }

    private static Command Can(ConsoleIo io)
    {
        var subject = new Argument<string>("SUBJECT") { Description = "user:NAME, group:NAME, sa:NAMESPACE/NAME or system:serviceaccount:NAMESPACE:NAME." };
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders; - reads standard input.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var output = CommonOptions.Output();
        var inputs = new InputOptions();
        var command = new Command("can", "List a subject's effective permissions, cluster-wide and per namespace, with the bindings that grant them.") { subject, paths, format, output };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            if (!RbacIdentity.TryParse(parse.GetValue(subject)!, out var identity, out var error))
            {
                io.Error.WriteLine($"bulwark: {error}");
                return ExitCodes.Error;
            }

            if (Load(io, inputs.Apply(parse, Options(io, parse.GetValue(paths) ?? []))) is not { } loaded)
            {
                return ExitCodes.Error;
            }

            var permissions = new RbacResolver(loaded.Model).PermissionsOf(identity!);
            OutputTarget.Write(io, parse.GetValue(output), stream =>
            {
                if (parse.GetValue(format) == "json")
                {
                    WriteCanJson(identity!, permissions, stream);
                }
                else
                {
                    WriteCanTable(identity!, permissions, stream);
                }
            });
            return loaded.ExitCode;
        });
        return command;
    }

    private static Command Paths(ConsoleIo io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders; - reads standard input.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "txt" };
        format.AcceptOnlyFromAmong("txt", "json", "dot");
        var output = CommonOptions.Output();
        var timing = new Option<bool>("--timings", "--timing") { Description = "Print how long loading and analysis took, to standard error." };
        var inputs = new InputOptions();
        var command = new Command("paths", "Show, per subject, every escalation goal it reaches (cluster-admin-equivalent power, code execution on the nodes, the Secrets of every namespace) with the shortest path to each, most severe first.") { paths, format, output, timing };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            if (Load(io, inputs.Apply(parse, Options(io, parse.GetValue(paths) ?? []))) is not { } loaded)
            {
                return ExitCodes.Error;
            }

            var loadTime = clock.Elapsed;
            var result = EscalationAnalysis.Analyze(loaded.Model);
            var analysisTime = clock.Elapsed - loadTime;
            OutputTarget.Write(io, parse.GetValue(output), stream =>
            {
                switch (parse.GetValue(format))
                {
                    case "json":
                        WritePathsJson(result, stream);
                        break;
                    case "dot":
                        WritePathsDot(result, stream);
                        break;
                    default:
                        WritePathsText(result, stream);
                        break;
                }
            });
            if (parse.GetValue(timing))
            {
                io.Error.WriteLine(FormattableString.Invariant($"bulwark: loaded in {loadTime.TotalMilliseconds:F0} ms, analysed in {analysisTime.TotalMilliseconds:F0} ms ({result.Count} paths)"));
            }

            return loaded.ExitCode;
        });
        return command;
    }

    /// <summary>What kubectl accepts as a resource: <c>pods</c>, <c>po</c>, <c>deployments.apps</c>, <c>pods/exec</c>.</summary>
    internal static RbacRequest? ParseResource(string verb, string text, string? group, string name, ConsoleIo io)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var resourceText = slash >= 0 ? text[..slash] : text;
        var subresource = slash >= 0 ? text[(slash + 1)..] : string.Empty;
        if (resourceText.Length == 0 || subresource.Contains('/', StringComparison.Ordinal))
        {
            io.Error.WriteLine($"bulwark: \"{text}\" is not RESOURCE or RESOURCE/SUBRESOURCE");
            return null;
        }

        if (KnownResources.Find(resourceText, group) is { } known)
        {
            return RbacRequest.ForResource(verb, known.Group, known.Plural, subresource, name);
        }

        // Not a built-in resource (a custom resource): RESOURCE.GROUP, or the name as given with --group.
        var dot = resourceText.IndexOf('.', StringComparison.Ordinal);
        if (group is null && dot > 0)
        {
            group = resourceText[(dot + 1)..];
            resourceText = resourceText[..dot];
        }

        if (group is null)
        {
            io.Error.WriteLine($"bulwark: warning: \"{resourceText}\" is not a built-in resource; asking about it in the core API group (use --group or RESOURCE.GROUP for a custom resource)");
        }

        return RbacRequest.ForResource(verb, group ?? string.Empty, resourceText.ToLowerInvariant(), subresource, name);
    }

    private sealed record Loaded(RbacModel Model, int ExitCode);

    private static ScanOptions Options(ConsoleIo io, string[] paths) => new() { Paths = paths, StandardInput = io.OpenInput };

    private static Loaded? Load(ConsoleIo io, ScanOptions options)
    {
        if (options.Paths.Count == 0)
        {
            io.Error.WriteLine("bulwark: no PATH given");
            return null;
        }

        var (cluster, errors) = ClusterInputs.Load(options);
        var model = RbacModel.Build(cluster.Objects, cluster.Workloads);
        foreach (var error in errors)
        {
            io.Error.WriteLine($"bulwark: {error}");
        }

        foreach (var warning in model.Warnings)
        {
            io.Error.WriteLine($"bulwark: warning: {warning}");
        }

        return new Loaded(model, errors.Count > 0 ? ExitCodes.Error : ExitCodes.Success);
    }

    private static Utf8JsonWriter Json(Stream stream) =>
        new(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static void WriteWhoCanJson(IReadOnlyList<WhoCanSubject> subjects, Stream stream)
    {
        using (var json = Json(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("subjects");
            foreach (var s in subjects)
            {
                json.WriteStartObject();
                json.WriteString("kind", s.Kind);
                json.WriteString("name", s.Name);
                json.WriteString("namespace", s.Namespace);
                json.WriteStartArray("via");
                foreach (var via in s.Via)
                {
                    json.WriteStartObject();
                    json.WriteString("binding", via.Binding.Display);
                    json.WriteString("role", via.Role.Display);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                if (s.BypassesRbac)
                {
                    json.WriteBoolean("bypassesRbac", true);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static void WriteWhoCanTable(IReadOnlyList<WhoCanSubject> subjects, Stream stream)
    {
        List<string[]> rows = [["KIND", "NAME", "NAMESPACE", "VIA"]];
        foreach (var s in subjects)
        {
            var via = s.BypassesRbac ? "(bypasses RBAC)" : string.Join("; ", s.Via.Select(v => $"{v.Binding.Display} → {v.Role.Display}"));
            rows.Add([s.Kind, s.Name, s.Namespace, via]);
        }

        WriteRows(rows, stream);
    }

    private static void WriteCanTable(RbacIdentity identity, IReadOnlyList<RbacPermission> permissions, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        if (identity.IsMaster)
        {
            writer.WriteLine($"{identity.Display} is in group system:masters: every request is allowed before RBAC is asked.");
            return;
        }

        if (permissions.Count == 0)
        {
            writer.WriteLine($"{identity.Display} has no permissions in these manifests.");
            return;
        }

        writer.Flush();
        List<string[]> rows = [["SCOPE", "VERBS", "API GROUPS", "RESOURCES", "NAMES", "URLS", "VIA"]];
        foreach (var p in permissions)
        {
            rows.Add([
                p.Scope.Length == 0 ? "cluster-wide" : p.Scope,
                string.Join(',', p.Rule.Verbs),
                string.Join(',', p.Rule.ApiGroups.Select(g => g.Length == 0 ? "core" : g)),
                string.Join(',', p.Rule.Resources),
                string.Join(',', p.Rule.ResourceNames),
                string.Join(',', p.Rule.NonResourceUrls),
                $"{p.Binding.Display} → {p.Role.Display}",
            ]);
        }

        WriteRows(rows, stream);
    }

    private static void WriteCanJson(RbacIdentity identity, IReadOnlyList<RbacPermission> permissions, Stream stream)
    {
        using (var json = Json(stream))
        {
            json.WriteStartObject();
            json.WriteString("subject", identity.Display);
            json.WriteBoolean("bypassesRbac", identity.IsMaster);
            json.WriteStartArray("permissions");
            foreach (var p in permissions)
            {
                json.WriteStartObject();
                json.WriteString("namespace", p.Scope);
                Strings(json, "verbs", p.Rule.Verbs);
                Strings(json, "apiGroups", p.Rule.ApiGroups);
                Strings(json, "resources", p.Rule.Resources);
                Strings(json, "resourceNames", p.Rule.ResourceNames);
                Strings(json, "nonResourceURLs", p.Rule.NonResourceUrls);
                json.WriteString("binding", p.Binding.Display);
                json.WriteString("role", p.Role.Display);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static void Strings(Utf8JsonWriter json, string name, string[] values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    private static void WritePathsText(IReadOnlyList<EscalationPath> paths, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        if (paths.Count == 0)
        {
            writer.WriteLine("No escalation path to cluster-admin-equivalent power, code execution on the nodes or the Secrets of every namespace.");
            return;
        }

        foreach (var path in paths)
        {
            writer.WriteLine($"{path.Subject} ⇒ {EscalationPath.GoalDisplay(path.Goal)} ({path.Steps.Count} step{(path.Steps.Count == 1 ? string.Empty : "s")})");
            for (var i = 0; i < path.Steps.Count; i++)
            {
                var step = path.Steps[i];
                var via = step.Via.Length > 0 ? $" [{step.Via}]" : string.Empty;
                writer.WriteLine(FormattableString.Invariant($"  {i + 1}. {step.From} {step.Action}{via} → {step.To}"));
            }

            writer.WriteLine();
        }
    }

    private static void WritePathsJson(IReadOnlyList<EscalationPath> paths, Stream stream)
    {
        using (var json = Json(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("paths");
            foreach (var path in paths)
            {
                json.WriteStartObject();
                json.WriteString("subject", path.Subject);
                json.WriteString("goal", EscalationPath.GoalKey(path.Goal));
                json.WriteStartArray("steps");
                foreach (var step in path.Steps)
                {
                    json.WriteStartObject();
                    json.WriteString("from", step.From);
                    json.WriteString("action", step.Action);
                    if (step.Grant is { } grant)
                    {
                        json.WriteString("binding", grant.Binding.Display);
                        json.WriteString("role", grant.Role.Display);
                    }

                    json.WriteString("to", step.To);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static void WritePathsDot(IReadOnlyList<EscalationPath> paths, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine("digraph escalation {");
        writer.WriteLine("  rankdir=LR;");
        writer.WriteLine("  node [shape=box];");
        foreach (var goal in Enum.GetValues<EscalationGoal>())
        {
            writer.WriteLine($"  {Quote(EscalationPath.GoalDisplay(goal))} [shape=doubleoctagon, color=red];");
        }

        var edges = new HashSet<(string, string)>();
        foreach (var step in paths.SelectMany(p => p.Steps))
        {
            if (edges.Add((step.From, step.To)))
            {
                writer.WriteLine($"  {Quote(step.From)} -> {Quote(step.To)} [label={Quote(step.Action)}];");
            }
        }

        writer.WriteLine("}");

        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static void WriteRows(List<string[]> rows, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }
}
