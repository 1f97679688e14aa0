using System.CommandLine;
using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Reporting.NetworkPolicy;
using Bulwark.Scanning;
using Bulwark.Scanning.NetworkPolicy;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark netpol</c>: what a pile of NetworkPolicies, AdminNetworkPolicies and BaselineAdminNetworkPolicies
/// really allows — listed (np-guard's formats), explained, diffed, drawn, and least-privilege policies suggested.
/// </summary>
public static class NetpolCommand
{
    public static Command Create(ConsoleIo io)
    {
        var command = new Command("netpol", "Analyse NetworkPolicies: exact connectivity between workloads and external ranges, explanations, diffs, pictures and suggested policies.")
        {
            ListCommand(io),
            DiffCommand(io),
            ExplainCommand(io),
            GraphCommand(io),
            SuggestCommand(io),
        };
        return command;
    }

    private static Argument<string[]> PathsArgument() =>
        new("PATH") { Description = "Files or folders of manifests (kubectl get -o yaml dumps too); - reads standard input.", Arity = ArgumentArity.OneOrMore };

    private static Option<string?> OutputOption() => CommonOptions.Output("Write to this file instead of standard output.");

    private static Command ListCommand(ConsoleIo io)
    {
        var paths = PathsArgument();
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "txt" };
        format.AcceptOnlyFromAmong(ConnlistWriter.Formats);
        var focus = new Option<string?>("--focus-workload") { Description = "Only connections from or to this workload (name or namespace/name)." };
        var direction = new Option<string?>("--focus-direction") { Description = "With --focus-workload: only its ingress or only its egress." };
        direction.AcceptOnlyFromAmong("ingress", "egress");
        var output = OutputOption();
        var inputs = new InputOptions();
        var command = new Command("list", "List every allowed connection: 'src => dst : connections', one per line (np-guard's format).")
        {
            paths, format, focus, direction, output,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var loaded = NetpolLoader.Load(inputs.Apply(parse, Options(io, parse.GetValue(paths))));
            var analyzer = new ConnectivityAnalyzer(loaded.Model);
            var report = analyzer.Analyze();
            var focusName = parse.GetValue(focus);
            if (focusName is not null)
            {
                if (!report.Workloads.Any(w => Focus.Matches(w, focusName)) && focusName != NetpolNames.IngressControllerName)
                {
                    io.Error.WriteLine($"bulwark: warning: workload \"{focusName}\" does not exist in the input; the list is empty");
                }

                report = Focus.Apply(report, focusName, parse.GetValue(direction));
            }
            else if (parse.GetValue(direction) is not null)
            {
                io.Error.WriteLine("bulwark: --focus-direction needs --focus-workload");
                return ExitCodes.Error;
            }

            OutputTarget.Write(io, parse.GetValue(output), stream => ConnlistWriter.Write(report, parse.GetValue(format) ?? "txt", stream));
            return Finish(io, loaded, analyzer.Diagnostics);
        });
        return command;
    }

    private static Command DiffCommand(ConsoleIo io)
    {
        var before = new Argument<string>("PATH_A") { Description = "The older version: a file or folder of manifests." };
        var after = new Argument<string>("PATH_B") { Description = "The newer version: a file or folder of manifests." };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "txt" };
        format.AcceptOnlyFromAmong(DiffWriter.Formats);
        var output = OutputOption();
        var inputs = new InputOptions();
        var command = new Command("diff", "Connections added, removed and changed between two versions of the manifests (np-guard's diff).")
        {
            before, after, format, output,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var loadedBefore = NetpolLoader.Load(inputs.Apply(parse, Options(io, [parse.GetValue(before)!])));
            var loadedAfter = NetpolLoader.Load(inputs.Apply(parse, Options(io, [parse.GetValue(after)!])));
            var analyzerBefore = new ConnectivityAnalyzer(loadedBefore.Model);
            var analyzerAfter = new ConnectivityAnalyzer(loadedAfter.Model);
            var reportBefore = analyzerBefore.Analyze();
            var reportAfter = analyzerAfter.Analyze();
            var chosen = parse.GetValue(format) ?? "txt";
            var text = chosen == "dot" ? DiffWriter.Dot(reportBefore, reportAfter) : DiffWriter.Render(ConnectivityDiff.Compute(reportBefore, reportAfter), chosen);
            OutputTarget.Write(io, parse.GetValue(output), stream => ConnlistWriter.WriteText(stream, text));
            var first = Finish(io, loadedBefore, analyzerBefore.Diagnostics);
            var second = Finish(io, loadedAfter, analyzerAfter.Diagnostics);
            return Math.Max(first, second);
        });
        return command;
    }

    private static Command ExplainCommand(ConsoleIo io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders of manifests, optionally followed by SRC DST (workloads as ns/name or ns/name[Kind], an external range a.b.c.d-e.f.g.h, or {ingress-controller} as SRC when Ingress or Route objects imply one).", Arity = ArgumentArity.OneOrMore };
        var output = OutputOption();
        var inputs = new InputOptions();
        var command = new Command("explain", "Explain which policies and rules (and, from the ingress controller, which Ingress/Route objects) allow or deny each part of the connections (all pairs, or SRC DST).")
        {
            paths, output,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var arguments = parse.GetValue(paths) ?? [];
            string? source = null;
            string? destination = null;
            if (arguments.Length >= 3 && !File.Exists(arguments[^1]) && !Directory.Exists(arguments[^1]) && !File.Exists(arguments[^2]) && !Directory.Exists(arguments[^2]))
            {
                source = arguments[^2];
                destination = arguments[^1];
                arguments = arguments[..^2];
            }

            var loaded = NetpolLoader.Load(inputs.Apply(parse, Options(io, arguments)));
            var analyzer = new ConnectivityAnalyzer(loaded.Model);
            List<PairExplanation> explanations;
            if (source is not null)
            {
                var from = analyzer.FindPeer(source);
                var to = analyzer.FindPeer(destination!);
                if (from is null || to is null)
                {
                    io.Error.WriteLine($"bulwark: no workload or address range \"{(from is null ? source : destination)}\" in the input");
                    return ExitCodes.Error;
                }

                if (to.Kind == PeerKind.IngressController)
                {
                    io.Error.WriteLine($"bulwark: {NetpolNames.IngressControllerName} can only be a source (Ingress and Route objects send traffic from it)");
                    return ExitCodes.Error;
                }

                explanations = [analyzer.Explain(from, to)];
            }
            else
            {
                var report = analyzer.Analyze();
                var peers = report.Workloads.Select(NetpolPeer.Of).ToList();
                var ranges = report.Connections.SelectMany(c => new[] { c.Source, c.Destination }).Where(p => p.IsExternal).Distinct().ToList();
                explanations = [];
                foreach (var from in peers.Concat(ranges))
                {
                    foreach (var to in peers.Concat(ranges))
                    {
                        if (!from.Equals(to) && !(from.IsExternal && to.IsExternal))
                        {
                            explanations.Add(analyzer.Explain(from, to));
                        }
                    }
                }

                // The ingress controller, to every workload an Ingress or Route object routes to.
                foreach (var workload in analyzer.IngressRoutes.Select(r => r.Workload).Distinct<NetpolWorkload>(ReferenceEqualityComparer.Instance))
                {
                    explanations.Add(analyzer.Explain(NetpolPeer.IngressController, NetpolPeer.Of(workload)));
                }

                explanations.Sort((a, b) => ConnectivityReport.Compare(new(a.Source, a.Destination, ConnectionSet.None), new(b.Source, b.Destination, ConnectionSet.None)));
            }

            OutputTarget.Write(io, parse.GetValue(output), stream => ConnlistWriter.WriteText(stream, ExplainWriter.Render(explanations)));
            return Finish(io, loaded, analyzer.Diagnostics);
        });
        return command;
    }

    private static Command GraphCommand(ConsoleIo io)
    {
        var paths = PathsArgument();
        var format = new Option<string>("--format", "-f") { Description = "dot (Graphviz source), svg (rendered with Graphviz's dot) or mermaid.", DefaultValueFactory = _ => "dot" };
        format.AcceptOnlyFromAmong("dot", "svg", "mermaid");
        var output = OutputOption();
        var inputs = new InputOptions();
        var command = new Command("graph", "Draw the allowed connections: namespaces as clusters, workloads and external ranges as nodes, edges labelled with ports.")
        {
            paths, format, output,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var loaded = NetpolLoader.Load(inputs.Apply(parse, Options(io, parse.GetValue(paths))));
            var analyzer = new ConnectivityAnalyzer(loaded.Model);
            var report = analyzer.Analyze();
            var chosen = parse.GetValue(format) ?? "dot";
            if (chosen == "svg")
            {
                var svg = GraphvizRenderer.Render(DotGraph.Connlist(report.Connections, report.Workloads), out var problem);
                if (svg is null)
                {
                    io.Error.WriteLine("bulwark: " + problem);
                    return ExitCodes.Error;
                }

                OutputTarget.Write(io, parse.GetValue(output), stream => ConnlistWriter.WriteText(stream, svg));
            }
            else
            {
                OutputTarget.Write(io, parse.GetValue(output), stream => ConnlistWriter.Write(report, chosen, stream));
            }

            return Finish(io, loaded, analyzer.Diagnostics);
        });
        return command;
    }

    private static Command SuggestCommand(ConsoleIo io)
    {
        var paths = PathsArgument();
        var flows = new Option<string?>("--flows") { Description = "YAML file of the flows to allow: flows: [{from: ns/name, to: ns/name, port: 8080, protocol: TCP}]." };
        var compose = new Option<string?>("--compose")
        {
            Description = "Compose file to seed flows from: a service A with depends_on B may reach B on each port B exposes "
                + "(expose, and the container side of ports; /udp and /sctp kept; ranges of at most "
                + $"{ComposeFlowSeeder.MaxRangePorts} ports expanded), if A and B share a Compose network. "
                + "Services are the workloads of the same name (kompose: a Deployment per service) in --namespace.",
        };
        var output = OutputOption();
        var inputs = new InputOptions("The namespace of objects whose manifest names none, as kubectl apply -n NAMESPACE would put them, and of the Compose services' workloads (default: default).");
        var command = new Command("suggest", "Write least-privilege NetworkPolicies for declared flows (--flows, --compose or both): default deny per namespace, DNS egress, one allow per flow.")
        {
            paths, flows, compose, output,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var flowsPath = parse.GetValue(flows);
            var composePath = parse.GetValue(compose);
            if (flowsPath is null && composePath is null)
            {
                io.Error.WriteLine("bulwark: netpol suggest needs --flows FLOWS.yaml, --compose compose.yaml, or both");
                return ExitCodes.Error;
            }

            foreach (var (path, what) in new[] { (flowsPath, "flows"), (composePath, "Compose") })
            {
                if (path is not null && !File.Exists(path))
                {
                    io.Error.WriteLine($"bulwark: {what} file {path} does not exist");
                    return ExitCodes.Error;
                }
            }

            var loaded = NetpolLoader.Load(inputs.Apply(parse, Options(io, parse.GetValue(paths))));
            var problems = new List<string>();
            var warnings = new List<string>();
            var declared = new List<DeclaredFlow>();
            if (flowsPath is not null)
            {
                declared.AddRange(PolicySuggester.ReadFlows(Bulwark.Parsing.Documents.SourceFile.Load(flowsPath, Bulwark.Parsing.Documents.DocumentLimits.Default), problems));
            }

            if (composePath is not null)
            {
                var project = Bulwark.Parsing.Compose.ComposeLoader.Load(composePath, new Bulwark.Parsing.Compose.ComposeLoadOptions { Environment = io.Environment() });
                problems.AddRange(project.Errors.Select(e => e.ToString()));
                warnings.AddRange(project.Warnings.Select(w => w.ToString()));
                declared.AddRange(ComposeFlowSeeder.Seed(project, loaded.Model, parse.GetValue(inputs.Namespace) ?? "default", warnings).Where(f => !declared.Contains(f)));
            }

            var yaml = PolicySuggester.Suggest(loaded.Model, declared, problems);
            OutputTarget.Write(io, parse.GetValue(output), stream => ConnlistWriter.WriteText(stream, yaml));
            foreach (var message in warnings.Concat(problems))
            {
                io.Error.WriteLine("bulwark: " + message);
            }

            var finished = Finish(io, loaded, []);
            return problems.Count > 0 ? ExitCodes.Error : finished;
        });
        return command;
    }

    private static ScanOptions Options(ConsoleIo io, string[]? paths) => new()
    {
        Paths = paths ?? [],
        StandardInput = io.OpenInput,
    };

    /// <summary>Reports input errors and policy diagnostics on stderr; exit 2 when something could not be used.</summary>
    private static int Finish(ConsoleIo io, NetpolLoader.Loaded loaded, IReadOnlyList<NetpolDiagnostic> diagnostics)
    {
        foreach (var error in loaded.Errors)
        {
            io.Error.WriteLine($"bulwark: {error}");
        }

        foreach (var diagnostic in diagnostics)
        {
            io.Error.WriteLine($"bulwark: {diagnostic}");
        }

        return loaded.Errors.Count > 0 || diagnostics.Any(d => d.Level == DiagnosticLevel.Error) ? ExitCodes.Error : ExitCodes.Success;
    }
}

/// <summary>np-guard's focus filter: connections with the focus workload at either end (or one end, by direction).</summary>
public static class Focus
{
    public static bool Matches(NetpolWorkload workload, string focus) =>
        workload.Name == focus || workload.Namespace + "/" + workload.Name == focus;

    public static bool Matches(NetpolPeer peer, string focus) =>
        peer.Workload is { } w ? Matches(w, focus) : peer.Kind == PeerKind.IngressController && focus == NetpolNames.IngressControllerName;

    public static ConnectivityReport Apply(ConnectivityReport report, string focus, string? direction) => new()
    {
        Connections = [.. report.Connections.Where(c => direction switch
        {
            "ingress" => Matches(c.Destination, focus),
            "egress" => Matches(c.Source, focus),
            _ => Matches(c.Source, focus) || Matches(c.Destination, focus),
        })],
        Workloads = [.. report.Workloads.Where(w => Matches(w, focus))],
        Diagnostics = report.Diagnostics,
    };
}
