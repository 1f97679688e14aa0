using Bulwark.Reporting.Html;
using Bulwark.Scanning;

namespace Bulwark.Reporting;

/// <summary>Turns a scan result into one output format. Reporters hold no rule logic.</summary>
public interface IReportWriter
{
    string Format { get; }

    void Write(ScanResult result, ReportOptions options, Stream output);
}

public static class ReportWriters
{
    public static IReadOnlyList<IReportWriter> All { get; } =
    [
        new TableReportWriter(),
        new JsonReportWriter(),
        new SarifReportWriter(),
        new JUnitReportWriter(),
        new HtmlReportWriter(),
    ];

    public static IReportWriter? Find(string format) =>
        All.FirstOrDefault(w => string.Equals(w.Format, format, StringComparison.OrdinalIgnoreCase));
}
