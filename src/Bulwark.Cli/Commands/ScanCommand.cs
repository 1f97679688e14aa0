using System.CommandLine;
using Bulwark.Core.Findings;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Documents;
using Bulwark.Reporting;
using Bulwark.Scanning;
using Bulwark.Scanning.Configuration;

namespace Bulwark.Cli.Commands;

public static class ScanCommand
{
    public static Command Create(ConsoleIo io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to scan; - reads standard input.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. ReportWriters.All.Select(w => w.Format)]);
        var output = CommonOptions.Output();
        var failOn = new Option<string?>("--fail-on") { Description = "Exit with 1 when a finding is at or above this severity (info, low, medium, high, critical; default high), or never (report only). Input errors exit 2 whatever it says." };
        var severity = CommonOptions.List("--severity", "Report only findings at or above this severity (default low; info shows everything), or only those listed (HIGH,CRITICAL).");
        var config = new Option<string?>("--config") { Description = "Read this configuration file instead of searching for .bulwark.yaml." };
        var pss = new Option<string?>("--pss") { Description = "Add the Pod Security Standards verdict at LEVEL[:VERSION] (e.g. restricted, baseline:v1.30) as findings." };
        var rule = CommonOptions.List("--rule", "Run only these rules (ID or slug; repeatable, or comma-separated).");
        var showSuppressed = new Option<bool>("--show-suppressed") { Description = "Show suppressed findings, marked as such." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also list documents that were skipped and why." };
        var maxFileSize = CommonOptions.Size("--max-file-size", "Largest input read, in bytes or with a unit (64MiB, 512KiB; default 64MiB); applies to every kind of input, standard input too.");
        var envFile = new Option<string[]>("--env-file") { Description = "Compose: read interpolation variables from this file instead of each project's .env (repeatable)." };
        var profile = CommonOptions.List("--profile", "Compose: activate this profile (repeatable, or comma-separated); services of other profiles are scanned too.");
        var timings = new Option<bool>("--timings") { Description = "Print how long each stage of the scan took, to standard error." };
        var inputs = new InputOptions();

        var command = new Command("scan", "Scan manifests against the hardening checklist.")
        {
            paths, format, output, failOn, severity, config, pss, rule, showSuppressed, verbose, maxFileSize, envFile, profile, timings,
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

            // Standard input has no folder of its own: its configuration is the working folder's, as for git and Trivy.
            configPath ??= inputPaths.Select(p => p == "-" ? Directory.GetCurrentDirectory() : p).Select(ConfigLoader.FindUpward).FirstOrDefault(p => p is not null);
            var loadedConfig = configPath is not null && File.Exists(configPath) ? ConfigLoader.Load(configPath, configErrors) : BulwarkConfig.Empty;

            var failOnText = parse.GetValue(failOn);
            var failThreshold = loadedConfig.FailOn ?? new FailThreshold(Severity.High);
            if (failOnText is not null && !FailThreshold.TryParse(failOnText, out failThreshold))
            {
                usage.Add($"--fail-on: unknown value \"{failOnText}\" (expected {FailThreshold.Expected})");
            }

            var shown = ParseSeverities(parse.GetValue(severity) ?? [], usage);
            var onlyRules = parse.GetValue(rule) ?? [];
            usage.AddRange(onlyRules.Select(RuleCatalog.Unknown).OfType<string>().Select(problem => "--rule: " + problem));

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
                Config = loadedConfig,
                PodSecurity = policy,
                Limits = limits,
                StandardInput = io.OpenInput,
                OnlyRules = onlyRules,
                Severities = shown,
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
                Color = outputFile is null && io.UseColor && !parse.GetValue(CommonOptions.NoColor),
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

            return ExitCode(io, result, writer.Format, outputFile, failThreshold);
        });

        return command;
    }

    /// <summary>
    /// 2 when an input could not be read (its errors repeated on standard error unless the table on the terminal shows
    /// them), else 1 when a finding reaches <paramref name="failThreshold"/>, else 0.
    /// </summary>
    internal static int ExitCode(ConsoleIo io, ScanResult result, string format, string? outputFile, FailThreshold failThreshold)
    {
        if (result.Errors.Count > 0)
        {
            if (format != "table" || outputFile is not null)
            {
                foreach (var error in result.Errors)
                {
                    io.Error.WriteLine($"bulwark: {error}");
                }
            }

            return ExitCodes.Error;
        }

        return result.Active.Any(f => failThreshold.Fails(f.Severity)) ? ExitCodes.Findings : ExitCodes.Success;
    }

    /// <summary>
    /// <c>--severity</c>: one name is a minimum (<c>medium</c> shows medium and worse), a list is exactly those
    /// (<c>HIGH,CRITICAL</c>, as Trivy and Grype users write it). Unset shows low and worse.
    /// </summary>
    internal static HashSet<Severity> ParseSeverities(string[] names, List<string> usage)
    {
        var parsed = new List<Severity>();
        foreach (var name in names)
        {
            if (SeverityNames.TryParse(name, out var one))
            {
                parsed.Add(one);
            }
            else
            {
                usage.Add($"--severity: unknown severity \"{name}\" (expected info, low, medium, high, critical)");
            }
        }

        return parsed.Count switch
        {
            0 => [.. Enum.GetValues<Severity>().Where(s => s >= Severity.Low)],
            1 => [.. Enum.GetValues<Severity>().Where(s => s >= parsed[0])],
            _ => [.. parsed],
        };
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
