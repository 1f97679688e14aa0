using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Reporting.Html;

/// <summary>
/// The report's style sheet and script (report.css and report.js, embedded in the assembly) and the
/// Content-Security-Policy that allows exactly them: nothing else may load, run or connect.
/// </summary>
internal static class HtmlAssets
{
    public static string Style { get; } = Load("report.css", "</style");

    public static string Script { get; } = Load("report.js", "</script");

    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src '{Hash(Style)}'; script-src '{Hash(Script)}'; img-src data:; base-uri 'none'; form-action 'none'";

    private static string Load(string name, string end)
    {
        using var stream = typeof(HtmlAssets).Assembly.GetManifestResourceStream("Bulwark.Reporting.Html." + name)
            ?? throw new InvalidOperationException($"resource {name} is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd().ReplaceLineEndings("\n");

        // The element's content ends at its end tag, and "<!--" inside a script changes how HTML parses it.
        if (text.Contains(end, StringComparison.OrdinalIgnoreCase) || text.Contains("<!--", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{name} holds \"{end}\" or \"<!--\"; it would end its element early");
        }

        return text;
    }

    /// <summary>A CSP source expression for inline content: the SHA-256 of its UTF-8 bytes, as written.</summary>
    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
