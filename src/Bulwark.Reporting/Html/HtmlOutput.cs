using System.Globalization;

namespace Bulwark.Reporting.Html;

/// <summary>
/// Writes HTML to a text writer, keeping what comes from the input apart from markup: <see cref="Text"/> encodes
/// <c>&amp; &lt; &gt;</c>, the characters that could start a tag, a comment or a character reference in text, and
/// <see cref="Attribute"/> also both quotes, so a name like <c>&lt;/script&gt;&lt;script&gt;</c> or <c>&lt;!--</c>
/// stays text; <see cref="Markup(string)"/> takes only the writer's own constant markup. Control characters, which HTML does not
/// allow, become U+FFFD; tabs and line feeds stay, carriage returns go.
/// </summary>
internal sealed class HtmlOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;

    /// <summary>Where a rule's help page is (the report options decide: the repository at this version, or <c>helpBaseUrl</c>).</summary>
    public Func<Core.Rules.RuleDescriptor, string> HelpUri { get; init; } = _ => string.Empty;

    public HtmlOutput Markup(string markup)
    {
        Writer.Write(markup);
        return this;
    }

    public HtmlOutput Markup(char markup)
    {
        Writer.Write(markup);
        return this;
    }

    public HtmlOutput Number(long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        Writer.Write(digits[..length]);
        return this;
    }

    public HtmlOutput Number(double value)
    {
        Span<char> digits = stackalloc char[32];
        value.TryFormat(digits, out var length, "0.#", CultureInfo.InvariantCulture);
        Writer.Write(digits[..length]);
        return this;
    }

    public HtmlOutput Text(string? text) => Encode(text.AsSpan(), attribute: false);

    /// <summary><c> name="value"</c>, the value encoded.</summary>
    public HtmlOutput Attribute(string name, string? value)
    {
        Writer.Write(' ');
        Writer.Write(name);
        Writer.Write("=\"");
        Encode(value.AsSpan(), attribute: true);
        Writer.Write('"');
        return this;
    }

    /// <summary>A link's target: http and https addresses only, so no <c>javascript:</c> address can become one.</summary>
    public static bool IsSafeLink(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp);

    /// <summary>Text with <c>`code`</c> spans (rule messages and fixes quote manifest keys so) as <c>&lt;code&gt;</c>.</summary>
    public HtmlOutput TextWithCode(string text)
    {
        var span = text.AsSpan();
        var inCode = false;
        while (true)
        {
            var tick = span.IndexOf('`');
            var closes = tick >= 0 && (inCode || span[(tick + 1)..].IndexOf('`') >= 0);
            if (!closes)
            {
                Encode(span, attribute: false);
                if (inCode)
                {
                    Writer.Write("</code>");
                }

                return this;
            }

            Encode(span[..tick], attribute: false);
            Writer.Write(inCode ? "</code>" : "<code>");
            inCode = !inCode;
            span = span[(tick + 1)..];
        }
    }

    private HtmlOutput Encode(ReadOnlySpan<char> text, bool attribute)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' when attribute => "&quot;",
                '\'' when attribute => "&#39;",
                '\t' or '\n' => null,
                '\r' => string.Empty,
                < ' ' or '\u007f' => "\ufffd",
                _ => null,
            };
            if (replacement is not null)
            {
                Writer.Write(text[start..i]);
                Writer.Write(replacement);
                start = i + 1;
            }
        }

        Writer.Write(text[start..]);
        return this;
    }
}
