using System.Text;
using Bulwark.Core.Findings;
using Xunit;

namespace Bulwark.Reporting.Tests;

public sealed class TableReportTests
{
    private static string Render(Scanning.ScanResult result, bool verbose)
    {
        using var stream = new MemoryStream();
        new TableReportWriter().Write(result, new ReportOptions { Verbose = verbose, BaseDirectory = ReportFixtures.BaseDirectory }, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Scanning.ScanResult WithWarnings(int count)
    {
        var result = ReportFixtures.Scan(withBroken: false);
        for (var i = 1; i <= count; i++)
        {
            result.Warnings.Add(new InputWarning(new SourceLocation(ReportFixtures.AppFile, i, 1), $"RoleBinding shop/b{i}", "refers to a Role that is not in the input"));
        }

        return result;
    }

    /// <summary>A partial input can warn thousands of times: the table lists the first ones and says how many more there are.</summary>
    [Fact]
    public void Many_warnings_are_cut_short_unless_verbose()
    {
        var count = TableReportWriter.MaxWarningsShown + 5;
        var brief = Render(WithWarnings(count), verbose: false);
        Assert.Contains("Warnings: parts of the inputs left out of the analysis or read with a caveat", brief, StringComparison.Ordinal);
        Assert.Contains($"RoleBinding shop/b{TableReportWriter.MaxWarningsShown}:", brief, StringComparison.Ordinal);
        Assert.DoesNotContain($"RoleBinding shop/b{TableReportWriter.MaxWarningsShown + 1}:", brief, StringComparison.Ordinal);
        Assert.Contains("… and 5 more", brief, StringComparison.Ordinal);
        Assert.Contains($"; {count} warnings", brief, StringComparison.Ordinal);

        var verbose = Render(WithWarnings(count), verbose: true);
        Assert.Contains($"RoleBinding shop/b{count}:", verbose, StringComparison.Ordinal);
        Assert.DoesNotContain("more (--verbose", verbose, StringComparison.Ordinal);
    }

    [Fact]
    public void No_warnings_no_section()
    {
        var text = Render(WithWarnings(0), verbose: false);
        Assert.DoesNotContain("Warnings:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", text, StringComparison.Ordinal);
    }
}
