namespace Bulwark.Images.Packages;

/// <summary>
/// The paragraph format of dpkg's database and apk's: records separated by blank lines, each a list of fields. dpkg
/// writes <c>Name: value</c> with continuation lines that start with a space; apk writes <c>K:value</c>, one letter
/// per key, and repeats keys (one <c>R:</c> per file). Both come from images, so from strangers: a line is never
/// trusted to be well-formed, and a bad one is skipped, not fatal.
/// </summary>
internal static class ControlParagraphs
{
    public sealed record Paragraph(int Line, List<KeyValuePair<string, string>> Fields)
    {
        /// <summary>The first value of <paramref name="key"/> (names compare case-insensitively, as dpkg does).</summary>
        public string? this[string key] =>
            Fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>Paragraphs of <c>Name: value</c> fields; continuation lines are folded into the field they continue.</summary>
    public static List<Paragraph> Read(string text, char separator, bool continuations)
    {
        var paragraphs = new List<Paragraph>();
        var fields = new List<KeyValuePair<string, string>>();
        var start = 0;
        var number = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.IsWhiteSpace())
            {
                if (fields.Count > 0)
                {
                    paragraphs.Add(new Paragraph(start, fields));
                    fields = [];
                }

                continue;
            }

            if (continuations && line[0] is ' ' or '\t')
            {
                if (fields.Count > 0)
                {
                    var last = fields[^1];
                    fields[^1] = new(last.Key, last.Value + "\n" + line.Trim().ToString());
                }

                continue;
            }

            var colon = line.IndexOf(separator);
            if (colon <= 0)
            {
                continue;
            }

            if (fields.Count == 0)
            {
                start = number;
            }

            fields.Add(new(line[..colon].Trim().ToString(), line[(colon + 1)..].Trim().ToString()));
        }

        if (fields.Count > 0)
        {
            paragraphs.Add(new Paragraph(start, fields));
        }

        return paragraphs;
    }
}
