using System.Globalization;
using System.Text;
using System.Xml;
using Bulwark.Core.Findings;
using Bulwark.Scanning;

namespace Bulwark.Reporting;

/// <summary>
/// JUnit XML for CI dashboards: one test suite per scanned file, one failing test case per finding, one
/// passing case for a clean file, an error case for an input that could not be read, and (with
/// <see cref="ReportOptions.ShowSuppressed"/>) a skipped case per suppressed finding.
/// </summary>
public sealed class JUnitReportWriter : IReportWriter
{
    public const string CleanFileCase = "no findings";

    public string Format => "junit";

    public void Write(ScanResult result, ReportOptions options, Stream output)
    {
        var suites = Group(result, options);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            CloseOutput = false,
        };

        using (var xml = XmlWriter.Create(output, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", ToolInfo.Name);
            WriteCounts(xml, suites.Sum(s => s.Tests), suites.Sum(s => s.Failures), suites.Sum(s => s.Errors.Count), suites.Sum(s => s.Skipped));
            foreach (var suite in suites)
            {
                WriteSuite(xml, suite, options);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        output.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Replaces characters XML 1.0 cannot carry (control characters, lone surrogates) with U+FFFD: they can
    /// come from scanned files, and an unreadable report would hide every finding in it.
    /// </summary>
    public static string XmlSafe(string text)
    {
        var firstBad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsXmlChar(text, i, out var width))
            {
                firstBad = i;
                break;
            }

            i += width - 1;
        }

        if (firstBad < 0)
        {
            return text;
        }

        var safe = new StringBuilder(text.Length);
        safe.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            if (IsXmlChar(text, i, out var width))
            {
                safe.Append(text, i, width);
                i += width - 1;
            }
            else
            {
                safe.Append('\uFFFD');
            }
        }

        return safe.ToString();
    }

    private static bool IsXmlChar(string text, int i, out int width)
    {
        width = 1;
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
        {
            width = 2;
            return true;
        }

        return XmlConvert.IsXmlChar(text[i]);
    }

    private sealed class Suite(string file)
    {
        public string File { get; } = file;

        public List<Finding> Findings { get; } = [];

        public List<InputError> Errors { get; } = [];

        /// <summary>Written to the suite's system-err: JUnit has no warning outcome.</summary>
        public List<InputWarning> Warnings { get; } = [];

        public int Failures => Findings.Count(f => f.Suppression is null);

        public int Skipped => Findings.Count - Failures;

        public int Tests => Math.Max(1, Findings.Count + Errors.Count);

        public bool Clean => Findings.Count == 0 && Errors.Count == 0;
    }

    private static List<Suite> Group(ScanResult result, ReportOptions options)
    {
        var suites = new List<Suite>();
        var byFile = new Dictionary<string, Suite>(StringComparer.Ordinal);
        Suite SuiteOf(string file)
        {
            if (!byFile.TryGetValue(file, out var suite))
            {
                suite = new Suite(file);
                byFile.Add(file, suite);
                suites.Add(suite);
            }

            return suite;
        }

        foreach (var file in result.Files)
        {
            SuiteOf(file);
        }

        foreach (var finding in result.Findings)
        {
            if (finding.Suppression is null || options.ShowSuppressed)
            {
                SuiteOf(finding.Location.File).Findings.Add(finding);
            }
        }

        foreach (var error in result.Errors)
        {
            SuiteOf(error.File).Errors.Add(error);
        }

        foreach (var warning in result.Warnings.Where(w => !string.IsNullOrEmpty(w.Location.File)))
        {
            SuiteOf(warning.Location.File).Warnings.Add(warning);
        }

        return suites;
    }

    private static void WriteSuite(XmlWriter xml, Suite suite, ReportOptions options)
    {
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", XmlSafe(suite.File));
        WriteCounts(xml, suite.Tests, suite.Failures, suite.Errors.Count, suite.Skipped);

        foreach (var error in suite.Errors)
        {
            StartCase(xml, suite.File, "read " + suite.File);
            xml.WriteStartElement("error");
            xml.WriteAttributeString("message", XmlSafe(error.Message));
            xml.WriteAttributeString("type", "input-error");
            xml.WriteString(XmlSafe(error.ToString()));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        foreach (var finding in suite.Findings)
        {
            StartCase(xml, suite.File, CaseName(finding));
            if (finding.Suppression is { } suppression)
            {
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", XmlSafe("suppressed: " + (suppression.Reason ?? $"by {suppression.Kind} ({suppression.Source})")));
                xml.WriteEndElement();
            }
            else
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", XmlSafe(finding.Message));
                xml.WriteAttributeString("type", finding.Severity.ToName());
                xml.WriteString(XmlSafe(FailureText(finding, options)));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        if (suite.Clean)
        {
            StartCase(xml, suite.File, CleanFileCase);
            xml.WriteEndElement();
        }

        if (suite.Warnings.Count > 0)
        {
            xml.WriteElementString("system-err", XmlSafe(string.Join("\n", suite.Warnings.Select(w => "warning: " + w))));
        }

        xml.WriteEndElement();
    }

    private static void StartCase(XmlWriter xml, string file, string name)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("classname", XmlSafe(file));
        xml.WriteAttributeString("name", XmlSafe(name));
    }

    private static void WriteCounts(XmlWriter xml, int tests, int failures, int errors, int skipped)
    {
        xml.WriteAttributeString("tests", tests.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", skipped.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>BW1001 privileged-container Pod default/debug [shell] 10:9</c>: unique enough to track a case across runs.</summary>
    private static string CaseName(Finding finding)
    {
        var name = new StringBuilder();
        name.Append(finding.Rule.Id).Append(' ').Append(finding.Rule.Slug);
        if (finding.Object is { } obj)
        {
            name.Append(' ').Append(obj.Display);
        }

        if (finding.Container is { } container)
        {
            name.Append(" [").Append(container).Append(']');
        }

        if (finding.Vulnerability is { } v)
        {
            // One package can have many vulnerabilities at one place: the case name tells them apart.
            name.Append(' ').Append(v.Id).Append(' ').Append(v.Package).Append(' ').Append(v.InstalledVersion);
        }

        if (finding.Location.Line > 0)
        {
            name.Append(' ').Append(finding.Location.Line.ToString(CultureInfo.InvariantCulture))
                .Append(':').Append(finding.Location.Column.ToString(CultureInfo.InvariantCulture));
        }

        return name.ToString();
    }

    private static string FailureText(Finding finding, ReportOptions options)
    {
        var text = new StringBuilder();
        text.Append(finding.Message).Append('\n');
        text.Append("at ").Append(finding.Location.ToString());
        if (finding.Object is { } obj)
        {
            text.Append(" (").Append(obj.Display);
            if (finding.Container is { } container)
            {
                text.Append(", container ").Append(container);
            }

            text.Append(')');
        }

        text.Append('\n');
        foreach (var control in finding.AlsoViolates)
        {
            text.Append("also: ").Append(control).Append('\n');
        }

        text.Append("fix: ").Append(OneLine(finding.EffectiveRemediation)).Append('\n');
        text.Append("help: ").Append(options.HelpUri(finding.Rule)).Append('\n');
        return text.ToString();
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
