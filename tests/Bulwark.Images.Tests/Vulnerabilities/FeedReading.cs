using System.Globalization;
using System.Text;
using Bulwark.Images.Vulnerabilities;
using Bulwark.TestSupport;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>Runs a feed format the way the importer does: the head for <c>Recognizes</c>, then the whole stream.</summary>
internal static class FeedReading
{
    public const int HeadBytes = 4096;

    public static string VulnData(params string[] parts) => RepositoryPaths.InShared(["conformance", "vulndata", .. parts]);

    public static (List<Advisory> Advisories, List<ImportProblem> Invalid) ReadFile(IAdvisoryFormat format, string path)
    {
        using var stream = File.OpenRead(path);
        return Read(format, stream, path);
    }

    public static (List<Advisory> Advisories, List<ImportProblem> Invalid) ReadText(IAdvisoryFormat format, string text, string file = "test.json") =>
        Read(format, new MemoryStream(Encoding.UTF8.GetBytes(text)), file);

    public static (List<Advisory> Advisories, List<ImportProblem> Invalid) Read(IAdvisoryFormat format, Stream stream, string file)
    {
        var invalid = new List<ImportProblem>();
        var advisories = format.Read(stream, file, invalid).ToList();
        return (advisories, invalid);
    }

    public static bool Recognizes(IAdvisoryFormat format, string path)
    {
        var head = new byte[HeadBytes];
        int length;
        using (var stream = File.OpenRead(path))
        {
            length = stream.ReadAtLeast(head, HeadBytes, throwOnEndOfStream: false);
        }

        return format.Recognizes(Path.GetFileName(path), head.AsSpan(0, length));
    }

    public static bool RecognizesText(IAdvisoryFormat format, string fileName, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return format.Recognizes(fileName, bytes.AsSpan(0, Math.Min(bytes.Length, HeadBytes)));
    }

    /// <summary>
    /// An advisory as one line per fact, so that a failing comparison shows what differs: the advisory's own fields,
    /// then one line per affected package with its ranges.
    /// </summary>
    public static string Describe(Advisory advisory)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{advisory.Source} {advisory.Id} severity={advisory.Severity}");
        if (advisory.Aliases.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" aliases={string.Join(",", advisory.Aliases)}");
        }

        if (advisory.CvssVector is not null || advisory.CvssScore is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" cvss={advisory.CvssScore?.ToString(CultureInfo.InvariantCulture)} {advisory.CvssVector}");
        }

        text.Append('\n');
        foreach (var package in advisory.Affected)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {package.Ecosystem} {package.Name}");
            foreach (var range in package.Ranges)
            {
                text.Append(CultureInfo.InvariantCulture, $" [{range.Kind}");
                foreach (var e in range.Events)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {e.Kind}:{e.Version}");
                }

                if (range.Expression is not null)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {range.Expression}");
                }

                text.Append(']');
            }

            if (package.Severity is { } severity)
            {
                text.Append(CultureInfo.InvariantCulture, $" severity={severity}");
            }

            if (package.Status is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" status={package.Status}");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read, as a slow download does.</summary>
    public sealed class Trickle(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
