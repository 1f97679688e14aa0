using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;

namespace Bulwark.Reporting;

/// <summary>
/// JSON-encoded texts that a report repeats for every finding — a rule's ID, slug, title, remediation and help
/// link, a file's path, severity names — encoded once per report instead of once per finding (a 126,000-finding
/// report spent most of its writing time re-encoding the same strings). Encoded as the report writers'
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> would, so the bytes are the same.
/// </summary>
internal sealed class EncodedTexts(ReportOptions options)
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonEncodedText[] Severities =
        [.. Enum.GetValues<Severity>().Select(s => JsonEncodedText.Encode(s.ToName(), Encoder))];

    private readonly Dictionary<RuleDescriptor, RuleTexts> _rules = new(ReferenceEqualityComparer.Instance);
    private string? _file;
    private JsonEncodedText _encodedFile;

    public static JsonEncodedText Severity(Severity severity) => Severities[(int)severity];

    public static JsonEncodedText Encode(string text) => JsonEncodedText.Encode(text, Encoder);

    public RuleTexts Of(RuleDescriptor rule)
    {
        if (!_rules.TryGetValue(rule, out var texts))
        {
            _rules[rule] = texts = new RuleTexts(Encode(rule.Id), Encode(rule.Slug), Encode(rule.Title), Encode(rule.Remediation), Encode(options.HelpUri(rule)));
        }

        return texts;
    }

    /// <summary>The path, encoded; findings come grouped by file, so the last one is kept.</summary>
    public JsonEncodedText File(string path)
    {
        if (!ReferenceEquals(path, _file) && path != _file)
        {
            _file = path;
            _encodedFile = Encode(path);
        }

        return _encodedFile;
    }

    public sealed record RuleTexts(JsonEncodedText Id, JsonEncodedText Slug, JsonEncodedText Title, JsonEncodedText Remediation, JsonEncodedText HelpUri);
}
