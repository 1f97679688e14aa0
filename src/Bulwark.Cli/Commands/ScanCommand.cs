using System.CommandLine;
using Bulwark.Core.Findings;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Documents;
using Bulwark.Reporting;
using Bulwark.Scanning;
using Bulwark.Scanning.Configuration;
using Bulwark.Scanning.Inputs;

namespace Bulwark.Cli.Commands;

public static class ScanCommand
{
    public static Command Create(ConsoleIo io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to scan; - reads standard input.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. ReportWriters.All.Select(w => w.Format)]);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit with 1 when a finding is at or above this severity (info, low, medium, high, critical; default high)." };
        var severity = new Option<string?>("--severity") { Description = "Report only findings at or above this severity (default low; info shows everything)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Skip files and folders matching this glob (repeatable).", AllowMultipleArgumentsPerToken = false };
        var config = new Option<string?>("--config") { Description = "Read this configuration file instead of searching for .bulwark.yaml." };
        var pss = new Option<string?>("--pss") { Description = "Add the Pod Security Standards verdict at LEVEL[:VERSION] (e.g. restricted, baseline:v1.30) as findings." };
        var rule = new Option<string[]>("--rule") { Description = "Run only these rules (ID or slug; repeatable)." };
        var showSuppressed = new Option<bool>("--show-suppressed") { Description = "Show suppressed findings, marked as such." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also list documents that were skipped and why." };
        var maxFileSize = new Option<long?>("--max-file-size") { Description = "Largest input file read, in bytes (default 64 MiB)." };
        var envFile = new Option<string[]>("--env-file") { Description = "Compose: read interpolation variables from this file instead of each project's .env (repeatable)." };
        var profile = new Option<string[]>("--profile") { Description = "Compose: activate this profile (repeatable); services of other profiles are scanned too." };
        var timings = new Option<bool>("--timings") { Description = "Print how long each stage of the scan took, to standard error." };
        var inputs = new InputOptions();

        var command = new Command("scan", "Scan manifests against the hardening checklist.")
        {
            paths, format, output, failOn, severity, exclude, config, pss, rule, showSuppressed, verbose, maxFileSize, envFile, profile, timings,
        };
        inputs.AddTo(command);

        command.SetAction(parse =>
        {
            var usage = new List<string>();
            var configErrors = new List<InputError>();
            var inputPaths = parse.GetValue(paths) ?? [];

            var configPath = parse.GetValue(config);
            if (configPath is not null && !File.Exists(configPath))
            {
                usage.Add($"configuration file not found: {configPath}");
            }

            configPath ??= inputPaths.Where(p => p != "-").Select(ConfigLoader.FindUpward).FirstOrDefault(p => p is not null);
            var loadedConfig = configPath is not null && File.Exists(configPath) ? ConfigLoader.Load(configPath, configErrors) : BulwarkConfig.Empty;

            var failOnSeverity = ParseSeverity(parse.GetValue(failOn), "--fail-on", usage) ?? loadedConfig.FailOn ?? Severity.High;
            var minimum = ParseSeverity(parse.GetValue(severity), "--severity", usage) ?? Severity.Low;

            PodSecurityPolicy? policy = null;
            var pssText = parse.GetValue(pss) ?? loadedConfig.PodSecurity;
            if (pssText is not null && !PodSecurityPolicy.TryParse(pssText, out policy, out var pssError))
            {
                usage.Add($"--pss: {pssError}");
            }

            foreach (var error in configErrors)
            {
                usage.Add($"configuration: {error}");
            }

            if (usage.Count > 0)
            {
                foreach (var message in usage)
                {
                    io.Error.WriteLine($"bulwark: {message}");
                }

                return ExitCodes.Error;
            }

            var limits = parse.GetValue(maxFileSize) is { } max ? DocumentLimits.Default with { MaxFileBytes = max } : DocumentLimits.Default;
            var options = inputs.Apply(parse, new ScanOptions
            {
                Paths = inputPaths,
                Excludes = [.. (parse.GetValue(exclude) ?? []).Select(g => new GlobPattern(g))],
                Config = loadedConfig,
                PodSecurity = policy,
                Limits = limits,
                StandardInput = io.OpenInput,
                OnlyRules = parse.GetValue(rule) ?? [],
                MinimumSeverity = minimum,
                Environment = io.Environment(),
                EnvFiles = parse.GetValue(envFile) ?? [],
                Profiles = parse.GetValue(profile) ?? [],
            });

            var result = new ScanEngine().Scan(options);
            var writer = ReportWriters.Find(parse.GetValue(format) ?? "table")!;
            var outputFile = parse.GetValue(output);
            var reportOptions = new ReportOptions
            {
                ShowSuppressed = parse.GetValue(showSuppressed),
                Verbose = parse.GetValue(verbose),
                Color = outputFile is null && io.UseColor,
                HelpBaseUrl = loadedConfig.HelpBaseUrl,
            };
            using (result.Timings.Measure("report (" + writer.Format + ")"))
            {
                OutputTarget.Write(io, outputFile, stream => writer.Write(result, reportOptions, stream));
            }

            if (parse.GetValue(timings))
            {
                PrintTimings(io, result.Timings);
            }

            if (result.Errors.Count > 0)
            {
                if (writer.Format != "table" || outputFile is not null)
                {
                    foreach (var error in result.Errors)
                    {
                        io.Error.WriteLine($"bulwark: {error}");
                    }
                }

                return ExitCodes.Error;
            }

            return result.Active.Any(f => f.Severity >= failOnSeverity) ? ExitCodes.Findings : ExitCodes.Success;
        });

        return command;
    }

    private static Severity? ParseSeverity(string? text, string option, List<string> usage)
    {
        if (text is null)
        {
            return null;
        }

        if (SeverityNames.TryParse(text, out var severity))
        {
            return severity;
        }

        usage.Add($"{option}: unknown severity \"{text}\" (expected info, low, medium, high, critical)");
        return null;
    }

    private static void PrintTimings(ConsoleIo io, ScanTimings timings)
    {
        io.Error.WriteLine("stage                                        wall ms    cpu ms  GC pause ms  full GCs");
        foreach (var stage in timings.Stages)
        {
            io.Error.WriteLine($"{stage.Stage,-42} {stage.Wall.TotalMilliseconds,9:F0} {stage.Cpu.TotalMilliseconds,9:F0} {stage.Paused.TotalMilliseconds,12:F0} {stage.FullCollections,8}");
        }

        io.Error.WriteLine($"garbage collections (gen0/gen1/gen2)      {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms");
    }
}
