using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Images.Versions;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// The Node.js Ecosystem Security WG's npm advisories (<c>nodejs/security-wg</c>, <c>vuln/npm/&lt;id&gt;.json</c>):
/// <c>{id, module_name, cves, vulnerable_versions, patched_versions, cvss_vector, cvss_score, title, ...}</c>, one
/// advisory per file, <c>NSWG-ECO-&lt;id&gt;</c>, its range kept as the node-semver expression it is.
/// </summary>
/// <remarks>
/// <c>vuln/npm/index.json</c>, every advisory again in one object keyed by id, is not recognised: importing the
/// folder would read each advisory twice.
/// </remarks>
public sealed partial class NodeSecurityWgFormat : IAdvisoryFormat
{
    public const string SourceName = "nodejs-security-wg";

    private const int MaxFileBytes = 4 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public string Name => SourceName;

    [GeneratedRegex(@"\A[0-9]+\.json\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AdvisoryFileName();

    // A version as a range writes it: parts may be missing or wildcards (1, 1.2.x), a prerelease may follow.
    [GeneratedRegex(@"[0-9]+(\.([0-9]+|[xX*]))*(-[0-9A-Za-z.-]+)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex VersionInRange();

    [GeneratedRegex(@"\A\s*(>=?)\s*v?([0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)\s*\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LowerBound();

    /// <summary>
    /// A JSON object with a numeric <c>id</c> and a string <c>module_name</c> at the top level (OSV ids are strings and
    /// OSV has no module_name); when the head ends before module_name, a numeric id first in a file named
    /// <c>&lt;digits&gt;.json</c>.
    /// </summary>
    public bool Recognizes(string fileName, ReadOnlySpan<byte> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var members = JsonHead.TopLevelMembers(head);
        if (!members.Any(member => member is { Name: "id", ValueType: JsonTokenType.Number }))
        {
            return false;
        }

        return members.Any(member => member is { Name: "module_name", ValueType: JsonTokenType.String })
            || (members[0].Name == "id" && AdvisoryFileName().IsMatch(Path.GetFileName(fileName)));
    }

    public IEnumerable<Advisory> Read(Stream content, string file, ICollection<ImportProblem> invalid)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(invalid);
        using var bytes = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = content.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (bytes.Length + read > MaxFileBytes)
            {
                throw new InvalidDataException($"{file}: over {MaxFileBytes / (1024 * 1024)} MiB, not a Node.js security WG advisory");
            }

            bytes.Write(chunk, 0, read);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), DocumentOptions);
        }
        catch (JsonException ex)
        {
            var at = ex.LineNumber is { } line ? $":{line + 1}" : string.Empty;
            throw new InvalidDataException($"{file}{at}: not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            try
            {
                return Advisory(document.RootElement, file, invalid) is { } advisory ? [advisory] : [];
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json checks a string's UTF-8 only when it is decoded.
                throw new InvalidDataException($"{file}: text that is not valid UTF-8", ex);
            }
        }
    }

    private static Advisory? Advisory(JsonElement root, string file, ICollection<ImportProblem> invalid)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{file}: not a Node.js security WG advisory: the top level is not an object");
        }

        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var number) || number < 0)
        {
            invalid.Add(new ImportProblem(file, null, "no numeric \"id\""));
            return null;
        }

        var id = "NSWG-ECO-" + number.ToString(CultureInfo.InvariantCulture);
        string? Text(string key) => root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim() is { Length: > 0 } text ? text : null
            : null;

        var module = Text("module_name");
        if (module is null)
        {
            invalid.Add(new ImportProblem(file, null, $"{id}: no \"module_name\""));
            return null;
        }

        if (root.TryGetProperty("vulnerable_versions", out var given) && given.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            invalid.Add(new ImportProblem(file, null, $"{id} ({module}): \"vulnerable_versions\" is not a string"));
            return null;
        }

        if (Range(Text("vulnerable_versions"), Text("patched_versions"), out var why) is not { } range)
        {
            invalid.Add(new ImportProblem(file, null, $"{id} ({module}): {why}"));
            return null;
        }

        var vector = Text("cvss_vector");
        // The vector is the assessment and its score follows from it; some advisories publish a score their own vector
        // contradicts (9.3 for C:H/I:N/A:N). The published score counts only without a readable vector; -1 means none.
        double? score = Cvss.BaseScore(vector);
        score ??= root.TryGetProperty("cvss_score", out var scoreElement) && scoreElement.ValueKind == JsonValueKind.Number
            && scoreElement.GetDouble() is >= 0 and <= 10 and var published
            ? published
            : null;
        return new Advisory
        {
            Id = id,
            Source = SourceName,
            Aliases = [.. Strings(root, "cves").Distinct(StringComparer.Ordinal)],
            Summary = Text("title"),
            Severity = score is { } s ? Cvss.SeverityOf(s) : AdvisorySeverity.Unknown,
            CvssVector = vector,
            CvssScore = score,
            Url = Strings(root, "references").FirstOrDefault(reference => reference.StartsWith("http", StringComparison.OrdinalIgnoreCase)),
            Published = Date(Text("publish_date")) ?? Date(Text("created_at")),
            Modified = Date(Text("updated_at")),
            Affected =
            [
                new AffectedPackage
                {
                    Ecosystem = Ecosystems.Npm,
                    Name = Ecosystems.NormalizeName(Ecosystems.Npm, module),
                    Ranges = [new AffectedRange(RangeKind.NpmExpression, FixedEvents(Text("patched_versions")), range)],
                },
            ],
        };
    }

    /// <summary>
    /// The versions a <c>patched_versions</c> expression starts from (each <c>&gt;=X</c> of it), as <c>fixed</c> events:
    /// what to upgrade to. Empty when it names none that way (<c>&lt;0.0.0</c>, <c>^1.2.0</c>).
    /// </summary>
    internal static RangeEvent[] FixedEvents(string? patched) =>
        patched is null
            ? []
            : [.. PatchedFrom().Matches(patched).Select(m => new RangeEvent(RangeEventKind.Fixed, m.Groups[1].Value)).DistinctBy(e => e.Version)];

    [GeneratedRegex(@">=\s*v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex PatchedFrom();

    /// <summary>
    /// The vulnerable range: <c>vulnerable_versions</c>, else the complement of a single lower bound in
    /// <c>patched_versions</c> (<c>&gt;=X</c> → <c>&lt;X</c>, <c>&gt;X</c> → <c>&lt;=X</c>); null, and why, when there
    /// is none or <see cref="NpmRange"/> cannot evaluate it.
    /// </summary>
    internal static string? Range(string? vulnerable, string? patched, out string why)
    {
        why = string.Empty;
        var range = vulnerable;
        if (range is null)
        {
            if (patched is null)
            {
                why = "neither vulnerable_versions nor patched_versions";
                return null;
            }

            var bound = LowerBound().Match(patched);
            if (!bound.Success)
            {
                why = $"no vulnerable_versions, and patched_versions \"{Shorten(patched)}\" is not a single lower bound to invert";
                return null;
            }

            range = (bound.Groups[1].Value == ">=" ? "<" : "<=") + bound.Groups[2].Value;
        }

        if (!Evaluable(range))
        {
            why = $"vulnerable_versions \"{Shorten(range)}\" cannot be evaluated: no version satisfies it under node-semver rules (unreadable or empty)";
            return null;
        }

        return range;
    }

    /// <summary>
    /// Whether <see cref="NpmRange"/> can evaluate <paramref name="range"/>: it answers false for a range it cannot
    /// parse, so a range no version satisfies — not the versions it names, nor their neighbours, nor 0.0.0 — is one
    /// it cannot read (or one that matches nothing, as useless to a matcher).
    /// </summary>
    internal static bool Evaluable(string range)
    {
        var probes = new List<string> { "0.0.0", "99999.99999.99999" };
        foreach (Match match in VersionInRange().Matches(range))
        {
            var dash = match.Value.IndexOf('-', StringComparison.Ordinal);
            var core = (dash < 0 ? match.Value : match.Value[..dash]).Split('.');
            var parts = new long[3];
            for (var i = 0; i < 3 && i < core.Length; i++)
            {
                parts[i] = long.TryParse(core[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, 1_000_000_000) : 0;
            }

            var (major, minor, patch) = (parts[0], parts[1], parts[2]);
            probes.Add($"{major}.{minor}.{patch}");
            probes.Add($"{major}.{minor}.{patch + 1}");
            probes.Add($"{major}.{minor + 1}.0");
            probes.Add($"{major + 1}.0.0");
            if (patch > 0)
            {
                probes.Add($"{major}.{minor}.{patch - 1}");
            }

            if (dash >= 0)
            {
                probes.Add($"{major}.{minor}.{patch}{match.Value[dash..]}");
            }
        }

        return probes.Any(probe => NpmRange.Satisfies(probe, range));
    }

    private static IEnumerable<string> Strings(JsonElement root, string key) =>
        root.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
                .Where(item => item.ValueKind == JsonValueKind.String)
                .Select(item => item.GetString()!.Trim())
                .Where(text => text.Length > 0)
            : [];

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
