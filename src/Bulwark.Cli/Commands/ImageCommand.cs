using System.CommandLine;
using Bulwark.Core.Findings;
using Bulwark.Images;
using Bulwark.Images.Caching;
using Bulwark.Reporting;
using Bulwark.Reporting.Images;
using Bulwark.Scanning;
using Bulwark.Scanning.Configuration;
using Bulwark.Scanning.Images;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark image SOURCE…</c>: reads images (archives, layouts, root filesystems), lists what they hold, and checks
/// their config, build history and layer files with the rules <c>scan</c> uses.
/// </summary>
public static class ImageCommand
{
    public static Command Create(ConsoleIo io)
    {
        var sources = new Argument<string[]>("SOURCE")
        {
            Description = "Images to read: docker-archive:FILE, oci-archive:FILE, oci-dir:DIR, dir:DIR, or a path whose kind is detected.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. ReportWriters.All.Select(w => w.Format)]);
        var output = CommonOptions.Output();
        var failOn = new Option<string?>("--fail-on") { Description = "Exit with 1 when a finding is at or above this severity (default high), or never. Input errors exit 2 whatever it says." };
        var severity = CommonOptions.List("--severity", "Report only findings at or above this severity (default low), or only those listed (HIGH,CRITICAL).");
        var rule = CommonOptions.List("--rule", "Run only these rules (ID or slug; repeatable, or comma-separated).");
        var config = new Option<string?>("--config") { Description = "Read this configuration file instead of the working folder's .bulwark.yaml." };
        var showSuppressed = new Option<bool>("--show-suppressed") { Description = "Show suppressed findings, marked as such." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also list every warning." };
        var platform = new Option<string?>("--platform") { Description = "The platform to read from a multi-platform image: os/architecture[/variant] (default linux/amd64)." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = $"Keep what each layer holds here, by layer digest, so shared and repeated layers are read once (default {LayerCache.DefaultDirectory})." };
        var noCache = new Option<bool>("--no-cache") { Description = "Read every layer; neither use nor fill the layer cache." };
        var maxRatio = new Option<long?>("--max-compression-ratio") { Description = $"Refuse a layer that decompresses to more than this many times its size (default {ImageReadOptions.Default.MaxCompressionRatio}): the bound against decompression bombs." };
        var progress = new Option<bool>("--no-progress") { Description = "Do not show a progress bar on the terminal." };

        var command = new Command("image", "Read container images: list their packages and check their config, history and layer files.")
        {
            sources, format, output, failOn, severity, rule, config, showSuppressed, verbose, platform, cacheDir, noCache, maxRatio, progress,
        };

        command.SetAction(parse =>
        {
            var usage = new List<string>();
            var configErrors = new List<InputError>();
            var configPath = parse.GetValue(config);
            if (configPath is not null && !File.Exists(configPath))
            {
                usage.Add($"configuration file not found: {configPath}");
            }

            configPath ??= ConfigLoader.FindUpward(Directory.GetCurrentDirectory());
            var loadedConfig = configPath is not null && File.Exists(configPath) ? ConfigLoader.Load(configPath, configErrors) : BulwarkConfig.Empty;
            usage.AddRange(configErrors.Select(e => $"configuration: {e}"));

            var failThreshold = loadedConfig.FailOn ?? new FailThreshold(Severity.High);
            if (parse.GetValue(failOn) is { } failOnText && !FailThreshold.TryParse(failOnText, out failThreshold))
            {
                usage.Add($"--fail-on: unknown value \"{failOnText}\" (expected {FailThreshold.Expected})");
            }

            var shown = ScanCommand.ParseSeverities(parse.GetValue(severity) ?? [], usage);
            var onlyRules = parse.GetValue(rule) ?? [];
            usage.AddRange(onlyRules.Select(RuleCatalog.Unknown).OfType<string>().Select(problem => "--rule: " + problem));

            var readOptions = ImageReadOptions.Default with { MaxParallelLayers = Math.Clamp(Environment.ProcessorCount, 1, 4) };
            if (parse.GetValue(platform) is { } platformText)
            {
                try
                {
                    readOptions = readOptions with { Platform = ImagePlatform.Parse(platformText) };
                }
                catch (FormatException e)
                {
                    usage.Add("--platform: " + e.Message);
                }
            }

            if (parse.GetValue(maxRatio) is { } ratio)
            {
                if (ratio < 1)
                {
                    usage.Add("--max-compression-ratio: must be at least 1");
                }
                else
                {
                    readOptions = readOptions with { MaxCompressionRatio = ratio };
                }
            }

            if (usage.Count > 0)
            {
                foreach (var message in usage)
                {
                    io.Error.WriteLine($"bulwark: {message}");
                }

                return ExitCodes.Error;
            }

            if (!parse.GetValue(noCache))
            {
                readOptions = readOptions with { Cache = new LayerCache(parse.GetValue(cacheDir) ?? LayerCache.DefaultDirectory) };
            }

            var images = new List<ImageScan>();
            var errors = new List<InputError>();
            foreach (var name in parse.GetValue(sources) ?? [])
            {
                using var bar = ProgressBar.OnTerminal(io, name, enabled: !parse.GetValue(progress));
                try
                {
                    images.Add(ImageScanner.Read(name, readOptions with { Progress = bar }));
                }
                catch (ImageReadException e)
                {
                    errors.Add(ImageScanner.Error(name, e));
                }
            }

            var options = new ScanOptions
            {
                Paths = [],
                Config = loadedConfig,
                OnlyRules = onlyRules,
                Severities = shown,
                AllowEmpty = true,
            };
            var result = new ScanEngine().Scan([.. images.Select(i => i.Input)], errors, options);
            var writer = ReportWriters.Find(parse.GetValue(format) ?? "table")!;
            var outputFile = parse.GetValue(output);
            var reportOptions = new ReportOptions
            {
                ShowSuppressed = parse.GetValue(showSuppressed),
                Verbose = parse.GetValue(verbose),
                Color = outputFile is null && io.UseColor && !parse.GetValue(CommonOptions.NoColor),
                HelpBaseUrl = loadedConfig.HelpBaseUrl,
            };
            OutputTarget.Write(io, outputFile, stream =>
            {
                switch (writer)
                {
                    case JsonReportWriter:
                        JsonReportWriter.WriteWith(result, reportOptions, stream, json => ImageSections.WriteJson(json, images));
                        break;
                    case TableReportWriter:
                        TableReportWriter.WriteWith(result, reportOptions, stream, (text, paint) => ImageSections.WriteTable(text, paint, images));
                        break;
                    default:
                        writer.Write(result, reportOptions, stream);
                        break;
                }
            });

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

            return result.Active.Any(f => failThreshold.Fails(f.Severity)) ? ExitCodes.Findings : ExitCodes.Success;
        });

        return command;
    }
}
