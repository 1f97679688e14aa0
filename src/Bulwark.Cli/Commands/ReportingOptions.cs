using System.CommandLine;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Reporting;
using Bulwark.Scanning;
using Bulwark.Scanning.Configuration;

namespace Bulwark.Cli.Commands;

/// <summary>
/// The report and gate options of the commands that judge something other than files on disk (<c>image</c>,
/// <c>sbom</c>): the configuration, what to show, what fails the run, and where the report goes.
/// </summary>
public sealed class ReportingOptions
{
    public ReportingOptions(string formatDescription, IEnumerable<string> extraFormats)
    {
        Format = new Option<string>("--format", "-f") { Description = formatDescription, DefaultValueFactory = _ => "table" };
        Format.AcceptOnlyFromAmong([.. ReportWriters.All.Select(w => w.Format), .. extraFormats]);
    }

    public Option<string> Format { get; }

    public Option<string?> Output { get; } = CommonOptions.Output();

    public Option<string?> FailOn { get; } = new("--fail-on") { Description = "Exit with 1 when a finding is at or above this severity (default high), or never. Input errors exit 2 whatever it says." };

    public Option<string[]> Severity { get; } = CommonOptions.List("--severity", "Report only findings at or above this severity (default low), or only those listed (HIGH,CRITICAL).");

    public Option<string[]> Rule { get; } = CommonOptions.List("--rule", "Run only these rules (ID or slug; repeatable, or comma-separated).");

    public Option<string?> Config { get; } = new("--config") { Description = "Read this configuration file instead of the working folder's .bulwark.yaml." };

    public Option<bool> ShowSuppressed { get; } = new("--show-suppressed") { Description = "Show suppressed findings, marked as such." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Also list every warning." };

    public IEnumerable<Option> All => [Format, Output, FailOn, Severity, Rule, Config, ShowSuppressed, Verbose];

    /// <summary>What the options decide once read; problems go to <c>usage</c>.</summary>
    public sealed record Settings(BulwarkConfig Config, FailThreshold FailOn, bool FailOnGiven, IReadOnlySet<Severity>? Severities, IReadOnlyList<string> OnlyRules);

    public Settings Read(ParseResult parse, List<string> usage)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(usage);
        var configErrors = new List<InputError>();
        var configPath = parse.GetValue(Config);
        if (configPath is not null && !File.Exists(configPath))
        {
            usage.Add($"configuration file not found: {configPath}");
        }

        configPath ??= ConfigLoader.FindUpward(Directory.GetCurrentDirectory());
        var config = configPath is not null && File.Exists(configPath) ? ConfigLoader.Load(configPath, configErrors) : BulwarkConfig.Empty;
        usage.AddRange(configErrors.Select(e => $"configuration: {e}"));

        var failThreshold = config.FailOn ?? new FailThreshold(Core.Findings.Severity.High);
        var failOnText = parse.GetValue(FailOn);
        if (failOnText is not null && !FailThreshold.TryParse(failOnText, out failThreshold))
        {
            usage.Add($"--fail-on: unknown value \"{failOnText}\" (expected {FailThreshold.Expected})");
        }

        var shown = ScanCommand.ParseSeverities(parse.GetValue(Severity) ?? [], usage);
        var onlyRules = parse.GetValue(Rule) ?? [];
        usage.AddRange(onlyRules.Select(RuleCatalog.Unknown).OfType<string>().Select(problem => "--rule: " + problem));
        return new Settings(config, failThreshold, failOnText is not null, shown, onlyRules);
    }

    /// <summary>
    /// Writes the report in the chosen format (the JSON and table reports with the command's own sections) and returns
    /// the exit code.
    /// </summary>
    public int Write(ConsoleIo io, ParseResult parse, ScanResult result, Settings settings, Action<Utf8JsonWriter>? json, Action<TextWriter, TableReportWriter.Painter>? table)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        var writer = ReportWriters.Find(parse.GetValue(Format) ?? "table")!;
        var outputFile = parse.GetValue(Output);
        var reportOptions = new ReportOptions
        {
            ShowSuppressed = parse.GetValue(ShowSuppressed),
            Verbose = parse.GetValue(Verbose),
            Color = outputFile is null && io.UseColor && !parse.GetValue(CommonOptions.NoColor),
            HelpBaseUrl = settings.Config.HelpBaseUrl,
        };
        OutputTarget.Write(io, outputFile, stream =>
        {
            switch (writer)
            {
                case JsonReportWriter when json is not null:
                    JsonReportWriter.WriteWith(result, reportOptions, stream, json);
                    break;
                case TableReportWriter when table is not null:
                    TableReportWriter.WriteWith(result, reportOptions, stream, table);
                    break;
                default:
                    writer.Write(result, reportOptions, stream);
                    break;
            }
        });

        return ScanCommand.ExitCode(io, result, writer.Format, outputFile, settings.FailOn);
    }
}
