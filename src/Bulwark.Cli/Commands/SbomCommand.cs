using System.CommandLine;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Images.Sbom;
using Bulwark.Images.Vulnerabilities;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Images;
using Bulwark.Reporting;
using Bulwark.Scanning;
using Bulwark.Scanning.Images;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark sbom FILE…</c>: matches the packages an existing SBOM lists (CycloneDX or SPDX, Bulwark's or another
/// tool's) against the vulnerability database, with the same rule, filters and reports as <c>bulwark image</c>.
/// </summary>
public static class SbomCommand
{
    public static Command Create(ConsoleIo io)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "SBOMs to check: CycloneDX JSON (1.4 and later), SPDX 2.x JSON or tag-value.",
            Arity = ArgumentArity.OneOrMore,
        };
        var reporting = new ReportingOptions("Output format.", []);
        var vulnerabilities = new VulnerabilityOptions();
        var command = new Command("sbom", "Match the packages of an SBOM against the vulnerability database.") { files };
        foreach (var option in reporting.All.Concat(vulnerabilities.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var usage = new List<string>();
            var settings = reporting.Read(parse, usage);
            var read = new List<(string File, SbomInventory Sbom)>();
            var vex = vulnerabilities.ReadVex(parse, io, usage, finding => ProductsOf(finding, read));
            using var database = usage.Count == 0 ? DbCommand.OpenForScan(io, parse.GetValue(vulnerabilities.Database), usage, required: true) : null;
            if (usage.Count > 0)
            {
                foreach (var message in usage)
                {
                    io.Error.WriteLine($"bulwark: {message}");
                }

                return ExitCodes.Error;
            }

            var errors = new List<InputError>();
            var inputs = new List<ScanEngine.ParsedInput>();
            foreach (var file in parse.GetValue(files) ?? [])
            {
                SbomInventory sbom;
                try
                {
                    sbom = SbomReader.Read(file);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    errors.Add(new InputError(file, 0, 0, e is InvalidDataException ? e.Message : $"cannot read it: {e.Message}"));
                    continue;
                }

                read.Add((file, sbom));
                inputs.Add(Input(file, sbom, VulnerabilityMatcher.Match(sbom.Inventory, database!)));
            }

            var options = vulnerabilities.ScanOptions(parse, settings, vex);
            var result = new ScanEngine().Scan(inputs, errors, options);
            return reporting.Write(io, parse, result, settings, json => WriteJson(json, read), (text, paint) => WriteTable(text, paint, read));
        });

        return command;
    }

    private static ScanEngine.ParsedInput Input(string file, SbomInventory sbom, MatchReport matches)
    {
        var target = new SbomDocument
        {
            Path = file,
            Subject = sbom.SubjectName,
            Vulnerabilities = VulnerabilityDetails.From(matches, sbom.Inventory.OperatingSystem),
        };
        var input = new ScanEngine.ParsedInput { File = new SourceFile { Path = file, Text = string.Empty } };
        input.Targets.Add(target);
        foreach (var note in sbom.Inventory.Problems.Concat(matches.Notes))
        {
            input.Warnings.Add(new InputWarning(SourceLocation.WholeFile(file), sbom.Format, note));
        }

        return input;
    }

    // A VEX product may name what the SBOM describes, or the SBOM file itself.
    private static IReadOnlyList<string> ProductsOf(Finding finding, List<(string File, SbomInventory Sbom)> read)
    {
        var (file, sbom) = read.FirstOrDefault(r => r.File == finding.Location.File);
        return sbom is null ? [] : sbom.SubjectName is { } subject ? [subject, file] : [file];
    }

    private static string Describe(SbomInventory sbom)
    {
        var os = sbom.Inventory.OperatingSystem is { } o ? ", " + (o.PrettyName ?? $"{o.Id} {o.VersionId}") : string.Empty;
        return $"{sbom.Format}{(sbom.SubjectName is { } s ? " of " + s : string.Empty)}{os}, {sbom.Inventory.Packages.Count} packages";
    }

    private static void WriteTable(TextWriter text, TableReportWriter.Painter paint, List<(string File, SbomInventory Sbom)> read)
    {
        foreach (var (file, sbom) in read)
        {
            text.WriteLine(paint.Bold(file));
            text.WriteLine($"  {Describe(sbom)}");
        }

        if (read.Count > 0)
        {
            text.WriteLine();
        }
    }

    private static void WriteJson(Utf8JsonWriter json, List<(string File, SbomInventory Sbom)> read)
    {
        json.WriteStartArray("sboms");
        foreach (var (file, sbom) in read)
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteString("format", sbom.Format);
            if (sbom.SubjectName is { } subject)
            {
                json.WriteString("subject", subject);
            }
            else
            {
                json.WriteNull("subject");
            }

            if (sbom.Inventory.OperatingSystem is { } os)
            {
                json.WriteStartObject("os");
                json.WriteString("id", os.Id);
                json.WriteString("versionId", os.VersionId);
                json.WriteString("codename", os.Codename);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("os");
            }

            json.WriteNumber("packages", sbom.Inventory.Packages.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
