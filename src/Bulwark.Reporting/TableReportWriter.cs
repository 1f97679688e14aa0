using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Scanning;

namespace Bulwark.Reporting;

/// <summary>The human report: findings grouped by file, worst first within a line, then a summary.</summary>
public sealed class TableReportWriter : IReportWriter
{
    /// <summary>Warnings the table lists without <c>--verbose</c>.</summary>
    public const int MaxWarningsShown = 20;

    public string Format => "table";

    public void Write(ScanResult result, ReportOptions options, Stream output) => WriteWith(result, options, output, sections: null);

    /// <summary>The report with <paramref name="sections"/> written before the findings (the images' contents).</summary>
    public static void WriteWith(ScanResult result, ReportOptions options, Stream output, Action<TextWriter, Painter>? sections)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        var paint = new Painter(options.Color);
        sections?.Invoke(writer, paint);

        foreach (var group in result.Findings
            .Where(f => f.Suppression is null || options.ShowSuppressed)
            .GroupBy(GroupOf))
        {
            writer.WriteLine(paint.Bold(group.Key));
            foreach (var finding in group.Where(f => f.Vulnerability is null))
            {
                var severity = finding.Severity.ToName().ToUpperInvariant().PadRight(8);
                var where = $"{finding.Location.Line}:{finding.Location.Column}".PadRight(7);
                var subject = finding.Object is { } o ? o.Display : string.Empty;
                if (finding.Container is { } c)
                {
                    subject += $" [{c}]";
                }

                var suppressed = finding.Suppression is { } s ? paint.Dim($"  (suppressed by {s.Kind}{(s.Reason is null ? string.Empty : ": " + s.Reason)})") : string.Empty;
                writer.WriteLine($"  {paint.Severity(finding.Severity, severity)} {where} {finding.Rule.Id} {paint.Bold(finding.Rule.Slug)}  {subject}{suppressed}");
                writer.WriteLine($"           {finding.Message}");
                foreach (var control in finding.AlsoViolates)
                {
                    writer.WriteLine(paint.Dim($"           also: {control}"));
                }

                writer.WriteLine(paint.Dim($"           fix: {OneLine(finding.EffectiveRemediation)}"));
            }

            WriteVulnerabilities(writer, paint, [.. group.Where(f => f.Vulnerability is not null)]);
            writer.WriteLine();
        }

        if (result.Warnings.Count > 0)
        {
            // A partial input (bindings to roles defined elsewhere) can warn thousands of times; the table shows
            // the first ones unless --verbose, and says where the rest are.
            writer.WriteLine(paint.Bold("Warnings: parts of the inputs left out of the analysis or read with a caveat"));
            var shown = options.Verbose ? result.Warnings.Count : Math.Min(result.Warnings.Count, MaxWarningsShown);
            foreach (var warning in result.Warnings.Take(shown))
            {
                writer.WriteLine($"  {paint.Severity(Severity.Medium, "WARN")}   {warning}");
            }

            if (shown < result.Warnings.Count)
            {
                writer.WriteLine(paint.Dim($"  … and {result.Warnings.Count - shown} more (--verbose lists them all; so do the json, sarif and junit formats)"));
            }

            writer.WriteLine();
        }

        if (result.Errors.Count > 0)
        {
            writer.WriteLine(paint.Bold("Inputs that could not be read"));
            foreach (var error in result.Errors)
            {
                writer.WriteLine($"  {paint.Severity(Severity.High, "ERROR")}  {error}");
            }

            writer.WriteLine();
        }

        if (options.Verbose && result.Skipped.Count > 0)
        {
            writer.WriteLine(paint.Bold("Skipped documents"));
            foreach (var skipped in result.Skipped)
            {
                writer.WriteLine($"  {skipped.File}:{skipped.Line} (document {skipped.Document}): {skipped.Reason}");
            }

            writer.WriteLine();
        }

        var summary = ScanSummary.Of(result);
        var counts = string.Join(", ", Enum.GetValues<Severity>().Reverse()
            .Where(s => summary.BySeverity[s] > 0)
            .Select(s => paint.Severity(s, $"{summary.BySeverity[s]} {s.ToName()}")));
        writer.Write($"{summary.Findings} finding{(summary.Findings == 1 ? string.Empty : "s")}");
        if (counts.Length > 0)
        {
            writer.Write($" ({counts})");
        }

        writer.WriteLine($" in {summary.Files} file{(summary.Files == 1 ? string.Empty : "s")}, {summary.Objects} object{(summary.Objects == 1 ? string.Empty : "s")}; "
            + $"{summary.Suppressed} suppressed{(summary.Suppressed > 0 && !options.ShowSuppressed ? " (--show-suppressed)" : string.Empty)}; "
            + $"{summary.Errors} input error{(summary.Errors == 1 ? string.Empty : "s")}"
            + (summary.Warnings > 0 ? $"; {summary.Warnings} warning{(summary.Warnings == 1 ? string.Empty : "s")}" : string.Empty));
    }

    // A file inside an image (a package database, a binary) is named with its image: several images have one.
    private static string GroupOf(Finding finding) =>
        finding.Object is { Kind: "Image", Name: { } image } && finding.Location.File != image && finding.Location.File.StartsWith('/')
            ? $"{image}: {finding.Location.File}"
            : finding.Location.File;

    // Vulnerabilities come by the hundred: one row each, as a table, worst first, the fix in its own column.
    private static void WriteVulnerabilities(TextWriter writer, Painter paint, List<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        var rows = findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Vulnerability!.Package, StringComparer.Ordinal)
            .ThenBy(f => f.Vulnerability!.Id, StringComparer.Ordinal)
            .Select(f => (Finding: f, Cells: new[]
            {
                f.Severity.ToName().ToUpperInvariant(),
                f.Vulnerability!.Id,
                f.Vulnerability.Package,
                f.Vulnerability.InstalledVersion,
                f.Vulnerability.FixedVersion ?? "(" + f.Vulnerability.Status + ")",
            }))
            .ToList();
        string[] header = ["SEVERITY", "VULNERABILITY", "PACKAGE", "INSTALLED", "FIXED"];
        var widths = header.Select((h, i) => Math.Min(40, Math.Max(h.Length, rows.Max(r => r.Cells[i].Length)))).ToArray();
        writer.WriteLine(paint.Dim("  " + string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))) + "  TITLE"));
        foreach (var (finding, cells) in rows)
        {
            var v = finding.Vulnerability!;
            var padded = cells.Select((c, i) => c.PadRight(widths[i])).ToArray();
            padded[0] = paint.Severity(finding.Severity, padded[0]);
            var title = v.Title is { Length: > 0 } t ? OneLine(t) : string.Empty;
            var suppressed = finding.Suppression is { } s ? paint.Dim($"  (suppressed by {s.Kind}{(s.Reason is null ? string.Empty : ": " + s.Reason)})") : string.Empty;
            writer.WriteLine($"  {string.Join("  ", padded)}  {(title.Length > 80 ? title[..79] + "…" : title)}{suppressed}");
        }

        writer.WriteLine(paint.Dim($"  {findings.Count} vulnerabilit{(findings.Count == 1 ? "y" : "ies")} ({findings[0].Rule.Id} {findings[0].Rule.Slug}); --format json lists aliases, CVSS, paths and layers."));
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Terminal styling, off when colour is.</summary>
    public readonly struct Painter(bool enabled)
    {
        public string Bold(string text) => enabled ? $"\u001b[1m{text}\u001b[0m" : text;

        public string Dim(string text) => enabled ? $"\u001b[2m{text}\u001b[0m" : text;

        public string Severity(Severity severity, string text)
        {
            if (!enabled)
            {
                return text;
            }

            var code = severity switch
            {
                Core.Findings.Severity.Critical => "1;31",
                Core.Findings.Severity.High => "31",
                Core.Findings.Severity.Medium => "33",
                Core.Findings.Severity.Low => "36",
                _ => "37",
            };
            return $"\u001b[{code}m{text}\u001b[0m";
        }
    }
}
