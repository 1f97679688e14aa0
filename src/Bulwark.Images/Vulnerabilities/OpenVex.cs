using System.Globalization;
using System.Text;
using System.Text.Json;
using Bulwark.Images.Sbom;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>An OpenVEX statement's status. Only <see cref="NotAffected"/> and <see cref="Fixed"/> suppress a finding.</summary>
public enum VexStatus
{
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

/// <summary>
/// One OpenVEX statement: a vulnerability (its <c>name</c>; <c>aliases</c> and the <c>@id</c> IRI as aliases), the
/// products it is about (each product's <c>@id</c> and <c>identifiers</c> values, usually purls) and, when the
/// vulnerability is in a part of them, the subcomponents; the status with its reasons; and when it was made (the
/// statement's timestamp, else the document's).
/// </summary>
public sealed record VexStatement(
    string VulnerabilityId,
    IReadOnlyList<string> VulnerabilityAliases,
    IReadOnlyList<string> Products,
    IReadOnlyList<string> Subcomponents,
    VexStatus Status,
    string? Justification,
    string? ImpactStatement,
    string? ActionStatement,
    DateTimeOffset? Timestamp)
{
    /// <summary>Whether the statement, when it is the one that applies, suppresses the finding.</summary>
    public bool Suppresses => Status is VexStatus.NotAffected or VexStatus.Fixed;
}

/// <summary>
/// An OpenVEX document's valid statements in document order, and the statements left out with why (a
/// <c>not_affected</c> without justification or impact statement, an unknown status, no product...).
/// </summary>
public sealed class VexDocument(string file, IReadOnlyList<VexStatement> statements, IReadOnlyList<string> problems)
{
    public string File { get; } = file;

    public IReadOnlyList<VexStatement> Statements { get; } = statements;

    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>Several documents as one, statements in the order given (which breaks timestamp ties: later wins).</summary>
    public static VexDocument Combine(IReadOnlyList<VexDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return new VexDocument(
            string.Join(", ", documents.Select(d => d.File)),
            [.. documents.SelectMany(d => d.Statements)],
            [.. documents.SelectMany(d => d.Problems.Select(p => $"{d.File}: {p}"))]);
    }

    /// <inheritdoc cref="Find(string, IReadOnlyList{string}, PackageUrl?, IReadOnlyList{string})"/>
    public VexStatement? Find(string advisoryId, IReadOnlyList<string> aliases, PackageUrl? package, string? imageName) =>
        Find(advisoryId, aliases, package, imageName is null ? [] : [imageName]);

    /// <summary>
    /// The statement that decides a finding of <paramref name="advisoryId"/> (known also as <paramref name="aliases"/>)
    /// in <paramref name="package"/> of the image known as any of <paramref name="image"/> (its name, purl or digest),
    /// or null when none applies. The vulnerability matches by name, <c>@id</c> or alias, either way round, ignoring
    /// case. A statement applies to the package when one of its products is the package (purl matching: type,
    /// namespace and name equal; version and each qualifier only when the statement gives them), or is the image
    /// without subcomponents (the whole image); a product naming the image with subcomponents applies only to the
    /// packages the subcomponents name. So a statement about one purl never suppresses the vulnerability in other
    /// packages. Of the statements that apply, the latest by timestamp wins, the later in document order on a tie
    /// (a statement without any timestamp is the oldest).
    /// </summary>
    public VexStatement? Find(string advisoryId, IReadOnlyList<string> aliases, PackageUrl? package, IReadOnlyList<string> image)
    {
        ArgumentNullException.ThrowIfNull(advisoryId);
        ArgumentNullException.ThrowIfNull(aliases);
        ArgumentNullException.ThrowIfNull(image);
        var names = new HashSet<string>(aliases.Append(advisoryId), StringComparer.OrdinalIgnoreCase);
        VexStatement? best = null;
        foreach (var statement in Statements)
        {
            if (!names.Contains(statement.VulnerabilityId) && !statement.VulnerabilityAliases.Any(names.Contains))
            {
                continue;
            }

            if (!AppliesTo(statement, package, image))
            {
                continue;
            }

            if (best is null || (statement.Timestamp ?? DateTimeOffset.MinValue) >= (best.Timestamp ?? DateTimeOffset.MinValue))
            {
                best = statement;
            }
        }

        return best;
    }

    private static bool AppliesTo(VexStatement statement, PackageUrl? package, IReadOnlyList<string> image)
    {
        var namesImage = statement.Products.Any(p => image.Any(i => Identifies(p, i)));
        if (statement.Subcomponents.Count > 0)
        {
            return namesImage && package is not null && statement.Subcomponents.Any(s => Identifies(s, package));
        }

        return namesImage || (package is not null && statement.Products.Any(p => Identifies(p, package)));
    }

    private static bool Identifies(string identifier, string subject) =>
        string.Equals(identifier, subject, StringComparison.Ordinal)
        || (PackageUrl.TryParse(subject, out var purl) && purl is not null && Identifies(identifier, purl));

    private static bool Identifies(string identifier, PackageUrl subject) =>
        identifier.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase) && PackageUrl.TryParse(identifier, out var purl) && purl is not null && Matches(purl, subject);

    /// <summary>
    /// Whether <paramref name="pattern"/> (a statement's purl) names <paramref name="purl"/>: what the pattern leaves out
    /// (version, qualifiers, subpath) matches anything; what it gives must be equal.
    /// </summary>
    public static bool Matches(PackageUrl pattern, PackageUrl purl)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(purl);
        return pattern.Type == purl.Type
            && string.Equals(pattern.Namespace, purl.Namespace, StringComparison.Ordinal)
            && pattern.Name == purl.Name
            && (pattern.Version is null || string.Equals(pattern.Version, purl.Version, StringComparison.Ordinal))
            && (pattern.Subpath is null || string.Equals(pattern.Subpath, purl.Subpath, StringComparison.Ordinal))
            && pattern.Qualifiers.All(q => purl.Qualifiers.TryGetValue(q.Key, out var value) && value == q.Value);
    }
}

/// <summary>
/// Reads OpenVEX JSON documents: v0.2.0 (<c>@context</c> <c>https://openvex.dev/ns/v0.2.0</c>; vulnerability, product
/// and subcomponent objects) and the earlier 0.0.x (<c>https://openvex.dev/ns</c>; vulnerability, products and
/// subcomponents as plain strings, which Trivy and Grype still read). Statements that the spec makes invalid are left
/// out and listed in <see cref="VexDocument.Problems"/>: above all a <c>not_affected</c> that gives neither a
/// justification nor an impact statement, which must not silence anything. A file that is not an OpenVEX JSON
/// document throws an <see cref="InvalidDataException"/> naming it (and the line, for broken JSON).
/// </summary>
public static class OpenVex
{
    public const string Context = "https://openvex.dev/ns";

    /// <summary>The largest document read.</summary>
    public const long MaxBytes = 64L << 20;

    private static readonly HashSet<string> Justifications = new(StringComparer.Ordinal)
    {
        "component_not_present",
        "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "inline_mitigations_already_exist",
    };

    public static VexDocument Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = InputFiles.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a document from <paramref name="stream"/>; <paramref name="name"/> names it in errors and problems.</summary>
    public static VexDocument Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new InvalidDataException($"{name}: larger than {MaxBytes} bytes; refusing to read it as a VEX document");
            }

            buffer.Write(chunk, 0, read);
        }

        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (json.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{name}:{line + 1}" : name;
            throw new InvalidDataException($"{where}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            return Read(document.RootElement, name);
        }
    }

    private static VexDocument Read(JsonElement root, string name)
    {
        var context = root.ValueKind == JsonValueKind.Object ? String(root, "@context") : null;
        if (context is null || !context.StartsWith(Context, StringComparison.Ordinal))
        {
            var what = root.ValueKind != JsonValueKind.Object ? "not a JSON object"
                : String(root, "bomFormat") == "CycloneDX" ? "a CycloneDX document (CycloneDX VEX is not read; give OpenVEX)"
                : root.TryGetProperty("document", out var csaf) && csaf.ValueKind == JsonValueKind.Object && csaf.TryGetProperty("csaf_version", out _) ? "a CSAF document (not read; give OpenVEX)"
                : $"its @context is not {Context}...";
            throw new InvalidDataException($"{name}: not an OpenVEX document: {what}");
        }

        var problems = new List<string>();
        var documentTime = Timestamp(root, "timestamp", "the document", problems);
        var statements = new List<VexStatement>();
        if (!root.TryGetProperty("statements", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            problems.Add("the document has no statements array");
            return new VexDocument(name, statements, problems);
        }

        var index = -1;
        foreach (var item in list.EnumerateArray())
        {
            index++;
            var where = $"statements[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where} is not an object; left out");
                continue;
            }

            var (id, aliases) = Vulnerability(item);
            if (id is null)
            {
                problems.Add($"{where} names no vulnerability; left out");
                continue;
            }

            where = $"{where} ({id})";
            var statusText = String(item, "status");
            VexStatus? status = statusText switch
            {
                "not_affected" => VexStatus.NotAffected,
                "affected" => VexStatus.Affected,
                "fixed" => VexStatus.Fixed,
                "under_investigation" => VexStatus.UnderInvestigation,
                _ => null,
            };
            if (status is not { } known)
            {
                problems.Add(statusText is null
                    ? $"{where} has no status; left out"
                    : $"{where} has status \"{statusText}\", not one of not_affected, affected, fixed, under_investigation; left out");
                continue;
            }

            var justification = NullIfEmpty(String(item, "justification"));
            var impact = NullIfEmpty(String(item, "impact_statement"));
            if (known == VexStatus.NotAffected)
            {
                if (justification is null && impact is null)
                {
                    problems.Add($"{where} is not_affected without a justification or an impact_statement, which OpenVEX requires; not honoured");
                    continue;
                }

                if (justification is not null && !Justifications.Contains(justification) && impact is null)
                {
                    problems.Add($"{where} is not_affected with justification \"{justification}\", which is not an OpenVEX justification, and no impact_statement; not honoured");
                    continue;
                }
            }

            var action = NullIfEmpty(String(item, "action_statement"));
            var timestamp = Timestamp(item, "timestamp", where, problems) ?? documentTime;
            var groups = Products(item);
            if (groups.Count == 0)
            {
                problems.Add($"{where} names no product; left out (a statement about nothing in particular must not suppress everywhere)");
                continue;
            }

            // v0.2.0 nests subcomponents in each product; a statement is split per product group so that one product's
            // subcomponents never scope another product.
            foreach (var (products, subcomponents) in groups)
            {
                statements.Add(new VexStatement(id, aliases, products, subcomponents, known, justification, impact, action, timestamp));
            }
        }

        return new VexDocument(name, statements, problems);
    }

    /// <summary>v0.2.0's <c>{"name", "@id", "aliases"}</c> or 0.0.x's plain string.</summary>
    private static (string? Id, IReadOnlyList<string> Aliases) Vulnerability(JsonElement statement)
    {
        if (!statement.TryGetProperty("vulnerability", out var vulnerability))
        {
            return (null, []);
        }

        if (vulnerability.ValueKind == JsonValueKind.String)
        {
            return (NullIfEmpty(Text(vulnerability)), []);
        }

        if (vulnerability.ValueKind != JsonValueKind.Object)
        {
            return (null, []);
        }

        var aliases = Strings(vulnerability, "aliases");
        var iri = NullIfEmpty(String(vulnerability, "@id"));
        var id = NullIfEmpty(String(vulnerability, "name")) ?? iri;
        if (iri is not null && iri != id)
        {
            aliases.Add(iri);
        }

        return (id, aliases);
    }

    /// <summary>
    /// The products in groups that share subcomponents: every product without nested subcomponents in one group with
    /// the statement-level (0.0.x) subcomponents, and each product with nested ones in a group of its own.
    /// </summary>
    private static List<(IReadOnlyList<string> Products, IReadOnlyList<string> Subcomponents)> Products(JsonElement statement)
    {
        var groups = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        var plain = new List<string>();
        var statementSubcomponents = Components(statement, "subcomponents");
        if (statement.TryGetProperty("products", out var products) && products.ValueKind == JsonValueKind.Array)
        {
            foreach (var product in products.EnumerateArray())
            {
                var ids = Identifiers(product);
                if (ids.Count == 0)
                {
                    continue;
                }

                var nested = product.ValueKind == JsonValueKind.Object ? Components(product, "subcomponents") : [];
                if (nested.Count > 0)
                {
                    groups.Add((ids, [.. statementSubcomponents, .. nested]));
                }
                else
                {
                    plain.AddRange(ids);
                }
            }
        }

        if (plain.Count > 0)
        {
            groups.Insert(0, (plain, statementSubcomponents));
        }

        return groups;
    }

    private static List<string> Components(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray().SelectMany(Identifiers)] : [];

    /// <summary>A component's identifiers: a plain string (0.0.x), or its <c>@id</c> and <c>identifiers</c> values.</summary>
    private static List<string> Identifiers(JsonElement component)
    {
        if (component.ValueKind == JsonValueKind.String)
        {
            return NullIfEmpty(Text(component)) is { } text ? [text] : [];
        }

        var ids = new List<string>();
        if (component.ValueKind != JsonValueKind.Object)
        {
            return ids;
        }

        if (NullIfEmpty(String(component, "@id")) is { } id)
        {
            ids.Add(id);
        }

        if (component.TryGetProperty("identifiers", out var identifiers) && identifiers.ValueKind == JsonValueKind.Object)
        {
            foreach (var identifier in identifiers.EnumerateObject())
            {
                if (NullIfEmpty(Text(identifier.Value)) is { } value && !ids.Contains(value))
                {
                    ids.Add(value);
                }
            }
        }

        return ids;
    }

    private static DateTimeOffset? Timestamp(JsonElement element, string name, string where, List<string> problems)
    {
        if (String(element, name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        problems.Add($"{where}: timestamp \"{text}\" is not a date and time; ignored");
        return null;
    }

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(Text).OfType<string>().Where(s => s.Length > 0)]
            : [];

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Text(value) : null;

    /// <summary>A string value's text; null for anything else, or for an escape that is no text (a lone surrogate).</summary>
    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
